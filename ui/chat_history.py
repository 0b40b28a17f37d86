"""The chat's conversations beside the transcript: New Chat (Ctrl+N) and the conversations held
before, newest first, each named by its first question; choosing one shows it again and the
next question continues it. Read from the memory (the chat's turns), so it survives restarts."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from .display import when_text


class ConversationList(QWidget):
    chosen = Signal(str)  # a conversation id
    new_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conversationPanel")
        self.ids: list[str] = []
        self.new_button = QPushButton("New Chat")
        self.new_button.setToolTip("Start a new conversation (Ctrl+N)")
        self.new_button.clicked.connect(self.new_requested.emit)
        title = QLabel("Conversations")
        title.setObjectName("muted")
        self.list = QListWidget()
        self.list.setObjectName("conversationList")
        self.list.setAccessibleName("Conversations")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._picked)
        self.list.itemClicked.connect(self._picked)
        self.empty = QLabel("Your conversations will be listed here.")
        self.empty.setObjectName("emptyText")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 12, 4, 12)
        layout.setSpacing(6)
        layout.addWidget(self.new_button)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        self.setMinimumWidth(150)
        self.setMaximumWidth(240)

    def show_conversations(self, conversations, current: str) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.ids = []
        for c in conversations:
            item = QListWidgetItem(f"{c.title}\n{when_text(c.last)[:16]}")
            item.setToolTip(f"{c.title}\n{c.questions} question{'s' if c.questions != 1 else ''}, "
                            f"last on {when_text(c.last)}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)
            self.ids.append(c.id)
        self.list.blockSignals(False)
        self.mark(current)
        self.empty.setVisible(not self.ids)

    def mark(self, conversation_id: str) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(self.ids.index(conversation_id) if conversation_id in self.ids else -1)
        self.list.blockSignals(False)

    def _picked(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
