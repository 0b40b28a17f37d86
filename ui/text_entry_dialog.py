"""What Quick Capture and Edit… share: a line saying what to write, a text box where Enter
saves (Shift+Enter adds a line) and Esc cancels, a feedback line beside Cancel and Save, and
the saving state (the box and Save are off while a save runs; a refusal is said in the box,
which stays open)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .display import error_text, show_feedback
from .text_input import SubmitTextEdit


class TextEntryDialog(QDialog):
    """Subclasses give the texts and implement `save()`; `_begin_saving` and `_failed` keep the state."""

    def __init__(self, parent: QWidget | None, intro: str, hint: str, lines: int, input_name: str,
                 save_tip: str, cancel_tip: str, width: int):
        super().__init__(parent)
        self._saving = False
        about = QLabel(intro)
        about.setObjectName("muted")
        about.setWordWrap(True)
        self.input = SubmitTextEdit(lines=lines)
        self.input.setObjectName(input_name)
        self.input.setToolTip("Enter saves · Shift+Enter adds a line · Esc cancels")
        self.input.submitted.connect(self.save)
        self.input.escaped.connect(self.reject)

        self.feedback = QLabel(hint)
        self.feedback.setObjectName("muted")
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.setWordWrap(True)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName("Save")
        self.save_button.setToolTip(save_tip)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip(cancel_tip)
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
        self.resize(width, self.sizeHint().height())

    def save(self) -> None:
        raise NotImplementedError

    def _begin_saving(self, text: str) -> None:
        self._saving = True
        self.input.setEnabled(False)
        self.save_button.setEnabled(False)
        self._feedback(text, "muted")

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.input.setEnabled(True)
        self.save_button.setEnabled(True)
        self.input.setFocus()
        self._feedback(error_text(exc), "feedbackError")

    def _feedback(self, text: str, style: str) -> None:
        show_feedback(self.feedback, text, style)
