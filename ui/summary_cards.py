"""The cards of the Summaries view: a titled pane with buttons and a busy bar (Card), the
overview (OverviewCard) and the portrait with its Edit mode (PortraitCard)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .labels import plain_label
from .summary_text import overview_parts, portrait_parts

EDIT_HINT = "One line per topic, e.g. “Likes: chess; hiking”. Your changes are kept when it is regenerated."


def busy_bar() -> QProgressBar:
    """A thin bar that moves while Mnemo writes (its length is not known in advance)."""
    bar = QProgressBar()
    bar.setObjectName("busyBar")
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setFixedHeight(4)
    bar.hide()
    return bar


class Card(QFrame):
    """Title, buttons on the right, a busy bar under them, then the content."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.title = QLabel(title)
        self.title.setObjectName("paneTitle")
        self.header = QHBoxLayout()
        self.header.setSpacing(6)
        self.header.addWidget(self.title)
        self.header.addStretch(1)
        self.busy = busy_bar()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 12, 14, 12)
        self.body.setSpacing(6)
        self.body.addLayout(self.header)
        self.body.addWidget(self.busy)

    def button(self, text: str, tip: str, name: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        if name:
            button.setObjectName(name)
        self.header.addWidget(button)
        return button


class OverviewCard(Card):
    regenerate_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Overview", parent)
        self.regenerate_button = self.button("Regenerate", "Rewrite the overview from the day summaries")
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        self.span = plain_label("", "muted")
        self.text = plain_label("", "summaryText")
        self.empty = plain_label("", "emptyText", selectable=False)
        self.empty.setText("No overview yet. It is written from the day summaries.")
        for label in (self.span, self.text, self.empty):
            self.body.addWidget(label)
        self.memory = None
        self.show_overview(None)

    def show_overview(self, memory) -> None:
        self.memory = memory
        span, lines = overview_parts(memory.text) if memory is not None else ("", [])
        self.span.setText(span)
        self.text.setText("\n".join(lines))
        self.span.setVisible(bool(span))
        self.text.setVisible(memory is not None)
        self.empty.setVisible(memory is None)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.regenerate_button.setEnabled(not busy)
        self.regenerate_button.setText("Writing…" if busy else "Regenerate")


class PortraitCard(Card):
    """The portrait; Edit turns it into a text box, with Save (Ctrl+Enter) and Cancel (Esc)
where Edit and Regenerate were."""

    regenerate_requested = Signal()
    save_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Portrait", parent)
        self.edit_button = self.button("Edit", "Correct what Mnemo believes about you")
        self.edit_button.clicked.connect(self.start_editing)
        self.regenerate_button = self.button("Regenerate", "Rewrite the portrait from what you said "
                                             "(your corrections are kept)")
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        self.span = plain_label("", "muted")
        self.text = plain_label("", "summaryText")
        self.empty = plain_label("", "emptyText", selectable=False)
        self.empty.setText("No portrait yet. It is drawn from what you tell Mnemo about yourself "
                           "(“I love hiking”, “my sister Anna…”). You can also write it yourself: Edit.")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("portraitEditor")
        self.editor.setToolTip("Ctrl+Enter saves, Esc cancels")
        self.editor.setMinimumHeight(90)
        self.editor.setMaximumHeight(140)
        self.hint = plain_label("", "muted", selectable=False)
        self.hint.setText(EDIT_HINT)
        self.cancel_button = self.button("Cancel", "Leave the portrait as it was (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button = self.button("Save", "Keep your corrections (Ctrl+Enter)", "primary")
        self.save_button.clicked.connect(self.save)
        self.edit_area = QWidget()
        edit_layout = QVBoxLayout(self.edit_area)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.setSpacing(6)
        edit_layout.addWidget(self.editor)
        edit_layout.addWidget(self.hint)
        for widget in (self.span, self.text, self.empty, self.edit_area):
            self.body.addWidget(widget)
        self.edit_area.hide()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.save)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.editor)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self.cancel)
        self.memory = None
        self.busy_now = False
        self.saving = False
        self.show_portrait(None)

    @property
    def editing(self) -> bool:
        return not self.edit_area.isHidden()

    def show_portrait(self, memory) -> None:
        """Show the portrait; an edit in progress is left alone."""
        self.memory = memory
        span, body = portrait_parts(memory.text) if memory is not None else ("", "")
        self.span.setText(span)
        self.text.setText(body)
        self._editing(self.editing)

    def body_text(self) -> str:
        return portrait_parts(self.memory.text)[1] if self.memory is not None else ""

    def start_editing(self) -> None:
        self.edit_base = self.body_text()  # what the user saw: their edit is measured against it
        self.editor.setPlainText(self.edit_base)
        self._editing(True)
        self.editor.setFocus()

    def cancel(self) -> None:
        if self.editing and not self.saving:
            self._editing(False)

    def save(self) -> None:
        if not self.editing or self.saving or self.busy_now:
            return
        self.saving = True
        self._update_buttons()
        self.save_requested.emit(self.editor.toPlainText())

    def saved(self, ok: bool) -> None:
        """The view's answer to save_requested: leave edit mode on success."""
        self.saving = False
        if ok:
            self._editing(False)
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        self.busy_now = busy
        self._update_buttons()

    def _editing(self, on: bool) -> None:
        self.edit_area.setVisible(on)
        self.span.setVisible(not on and bool(self.span.text()))
        self.text.setVisible(not on and self.memory is not None)
        self.empty.setVisible(not on and self.memory is None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        working = self.busy_now or self.saving
        self.busy.setVisible(working)
        self.edit_button.setVisible(not self.editing)
        self.regenerate_button.setVisible(not self.editing)
        self.save_button.setVisible(self.editing)
        self.cancel_button.setVisible(self.editing)
        self.edit_button.setEnabled(not working)
        self.regenerate_button.setEnabled(not working)
        self.regenerate_button.setText("Writing…" if self.busy_now else "Regenerate")
        self.save_button.setEnabled(not working)
        self.save_button.setText("Saving…" if self.saving else "Save")
        self.cancel_button.setEnabled(not self.saving)
