"""What the memory guard did for one answer, under it in the chat: "Kept out 1 memory ▸" with
the reason beside it (expands to each kept-out memory and why), and "Lessons consulted (n) ▸"
(expands to the lessons that warned the model). Nothing shows when the guard did nothing."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from .display import source_name, speaker_prefix, when_text
from .labels import plain_label


class Expander(QWidget):
    """A toggle ("Title ▸"), an optional line beside it, and a panel of rows under it."""

    def __init__(self, tip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = ""
        self.toggle = QToolButton()
        self.toggle.setObjectName("memoriesToggle")
        self.toggle.setCheckable(True)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toggle.setToolTip(tip)
        self.toggle.toggled.connect(self._toggled)
        self.line = plain_label("", "hitMeta")
        self.panel = QFrame()
        self.panel.setObjectName("memoriesPanel")
        self.rows = QVBoxLayout(self.panel)
        self.rows.setContentsMargins(10, 4, 4, 4)
        self.rows.setSpacing(8)
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        head.addWidget(self.line, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.panel)
        self.panel.hide()
        self.hide()

    def fill(self, title: str, line: str, rows: list[tuple[str, str]]) -> None:
        """rows: (text, facts under it). Hidden when there are none."""
        self.title = title
        self.line.setText(line)
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        for text, meta in rows:
            row = QWidget()
            box = QVBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(plain_label(text, "hitText"))
            box.addWidget(plain_label(meta, "hitMeta"))
            self.rows.addWidget(row)
        self.setVisible(bool(rows))
        self._toggled(self.toggle.isChecked())

    def expand(self, on: bool = True) -> None:
        self.toggle.setChecked(on)

    def _toggled(self, on: bool) -> None:
        self.toggle.setText(f"{self.title} {'▾' if on else '▸'}")
        self.panel.setVisible(on and self.rows.count() > 0)
        self.line.setVisible(not on and bool(self.line.text()))  # expanded, each row says why

    def texts(self) -> list[str]:
        return [label.text() for label in self.panel.findChildren(type(self.line)) if label.objectName() == "hitText"]


class GuardNotes(QWidget):
    """The guard's part in one answer (core Answer.flagged and Answer.lessons)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kept_out = Expander("Show the memories the guard kept out of this answer, and why")
        self.lessons = Expander("Show the lessons from earlier answers that warned Mnemo this time")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.kept_out)
        layout.addWidget(self.lessons)

    def set_answer(self, answer) -> None:
        flagged = list(getattr(answer, "flagged", None) or [])
        lessons = list(getattr(answer, "lessons", None) or [])
        n = len(flagged)
        line = "" if not n else flagged[0].reason + (f" (and {n - 1} more)" if n > 1 else "")
        self.kept_out.fill(f"Kept out {n} memor{'ies' if n != 1 else 'y'}", line,
                           [(speaker_prefix(f.memory) + f.memory.text,
                             f"{source_name(f.memory.source)} · {when_text(f.memory.when)} · {f.reason}")
                            for f in flagged])
        self.lessons.fill(f"Lessons consulted ({len(lessons)})", "",
                          [(lesson.text, f"learnt {when_text(lesson.created_at)}") for lesson in lessons])

    def kept_out_line(self) -> str:
        """What a person reads before expanding: 'Kept out 1 memory: <reason>'."""
        if self.kept_out.isHidden():
            return ""
        return f"{self.kept_out.title}: {self.kept_out.line.text()}"
