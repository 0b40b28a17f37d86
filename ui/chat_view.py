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
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.errors import ModelError

from .chat_actions import CorrectionDialog, PastAnswer, copy_text
from .chat_exchange import ErrorBubble, ExchangeWidget
from .chat_history import ConversationList
from .display import error_text, when_text
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
    corrected = Signal(object)  # "This is wrong": the core Correction saved

    def __init__(self, bridge: MnemoBridge, conversation_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.conversation_id = conversation_id
        self.exchanges: list[ExchangeWidget] = []
        self.errors: list[ErrorBubble] = []
        self.infos: list[ErrorBubble] = []
        self._current: ExchangeWidget | None = None
        self._handle: AskHandle | None = None
        self._stick_to_bottom = True

        self.transcript = QScrollArea()
        self.transcript.setObjectName("transcript")
        self.transcript.setAccessibleName("Conversation")
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
        self.input.setAccessibleName("Your question")
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

        chat = QWidget()
        chat_layout = QVBoxLayout(chat)
        chat_layout.setContentsMargins(0, 0, 0, 0)
        chat_layout.setSpacing(0)
        chat_layout.addWidget(self.transcript, 1)
        chat_layout.addLayout(composer)
        self.history = ConversationList()
        self.history.chosen.connect(self.open_conversation)
        self.history.new_requested.connect(self.new_conversation)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("chatSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.history)
        self.splitter.addWidget(chat)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 710])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.splitter)
        self._loaded_history = False

        # Esc anywhere in the chat stops an answer; idle, Esc is left to others (dialogs).
        self.stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.stop_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.stop_shortcut.activated.connect(self.stop)
        self.stop_shortcut.setEnabled(False)
        self.new_shortcut = QShortcut(QKeySequence("Ctrl+N"), self)
        self.new_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_shortcut.activated.connect(self.new_conversation)
        for before, after in zip(chain := [self.history.new_button, self.history.list, self.transcript, self.input,
                                           self.send_button, self.stop_button], chain[1:]):
            QWidget.setTabOrder(before, after)  # reading order: the conversations, the transcript, the question
        bridge.ready.connect(self._bridge_ready)
        bridge.opened.connect(self._load_history)
        if bridge.is_open:
            self._load_history()

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
        exchange = self._exchange(question, waiting=not self.bridge.is_ready)
        for earlier in self.exchanges[:-1]:
            earlier.actions.regenerate_button.hide()  # only the last answer is asked again
        self._run(exchange)

    def _exchange(self, question: str, waiting: bool = False, at: int | None = None) -> ExchangeWidget:
        """A new exchange in the transcript, at the end (or at position `at`, for the history)."""
        exchange = ExchangeWidget(question, waiting=waiting)
        exchange.citations.opened.connect(self.memory_opened)
        exchange.actions.copy_requested.connect(lambda ex=exchange: self.copy_answer(ex))
        exchange.actions.regenerate_requested.connect(lambda ex=exchange: self.regenerate(ex))
        exchange.actions.wrong_requested.connect(lambda ex=exchange: self.correct(ex))
        self._add(exchange, at)
        if at is None:
            self.exchanges.append(exchange)
        else:
            self.exchanges.insert(at, exchange)
        return exchange

    def _run(self, exchange: ExchangeWidget, again: bool = False) -> None:
        if self.bridge.switching_model:
            exchange.started(model_loading=True)  # it waits for the new model
        self._current = exchange
        self._set_busy(True)
        self._stick_to_bottom = True
        self._handle = self.bridge.ask(
            exchange.question,
            self.conversation_id,
            on_memories=lambda hits, ex=exchange: self._on_memories(ex, hits),
            on_token=lambda piece, ex=exchange: self._on_token(ex, piece),
            on_done=lambda answer, ex=exchange: self._on_done(ex, answer),
            on_error=lambda exc, ex=exchange: self._on_error(ex, exc),
            again=again,
        )

    # ------------------------------------------------------------------ what to do with an answer
    def copy_answer(self, exchange: ExchangeWidget) -> None:
        copy_text(exchange.answer_text())
        self.notice.emit("Answer copied")

    def regenerate(self, exchange: ExchangeWidget) -> None:
        """Ask the last question again (only its new answer is stored)."""
        if self.busy or not exchange.finished or exchange is not (self.exchanges[-1] if self.exchanges else None):
            return
        exchange.regenerating()
        self._run(exchange, again=True)

    def correct(self, exchange: ExchangeWidget) -> CorrectionDialog | None:
        """"This is wrong": ask what is right; it is saved as the user's own note."""
        if exchange.answer is None:
            return None
        dialog = CorrectionDialog(exchange.question, exchange.answer_text(), self)
        dialog.accepted.connect(lambda: self._save_correction(exchange, dialog.correction()))
        dialog.open()
        self.correction_dialog = dialog
        return dialog

    def _save_correction(self, exchange: ExchangeWidget, text: str) -> None:
        def done(correction) -> None:
            exchange.actions.wrong_button.setEnabled(False)
            exchange.actions.wrong_button.setText("Corrected")
            self.show_info(f"Saved your correction as your own note (“{correction.note.text}”); Mnemo answers "
                           "from it from now on.")
            self.notice.emit("Correction saved")
            self.corrected.emit(correction)

        self.bridge.correct(exchange.answer, text, done, lambda exc: self.show_error(error_text(exc)))

    # ------------------------------------------------------------------ the conversations
    def _load_history(self) -> None:
        """At start: the conversations, and the last one shown again (continued by the next question)."""
        self.bridge.conversations(self._history_loaded)

    def _history_loaded(self, conversations) -> None:
        first = not self._loaded_history
        self._loaded_history = True
        self.history.show_conversations(conversations, self.conversation_id)
        if first and conversations and not self.exchanges:
            self.open_conversation(conversations[0].id)

    def refresh_history(self) -> None:
        self.bridge.conversations(lambda found: self.history.show_conversations(found, self.conversation_id))

    def open_conversation(self, conversation_id: str) -> None:
        if self.busy:
            return
        self.bridge.conversation(conversation_id, lambda found: self._show_conversation(conversation_id, found))

    def _show_conversation(self, conversation_id: str, exchanges) -> None:
        if self.busy or (self.exchanges and conversation_id == self.conversation_id):
            return
        self.clear(notes=bool(self.exchanges))  # (at start, what Mnemo said meanwhile stays, below)
        self.conversation_id = conversation_id
        self.history.mark(conversation_id)
        for index, past in enumerate(exchanges):
            question = past.question.text if past.question is not None else "(question deleted)"
            widget = self._exchange(question, at=index)
            reply = past.answer
            answer = PastAnswer(question, reply.text, [reply.id]) if reply is not None else None
            widget.show_past(answer, when_text(reply.created_at if reply is not None else past.question.created_at))
        self._stick_to_bottom = True

    def new_conversation(self) -> None:
        """A new, empty conversation (the earlier ones stay in the list)."""
        if self.busy:
            return
        import uuid
        from datetime import datetime

        self.clear()
        self.conversation_id = f"gui-{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        self.history.mark("")
        self.welcome.show()
        self.input.setFocus()

    def clear(self, notes: bool = True) -> None:
        """An empty transcript (`notes`: Mnemo's own messages go too)."""
        gone = [*self.exchanges, *((self.errors + self.infos) if notes else [])]
        for widget in gone:
            self.body_layout.removeWidget(widget)
            widget.deleteLater()
        self.exchanges = []
        if notes:
            self.errors, self.infos = [], []

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

    def show_info(self, message: str, fix=None) -> ErrorBubble:
        """Good news or an offer (`fix`: a (label, slot) button)."""
        bubble = ErrorBubble(message, fix, name="infoBubble")
        self._add(bubble)
        self.infos.append(bubble)
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
        if exchange is not (self.exchanges[-1] if self.exchanges else None):
            exchange.actions.regenerate_button.hide()
        if exchange is self._current:
            self._release()
        self.answer_finished.emit(answer)
        self.refresh_history()

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
    def _add(self, widget: QWidget, at: int | None = None) -> None:
        self.welcome.hide()
        # after the welcome label (index 0), before the stretch at the end
        self.body_layout.insertWidget(self.body_layout.count() - 1 if at is None else 1 + at, widget)

    def _follow(self, _low: int, high: int) -> None:
        if self._stick_to_bottom:
            QTimer.singleShot(0, lambda: self.transcript.verticalScrollBar().setValue(
                self.transcript.verticalScrollBar().maximum()))
