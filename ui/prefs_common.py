"""What every Preferences page shares: the page itself (its title, then its rows), a label that
wraps, a row of controls, and durations as people say them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget


def in_words(days: float) -> str:
    """About how long, as people say it: "about 9 days", "about 5 weeks", "about 8 months"."""
    if days < 14:
        return f"about {round(days)} day{'s' if round(days) != 1 else ''}"
    if days < 60:
        return f"about {round(days / 7)} weeks"
    if days < 730:
        return f"about {round(days / 30.4)} months"
    return f"about {days / 365:.1f} years".replace(".0 years", " years")


def label(text: str = "", buddy: QWidget | None = None) -> QLabel:
    """Wrapped, selectable text; with a `buddy`, the label names that control (for screen readers too)."""
    out = QLabel(text)
    out.setWordWrap(buddy is None)
    out.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if buddy is not None:
        out.setBuddy(buddy)
        if not buddy.accessibleName():
            buddy.setAccessibleName(text.rstrip(":").replace("&", ""))
    return out


def row(*items: QWidget | QLayout) -> QHBoxLayout:
    """Controls side by side, the space left after them."""
    out = QHBoxLayout()
    for item in items:
        out.addLayout(item) if isinstance(item, QLayout) else out.addWidget(item)
    out.addStretch(1)
    return out


class Page(QWidget):
    """A Preferences page: its title, then what `add` is given. `dialog` is the PreferencesDialog
    (its bridge and window). `closing()` is called when Preferences closes (a pending save is made)."""

    title = ""

    def __init__(self, dialog):
        super().__init__()
        self.dialog, self.bridge, self.window = dialog, dialog.bridge, dialog.window
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.title)
        heading.setObjectName("pageTitle")
        self.box.addWidget(heading)

    def add(self, *items: QWidget | QLayout, grow: QWidget | None = None) -> None:
        for item in items:
            if isinstance(item, QLayout):
                self.box.addLayout(item)
            else:
                self.box.addWidget(item, 1 if item is grow else 0)

    def end(self) -> None:
        """The space left stays below (a page without a growing list)."""
        self.box.addStretch(1)

    def closing(self) -> None:
        pass
