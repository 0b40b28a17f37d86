"""What the user can do with an answer: Copy, Regenerate, "This Is Wrong…" (type the
correction: it becomes your own note and a lesson), and the line saying which model wrote it
and how fast ("SmolLM2 135M Instruct · 64 tokens/s"), or that it quotes your memory."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .labels import plain_label


@dataclass
class PastAnswer:
    """An answer read back from the history (what a correction needs of it)."""
    question: str
    text: str
    captured_ids: list = field(default_factory=list)  # its turn's id
    support: tuple = ()
    method: str = "model"


def model_line(answer) -> str:
    """Which model wrote the answer and how fast, or how it was made without one."""
    method = getattr(answer, "method", "model")
    took = f"{answer.total_s:.1f} s" if getattr(answer, "total_s", 0) else ""
    if method == "nothing":
        parts = ["nothing in your memory answers this"]
    elif method == "quote":
        parts = ["quoted from your memory"]
    else:
        name = getattr(answer, "model_name", "") or "the language model"
        rate = getattr(answer, "tokens_per_s", None)
        parts = [f"put in words by {name}" if method == "phrased" else name]
        if rate:
            parts.append(f"{rate:.0f} tokens/s")
    return " · ".join(parts + ([took] if took else []))


class AnswerActions(QWidget):
    copy_requested = Signal()
    regenerate_requested = Signal()
    wrong_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(4)
        self.meta = plain_label("", "hitMeta", selectable=False)
        self.copy_button = self._button("Copy", "Copy the answer to the clipboard", self.copy_requested)
        self.regenerate_button = self._button("Regenerate", "Answer this question again", self.regenerate_requested)
        self.wrong_button = self._button("This Is Wrong…", "Say what is right: it becomes your own note, and "
                                         "Mnemo uses it from now on", self.wrong_requested)
        layout.addWidget(self.meta, 1)
        for button in (self.copy_button, self.regenerate_button, self.wrong_button):
            layout.addWidget(button)
        self.hide()

    def _button(self, text: str, tip: str, signal) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("answerAction")
        button.setToolTip(tip)
        button.setAccessibleName(text.rstrip("…"))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(signal.emit)
        return button

    def show_for(self, meta: str, can_regenerate: bool) -> None:
        self.meta.setText(meta)
        self.meta.setVisible(bool(meta))
        self.regenerate_button.setVisible(can_regenerate)
        self.show()


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


class CorrectionDialog(QDialog):
    """"This is wrong": what is right, in the user's own words."""

    def __init__(self, question: str, answer: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Correct This Answer")
        self.setObjectName("correctionDialog")
        self.resize(480, 260)
        intro = QLabel(f"You asked: “{question}”\nMnemo answered: “{answer}”\n\nWhat is right? It is saved as "
                       "your own note, replaces the answer (and the memory it quoted), and Mnemo answers "
                       "from it next time.")
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("correctionText")
        self.text.setAccessibleName("The correction")
        self.text.setPlaceholderText("e.g. My sister lives in Porto now.")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save Correction")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self._changed()

    def correction(self) -> str:
        return self.text.toPlainText().strip()

    def _changed(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(bool(self.correction()))

    def _save(self) -> None:
        if self.correction():
            self.accept()
