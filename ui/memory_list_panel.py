"""A list of memories with a line of facts under each, a sentence for when it is empty and
buttons that act on the selected one (the lists of the Health and Summaries views)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .display import short, speaker_prefix
from .list_rows import RowDelegate

MEMORY_ROLE = Qt.ItemDataRole.UserRole


def memory_list(name: str, title: bool = False, meta: bool = True) -> QListWidget:
    """A list styled like the Memories view's (rows wrap and re-wrap on resize); `title`
    draws each row's first line bold, `meta` its last line muted."""
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setProperty("memoryList", True)
    widget.setWordWrap(True)
    widget.setUniformItemSizes(False)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setItemDelegate(RowDelegate(widget, title=title, meta=meta))
    return widget


def row_text(memory, meta: str, width: int = 160) -> str:
    return f"{short(speaker_prefix(memory) + memory.text, width)}\n{meta}" if meta else short(memory.text, width)


class MemoryListPanel(QWidget):
    selected = Signal(object)  # the memory now selected, or None

    def __init__(self, name: str, empty_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = memory_list(name)
        self.list.currentItemChanged.connect(lambda item, _old: self.selected.emit(self._memory(item)))
        self.list.itemClicked.connect(lambda item: self.selected.emit(self._memory(item)))
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("emptyText")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.buttons: dict[str, QPushButton] = {}
        self.button_row = QHBoxLayout()
        self.button_row.setSpacing(6)
        self.button_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(self.button_row)
        self.empty.hide()
        self.selected.connect(lambda _m: self._enable())

    def add_button(self, text: str, tip: str, slot: Callable[[object], None], name: str = "") -> QPushButton:
        """A button for the selected memory: slot(memory). Disabled while nothing is selected."""
        button = QPushButton(text)
        button.setToolTip(tip)
        if name:
            button.setObjectName(name)
        button.clicked.connect(lambda: self.current_memory() is not None and slot(self.current_memory()))
        button.setEnabled(False)
        self.button_row.addWidget(button)
        self.buttons[text] = button
        return button

    def set_rows(self, rows: list[tuple[object, str]], keep_id: str | None = None) -> None:
        """rows: (memory, facts line). The memory with `keep_id` stays selected if listed."""
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for memory, meta in rows:
            item = QListWidgetItem(row_text(memory, meta))
            item.setData(MEMORY_ROLE, memory)
            item.setToolTip(memory.text if len(memory.text) > 160 else "")
            self.list.addItem(item)
            if memory.id == keep_id:
                chosen = item
        if chosen is not None:
            self.list.setCurrentItem(chosen)
        else:
            self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._enable()

    def rows(self) -> list:
        return [self.list.item(i).data(MEMORY_ROLE) for i in range(self.list.count())]

    def row_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def current_memory(self):
        return self._memory(self.list.currentItem())

    def select(self, memory_id: str) -> bool:
        for row, memory in enumerate(self.rows()):
            if memory.id == memory_id:
                self.list.setCurrentRow(row)
                return True
        return False

    @staticmethod
    def _memory(item):
        return item.data(MEMORY_ROLE) if item is not None else None

    def _enable(self) -> None:
        has = self.current_memory() is not None
        for button in self.buttons.values():
            button.setEnabled(has)
