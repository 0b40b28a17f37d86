"""The memories an answer comes from, under it as buttons ("From: note of 2 Mar 2026 · My
manager is Dana…"); a click opens the memory in the Memories tab. An answer that comes from no
memory ("I don't have anything about that in your memory.") has none."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .display import kind_name, short, when_text


def citation_text(memory) -> str:
    return f"{kind_name(memory.kind)}, {when_text(memory.when)[:10]} · {short(memory.text, 60)}"


class Citations(QWidget):
    opened = Signal(object)  # the Memory whose citation was clicked

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.memories: list = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 0)
        self._layout.setSpacing(2)
        self.buttons: list[QPushButton] = []
        self.hide()

    def set_support(self, hits: list, support_ids) -> None:
        """Show the prompt's memories whose ids are in `support_ids`, in the order of `support_ids`."""
        by_id = {h.memory.id: h.memory for h in hits}
        self.memories = [by_id[i] for i in support_ids if i in by_id]
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for memory in self.memories:
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel("From:")
            label.setObjectName("muted")
            button = QPushButton(citation_text(memory))
            button.setObjectName("citation")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip("Open this memory in the Memories tab")
            button.clicked.connect(lambda _=False, m=memory: self.opened.emit(m))
            self.buttons.append(button)
            row.addWidget(label)
            row.addWidget(button, 1, Qt.AlignmentFlag.AlignLeft)
            holder = QWidget()
            holder.setLayout(row)
            self._layout.addWidget(holder)
        self.setVisible(bool(self.memories))

    def texts(self) -> list[str]:
        return [b.text() for b in self.buttons]
