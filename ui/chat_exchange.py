"""One question and its answer in the chat: the streamed answer text, its state (thinking,
stopped, failed), the memories it comes from (clickable citations) and the memories it used, behind a "Memories used (n) ▸" toggle; each says
how well it was still remembered ("kept 83%"). Under them, what the memory guard kept out and
the lessons it consulted (ui/chat_guard.py), when it did anything."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .chat_actions import AnswerActions, model_line
from .chat_citations import Citations
from .chat_guard import GuardNotes
from .display import kept_text, kind_name, speaker_prefix, when_text
from .labels import plain_label as _label

WAITING = "Waiting for Mnemo to finish loading… your question will be answered then."
WAITING_FOR_MODEL = "Waiting for the language model to load…"
THINKING = "Thinking…"
STOPPED = "Stopped — the answer was cut short."


def _fix_button(text: str, slot: Callable[[], None]) -> QPushButton:
    """The way out of an error, e.g. "Choose a Model…" under "the model file is missing"."""
    button = QPushButton(text)
    button.setObjectName("fixButton")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.clicked.connect(slot)
    return button


def _bubble(name: str, label: QLabel) -> QFrame:
    frame = QFrame()
    frame.setObjectName(name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 8, 12, 8)
    layout.addWidget(label)
    return frame


class ErrorBubble(QFrame):
    """A message from Mnemo itself, e.g. the language model could not be loaded, with an
    optional button that fixes it; name "infoBubble" for good news (a model was chosen)."""

    def __init__(self, message: str, fix: tuple[str, Callable[[], None]] | None = None,
                 parent: QWidget | None = None, name: str = "errorBubble"):
        super().__init__(parent)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.label = _label(message, "errorText" if name == "errorBubble" else "infoText")
        layout.addWidget(self.label)
        self.fix_button = _fix_button(*fix) if fix else None
        if self.fix_button is not None:
            layout.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)

    def text(self) -> str:
        return self.label.text()


class MemoriesUsed(QWidget):
    """The memories placed in the prompt, listed under the answer."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.hits: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(4)
        self.toggle = QToolButton()
        self.toggle.setObjectName("memoriesToggle")
        self.toggle.setCheckable(True)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toggle.setToolTip("Show the memories this answer was based on, and why each was chosen")
        self.toggle.toggled.connect(self._toggled)
        self.none_label = _label("No memory matched this question.", "muted", selectable=False)
        self.panel = QFrame()
        self.panel.setObjectName("memoriesPanel")
        self.panel_layout = QVBoxLayout(self.panel)
        self.panel_layout.setContentsMargins(10, 4, 4, 4)
        self.panel_layout.setSpacing(8)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.none_label)
        layout.addWidget(self.panel)
        self.toggle.hide()
        self.none_label.hide()
        self.panel.hide()

    def set_hits(self, hits: list) -> None:
        self.hits = list(hits)
        while self.panel_layout.count():
            item = self.panel_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for hit in self.hits:
            self.panel_layout.addWidget(self._row(hit))
        has = bool(self.hits)
        self.toggle.setVisible(has)
        self.none_label.setVisible(not has)
        self._toggled(self.toggle.isChecked())

    def _row(self, hit) -> QWidget:
        memory = hit.memory
        row = QWidget()
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(_label(speaker_prefix(memory) + memory.text, "hitText"))
        kept = kept_text(memory, getattr(hit, "retention", 1.0))
        meta = _label(f"{when_text(memory.when)} · {kind_name(memory.kind)} · {kept} · {hit.reason}", "hitMeta")
        meta.setToolTip("“kept” is how well Mnemo still remembered this memory when answering; "
                        "using it in an answer makes it last longer.")
        layout.addWidget(meta)
        return row

    def texts(self) -> list[str]:
        return [hit.memory.text for hit in self.hits]

    def expand(self, on: bool = True) -> None:
        self.toggle.setChecked(on)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def _toggled(self, on: bool) -> None:
        arrow = "▾" if on else "▸"
        self.toggle.setText(f"Memories used ({len(self.hits)}) {arrow}")
        self.panel.setVisible(on and bool(self.hits))


