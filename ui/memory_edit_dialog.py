"""Edit…: a small box with a memory's words to change. Enter saves (Shift+Enter adds a line),
Esc cancels; what Mnemo refuses (empty words) is said in the box, which stays open."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .display import error_text, kind_name, show_feedback, when_text
from .text_input import SubmitTextEdit
from .workers import MnemoBridge

HINT = "Enter saves · Shift+Enter adds a line · Esc cancels"


class EditMemoryDialog(QDialog):
    edited = Signal(object, object)  # (the memory before, after)

    def __init__(self, bridge: MnemoBridge, memory, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.memory = memory
        self._saving = False
        self.setWindowTitle("Edit Memory — Mnemo")
        self.setModal(True)

        about = QLabel(f"What this {kind_name(memory.kind)} of {when_text(memory.created_at)} should say. "
                       "Its history keeps the old words; the facts drawn from it follow.")
        about.setObjectName("muted")
        about.setWordWrap(True)
        self.input = SubmitTextEdit(lines=6)
        self.input.setObjectName("editInput")
        self.input.setAccessibleName("Memory text")
        self.input.setToolTip(HINT)
        self.input.setPlainText(memory.text)
        self.input.submitted.connect(self.save)
        self.input.escaped.connect(self.reject)

        self.feedback = QLabel(HINT)
        self.feedback.setObjectName("muted")
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.setWordWrap(True)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName("Save")
        self.save_button.setToolTip("Save the new words (Enter)")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip("Close without changing it (Esc)")
        self.cancel_button.clicked.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.feedback, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(about)
        layout.addWidget(self.input, 1)
        layout.addLayout(row)
        self.resize(520, self.sizeHint().height())

    def open_editing(self) -> None:
        self.open()
        self.input.setFocus()
        self.input.selectAll()

    def save(self) -> None:
        if self._saving:
            return
        text = self.input.toPlainText()
        if text.strip() == self.memory.text.strip():
            self.reject()  # nothing changed: nothing to write
            return
        self._saving = True
        self.input.setEnabled(False)
        self.save_button.setEnabled(False)
        self._feedback("Saving…", "muted")
        self.bridge.edit(self.memory.id, text, self._saved, self._failed)

    def _saved(self, result) -> None:
        self._saving = False
        self.edited.emit(*result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.input.setEnabled(True)
        self.save_button.setEnabled(True)
        self.input.setFocus()
        self._feedback(error_text(exc), "feedbackError")

    def _feedback(self, text: str, style: str) -> None:
        show_feedback(self.feedback, text, style)
