"""The chat: a transcript of exchanges, an input box (Enter sends, Shift+Enter new line,
Esc stops) and Send/Stop buttons. Answers stream in from a worker; the GUI never waits."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.errors import ModelError

from .chat_exchange import ErrorBubble, ExchangeWidget
from .display import error_text
from .text_input import SubmitTextEdit
from .workers import AskHandle, MnemoBridge

PLACEHOLDER = "Ask Mnemo…  (Enter sends, Shift+Enter starts a new line)"
WELCOME = (
    "Ask me about anything you have told me.\n"
    "What you say here is remembered; add a quick note with Ctrl+Shift+N."
)


class ChatView(QWidget):
    answer_finished = Signal(object)  # the core Answer
    notice = Signal(str)  # a short message for the status bar
    choose_model_requested = Signal()  # "Choose a Model…" under a language-model error
    memory_opened = Signal(object)  # a citation under an answer was clicked: the Memory

    def __init__(self, bridge: MnemoBridge, conversation_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.conversation_id = conversation_id
        self.exchanges: list[ExchangeWidget] = []
        self.errors: list[ErrorBubble] = []
        self._current: ExchangeWidget | None = None
        self._handle: AskHandle | None = None
        self._stick_to_bottom = True

        self.transcript = QScrollArea()
        self.transcript.setObjectName("transcript")
        self.transcript.setWidgetResizable(True)
        self.transcript.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("transcriptBody")
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(18, 16, 18, 16)
        self.body_layout.setSpacing(14)
        self.welcome = QLabel(WELCOME)
        self.welcome.setObjectName("welcome")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setWordWrap(True)
        self.body_layout.addWidget(self.welcome)
        self.body_layout.addStretch(1)
        self.transcript.setWidget(body)
        bar = self.transcript.verticalScrollBar()
        bar.rangeChanged.connect(self._follow)
        bar.valueChanged.connect(lambda v: setattr(self, "_stick_to_bottom", v >= bar.maximum() - 8))

        self.input = SubmitTextEdit(lines=3)
        self.input.setObjectName("chatInput")
        self.input.setPlaceholderText(PLACEHOLDER)
        self.input.setToolTip("Type a question. Enter sends it; Shift+Enter adds a new line; Esc stops an answer.")
        self.input.submitted.connect(self.send)
        self.input.escaped.connect(self.stop)

        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("primary")
        self.send_button.setToolTip("Send the question (Enter)")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the answer being written (Esc)")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)

        buttons = QVBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        composer = QHBoxLayout()
        composer.setContentsMargins(14, 10, 14, 12)
        composer.setSpacing(8)
        composer.addWidget(self.input, 1)
        composer.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(composer)

        # Esc anywhere in the chat stops an answer; idle, Esc is left to others (dialogs).
        self.stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.stop_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.stop_shortcut.activated.connect(self.stop)
        self.stop_shortcut.setEnabled(False)
        self.setFocusProxy(self.input)
        bridge.ready.connect(self._bridge_ready)

    # ------------------------------------------------------------------ state
    @property
    def busy(self) -> bool:
        return self._current is not None

    def _set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.stop_shortcut.setEnabled(busy)

    # ------------------------------------------------------------------ actions
    def send(self) -> None:
        question = self.input.toPlainText().strip()
        if not question or self.busy:
            return
        self.input.clear()
        exchange = ExchangeWidget(question, waiting=not self.bridge.is_ready)
        exchange.citations.opened.connect(self.memory_opened)
        if self.bridge.switching_model:
            exchange.started(model_loading=True)  # it waits for the new model
        self._add(exchange)
        self.exchanges.append(exchange)
        self._current = exchange
        self._set_busy(True)
        self._stick_to_bottom = True
        self._handle = self.bridge.ask(
            question,
            self.conversation_id,
            on_memories=lambda hits, ex=exchange: self._on_memories(ex, hits),
            on_token=lambda piece, ex=exchange: self._on_token(ex, piece),
            on_done=lambda answer, ex=exchange: self._on_done(ex, answer),
            on_error=lambda exc, ex=exchange: self._on_error(ex, exc),
        )

    def stop(self) -> None:
        """Cancel the running answer; the window is free for the next question at once."""
        if self._current is None or self._handle is None:
            return
        self._handle.cancel()
        self._current.stop()
        self._release()
        self.notice.emit("Answer stopped")

    def show_error(self, message: str, offer_model: bool = False) -> ErrorBubble:
        """An error from Mnemo itself; offer_model adds a "Choose a Model…" button."""
        bubble = ErrorBubble(message, self._model_fix() if offer_model else None)
        self._add(bubble)
        self.errors.append(bubble)
        return bubble

    def show_info(self, message: str) -> ErrorBubble:
        bubble = ErrorBubble(message, name="infoBubble")
        self._add(bubble)
        return bubble

    def _model_fix(self):
        if not self.bridge.can_switch_model:
            return None
        return ("Choose a Model…", self.choose_model_requested.emit)

    def model_fixed(self) -> None:
        """A model answers now: the old "Choose a Model…" buttons have done their job."""
        for widget in [*self.errors, *self.exchanges]:
            if widget.fix_button is not None:
                widget.fix_button.hide()

    def _bridge_ready(self) -> None:
        if self._current is not None:
            self._current.started()

    # ------------------------------------------------------------------ worker results
    def _on_memories(self, exchange: ExchangeWidget, hits: list) -> None:
        exchange.started(model_loading=not self.bridge.is_ready)
        exchange.set_memories(hits)

    def _on_token(self, exchange: ExchangeWidget, piece: str) -> None:
        if exchange is self._current:
            exchange.append(piece)

    def _on_done(self, exchange: ExchangeWidget, answer) -> None:
        exchange.finish(answer)
        if exchange is self._current:
            self._release()
        self.answer_finished.emit(answer)

    def _on_error(self, exchange: ExchangeWidget, exc: BaseException) -> None:
        message = error_text(exc)
        exchange.fail(message, self._model_fix() if isinstance(exc, ModelError) else None)
        if exchange is self._current:
            self._release()
        self.notice.emit(message)

    def _release(self) -> None:
        self._current = None
        self._handle = None
        self._set_busy(False)
        self.input.setFocus()

    # ------------------------------------------------------------------ layout
    def _add(self, widget: QWidget) -> None:
        self.welcome.hide()
        self.body_layout.insertWidget(self.body_layout.count() - 1, widget)

    def _follow(self, _low: int, high: int) -> None:
        if self._stick_to_bottom:
            QTimer.singleShot(0, lambda: self.transcript.verticalScrollBar().setValue(
                self.transcript.verticalScrollBar().maximum()))