class ExchangeWidget(QWidget):
    """Question bubble on the right, the answer streaming in on the left."""

    def __init__(self, question: str, waiting: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.finished = False
        self.stopped = False
        self.failed = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self.question_label = _label(question, "questionText")
        self.question_bubble = _bubble("userBubble", self.question_label)
        self.question_bubble.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.question_bubble, 0)
        layout.addLayout(row)

        self.answer_label = _label("", "answerText")
        self.answer_bubble = _bubble("answerBubble", self.answer_label)
        self.state_label = _label(WAITING if waiting else THINKING, "answerState", selectable=False)
        self.answer_bubble.layout().addWidget(self.state_label)
        self.citations = Citations()
        self.answer_bubble.layout().addWidget(self.citations)
        self.memories = MemoriesUsed()
        self.answer_bubble.layout().addWidget(self.memories)
        self.guard = GuardNotes()
        self.answer_bubble.layout().addWidget(self.guard)
        self.actions = AnswerActions()
        self.answer_bubble.layout().addWidget(self.actions)
        self.answer = None  # the core Answer (or a PastAnswer read back from the history)
        self.answer_label.hide()
        self.fix_button: QPushButton | None = None
        layout.addWidget(self.answer_bubble)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_question()

    def _fit_question(self) -> None:
        """A short question gets a one-line bubble; a long one wraps at 3/4 of the width."""
        cap = max(120, int(self.width() * 0.75))
        metrics = self.question_label.fontMetrics()
        natural = max((metrics.horizontalAdvance(line) for line in self.question.splitlines()), default=0) + 4
        self.question_bubble.setMaximumWidth(cap)
        self.question_label.setMinimumWidth(min(natural, cap - 24))

    # --------------------------------------------------------------- streaming
    def started(self, model_loading: bool = False) -> None:
        """Memories are chosen; the model is next (or still loading)."""
        if not self.finished and not self.answer_label.text():
            self.state_label.setText(WAITING_FOR_MODEL if model_loading else THINKING)

    def set_memories(self, hits: list) -> None:
        self.memories.set_hits(hits)

    def append(self, piece: str) -> None:
        if self.finished:
            return
        text = self.answer_label.text() + piece
        self.answer_label.setText(text.lstrip())
        self.answer_label.setVisible(bool(self.answer_label.text()))
        self.state_label.hide()

    def finish(self, answer) -> None:
        """The worker is done; for a stopped answer this only fills in the memories used."""
        if not self.stopped:
            if answer.text:
                self.answer_label.setText(answer.text)
                self.answer_label.show()
                self.state_label.hide()
            else:
                self.state_label.setText("Mnemo had nothing to say to that.")
                self.state_label.show()
        self.set_memories(answer.memories)
        if not self.stopped:
            self.citations.set_support(answer.memories, getattr(answer, "support", ()))
        self.guard.set_answer(answer)
        self.finished = True
        self.answer = answer
        if not self.stopped and answer.text:
            self.actions.show_for(model_line(answer), can_regenerate=True)

    def show_past(self, answer, when: str) -> None:
        """An exchange read back from the history: its answer as it was given, on `when`."""
        self.answer = answer
        self.finished = True
        if answer is None or not answer.text:
            self.state_label.setText("(no answer was kept)")
            return
        self.answer_label.setText(answer.text)
        self.answer_label.show()
        self.state_label.hide()
        self.actions.show_for(when, can_regenerate=False)

    def regenerating(self) -> None:
        """Answer again: the old answer makes way for the new one as it streams in."""
        self.finished = self.stopped = self.failed = False
        self.answer_label.setText("")
        self.answer_label.hide()
        self.actions.hide()
        self.citations.hide()
        self.state_label.setText(THINKING)
        self.state_label.show()

    def stop(self) -> None:
        if self.finished:
            return
        self.stopped = True
        self.finished = True
        self.state_label.setText(STOPPED)
        self.state_label.show()

    def fail(self, message: str, fix: tuple[str, Callable[[], None]] | None = None) -> None:
        if self.stopped:
            return
        if fix and self.fix_button is None:
            self.fix_button = _fix_button(*fix)
            self.answer_bubble.layout().insertWidget(2, self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.failed = True
        self.finished = True
        self.answer_bubble.setObjectName("errorBubble")
        self.state_label.setObjectName("errorText")
        self.state_label.setText(message)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label.show()
        for widget in (self.answer_bubble, self.state_label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    # --------------------------------------------------------------- reading
    def answer_text(self) -> str:
        return self.answer_label.text()

    def state_text(self) -> str:
        return self.state_label.text() if not self.state_label.isHidden() else ""
