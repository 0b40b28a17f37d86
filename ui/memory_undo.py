"""Undo in the Memories tab: the last deletes, pins, unpins and edits done there, undone in
turn with Ctrl+Z (each undo calls Mnemo: the deleted come back, the pinned are unpinned, an
edit is edited back), and the bar that offers Undo right after a delete."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from .display import short

UNDO_SECONDS = 15
KEPT_STEPS = 50
INVERSE = {"delete": "undelete", "pin": "unpin", "unpin": "pin", "edit": "edit"}
DONE_WORDS = {"delete": "deleted", "pin": "pinned", "unpin": "unpinned", "edit": "edited"}


@dataclass(frozen=True)
class Step:
    """Something done in the tab: `action` on the memories `ids`; `text`: the first one's words
    (for an edit, the words it had before, which the undo puts back)."""

    action: str
    ids: tuple[str, ...]
    text: str = ""

    @property
    def undo_action(self) -> str:
        return INVERSE[self.action]

    def what(self) -> str:
        """'3 memories' or '“The spare key is in…”'."""
        return f"{len(self.ids)} memories" if len(self.ids) > 1 else f"“{short(self.text, 50)}”"

    def undone_text(self) -> str:
        """The notice once it is undone: 'Undone: deleted 3 memories'."""
        return f"Undone: {DONE_WORDS[self.action]} {self.what()}"


class UndoStack:
    def __init__(self, limit: int = KEPT_STEPS):
        self.limit = limit
        self.steps: list[Step] = []

    def push(self, step: Step) -> None:
        self.steps.append(step)
        del self.steps[:-self.limit]

    def pop(self) -> Step | None:
        return self.steps.pop() if self.steps else None

    def peek(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    def __len__(self) -> int:
        return len(self.steps)


class UndoBar(QFrame):
    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.step: Step | None = None
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo the delete")
        self.undo_button.setToolTip("Bring the deleted memories back (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_requested.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def offer(self, step: Step) -> None:
        self.step = step
        self.label.setText(f"Deleted {step.what()}.")
        self.show()
        self._timer.start(UNDO_SECONDS * 1000)
