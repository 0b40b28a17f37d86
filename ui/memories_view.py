"""The memories view: search (or list everything), read a memory in the detail pane, pin,
unpin and delete it, with Undo right after a delete; a fact's detail lists the memories it
came from, and clicking one opens it. All store work runs in workers."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .display import error_text, kind_name, short, speaker_prefix, when_text
from .memory_detail import MemoryDetail
from .workers import MnemoBridge

MEMORY_ROLE = Qt.ItemDataRole.UserRole
REASON_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 250
UNDO_SECONDS = 15


# What the list shows: (title, the kinds or states it keeps)
SHOW = [("Memories", "memories"), ("Facts", "facts"), ("Forgotten", "forgotten"), ("Everything", "all")]


def keep(memory, show: str) -> bool:
    if show == "facts":
        return memory.kind == "fact"
    if show == "forgotten":
        return memory.state == "forgotten"
    if show == "memories":
        return memory.kind != "fact"
    return True


def relevant_hits(mnemo, query: str, show: str = "memories", k: int = 50) -> list:
    """Search hits a person would call matches (core leaves out the unrelated ones); forgotten
    memories are found too, and say so."""
    kinds = ["fact"] if show == "facts" else None
    hits = mnemo.search(query, k=k, relevant_only=True, forgotten_too=True, kinds=kinds)
    return [h for h in hits if keep(h.memory, show)]


def listed(mnemo, show: str) -> list:
    return [m for m in mnemo.memories() if keep(m, show)]


class UndoBar(QFrame):
    undo_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.memory_id = ""
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Bring the deleted memory back")
        self.undo_button.clicked.connect(lambda: self.undo_requested.emit(self.memory_id))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def offer(self, memory_id: str, text: str) -> None:
        self.memory_id = memory_id
        self.label.setText(f"Deleted “{short(text, 60)}”.")
        self.show()
        self._timer.start(UNDO_SECONDS * 1000)


class MemoriesView(QWidget):
    notice = Signal(str)

    def __init__(self, bridge: MnemoBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self._request = 0  # newest listing asked for; older answers are dropped
        self._answered = 0  # newest listing shown (or failed)
        self._select_id: str | None = None
        self._sources_request = 0  # newest fact whose sources were asked for
        self.loaded = False  # a listing has arrived at least once

        self.search = QLineEdit()
        self.search.setObjectName("memorySearch")
        self.search.setPlaceholderText("Search memories…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Find memories by meaning and by words; leave empty to list them all")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.refresh)

        self.count_label = QLabel("Opening memory…")
        self.count_label.setObjectName("countLabel")
        self.show_choice = QComboBox()
        self.show_choice.setObjectName("showChoice")
        self.show_choice.setAccessibleName("Show")
        self.show_choice.setToolTip("Memories: what was said and noted. Facts: what Mnemo distilled from it, "
                                    "with where each came from. Forgotten: what faded out of answers.")
        for title, value in SHOW:
            self.show_choice.addItem(title, value)
        self.show_choice.currentIndexChanged.connect(lambda _i: self.refresh())

        self.list = QListWidget()
        self.list.setObjectName("memoryList")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-wrap rows when the width changes
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._current_changed)

        self.undo_bar = UndoBar()
        self.undo_bar.undo_requested.connect(self.undo_delete)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(6)
        left_layout.addWidget(self.search)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.show_choice)
        left_layout.addLayout(top)
        left_layout.addWidget(self.list, 1)

        self.detail = MemoryDetail()
        self.detail.pin_requested.connect(lambda i: self._change("pin", i, "Pinned"))
        self.detail.unpin_requested.connect(lambda i: self._change("unpin", i, "Unpinned"))
        self.detail.delete_requested.connect(self.delete)
        self.detail.restore_requested.connect(lambda i: self._change("restore", i, "Restored"))
        self.detail.importance_requested.connect(self.set_importance)
        self.detail.source_chosen.connect(lambda memory: self.open_memory(memory.id))
        self.detail.memory_shown.connect(self._load_sources)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([520, 360])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.undo_bar)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)
        self._refresh_timer.timeout.connect(self.refresh)
        bridge.memories_changed.connect(self._refresh_timer.start)
        bridge.opened.connect(self.refresh)
        bridge.open_failed.connect(self.count_label.setText)

    # ------------------------------------------------------------------ listing
    def query(self) -> str:
        return self.search.text().strip()

    def refresh(self) -> None:
        """List everything (empty search) or the search's hits, in a worker."""
        self._search_timer.stop()
        self._request += 1
        request, query, show = self._request, self.query(), self.showing()
        if query:
            self.bridge.call(lambda m: relevant_hits(m, query, show),
                             lambda hits: self._show(request, [(h.memory, h.reason) for h in hits]),
                             lambda exc: self._failed(request, exc))
        else:
            self.bridge.call(lambda m: listed(m, show),
                             lambda memories: self._show(request, [(m, "") for m in memories]),
                             lambda exc: self._failed(request, exc))

    @property
    def listing(self) -> bool:
        """A listing or search is running; the list shows an older one meanwhile."""
        return self._answered != self._request

    def showing(self) -> str:
        return self.show_choice.currentData() or "memories"

    def _show(self, request: int, rows: list) -> None:
        if request != self._request:
            return
        self._answered = request
        current = self.current_memory()
        keep = self._select_id or (current.id if current is not None else None)
        self._select_id = None
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for memory, reason in rows:
            item = QListWidgetItem(self._item_text(memory))
            item.setData(MEMORY_ROLE, memory)
            item.setData(REASON_ROLE, reason)
            item.setToolTip(reason or f"{kind_name(memory.kind)} from {when_text(memory.created_at)}")
            self.list.addItem(item)
            if memory.id == keep:
                chosen = item
        self.list.blockSignals(False)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
        else:
            self.list.setCurrentRow(-1)
        self._current_changed(self.list.currentItem(), None)
        self.loaded = True
        n = len(rows)
        if self.query():
            self.count_label.setText("No memory matches." if n == 0 else f"{n} match{'es' if n != 1 else ''}")
        elif self.showing() == "facts":
            self.count_label.setText("No facts yet: they are distilled from what you tell Mnemo."
                                     if n == 0 else f"{n} fact{'s' if n != 1 else ''}")
        elif self.showing() == "forgotten":
            self.count_label.setText("Nothing is forgotten." if n == 0 else f"{n} forgotten")
        else:
            self.count_label.setText("No memories yet. Tell Mnemo something in the chat or add a quick note."
                                     if n == 0 else f"{n} memor{'ies' if n != 1 else 'y'}")

    def _failed(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            self._answered = request
            self.count_label.setText(error_text(exc))

    @staticmethod
    def _item_text(memory) -> str:
        meta = [when_text(memory.created_at), kind_name(memory.kind)]
        if memory.state != "active":
            meta.append(str(memory.state) + (" — select it to restore" if memory.state == "forgotten" else ""))
        if memory.valid_until is not None:
            meta.append(f"until {when_text(memory.valid_until)}")
        return f"{short(speaker_prefix(memory) + memory.text, 160)}\n{' · '.join(meta)}"

    # ------------------------------------------------------------------ reading
    def rows(self) -> list:
        """The memories listed, top to bottom."""
        return [self.list.item(i).data(MEMORY_ROLE) for i in range(self.list.count())]

    def current_memory(self):
        item = self.list.currentItem()
        return item.data(MEMORY_ROLE) if item is not None else None

    def select(self, memory_id: str) -> bool:
        for i in range(self.list.count()):
            if self.list.item(i).data(MEMORY_ROLE).id == memory_id:
                self.list.setCurrentRow(i)
                return True
        return False

    def _current_changed(self, item, _previous) -> None:
        if item is None:
            self.detail.show_memory(None)
        else:
            self.detail.show_memory(item.data(MEMORY_ROLE), item.data(REASON_ROLE) or "")

    def _load_sources(self, memory) -> None:
        """A fact is shown (selected here, or opened from an answer): read what it came from."""
        self._sources_request += 1
        if memory.kind == "fact" and memory.links:
            request = self._sources_request
            self.bridge.linked(memory, lambda found: self._show_sources(request, found),
                               lambda exc: self.notice.emit(error_text(exc)))

    def _show_sources(self, request: int, memories: list) -> None:
        if request == self._sources_request:
            self.detail.show_sources([m for m in memories if m.state != "deleted"])

    def open_memory(self, memory_id: str) -> None:
        """Select a memory; one not listed now (a fact's source, from the facts) is listed with
        the other memories first."""
        if self.select(memory_id):
            return
        self.show_choice.blockSignals(True)
        self.show_choice.setCurrentIndex(self.show_choice.findData("memories"))
        self.show_choice.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._select_id = memory_id
        self.refresh()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ------------------------------------------------------------------ editing
    def _change(self, action: str, memory_id: str, done_text: str) -> None:
        self._select_id = memory_id
        self.bridge.change(action, memory_id, lambda _i: self.notice.emit(done_text),
                           lambda exc: self.notice.emit(error_text(exc)))

    def set_importance(self, memory_id: str, value: float) -> None:
        self._select_id = memory_id

        def done(_memory) -> None:
            self.notice.emit("Importance changed")
            self.refresh()
        self.bridge.call(lambda m: m.set_importance(memory_id, value), done, lambda exc: self.notice.emit(error_text(exc)))

    def delete(self, memory_id: str) -> None:
        memory = self.detail.memory
        text = memory.text if memory is not None and memory.id == memory_id else ""
        self.bridge.change("delete", memory_id,
                           lambda _i: self._deleted(memory_id, text),
                           lambda exc: self.notice.emit(error_text(exc)))

    def _deleted(self, memory_id: str, text: str) -> None:
        self.undo_bar.offer(memory_id, text)
        self.notice.emit("Memory deleted")

    def undo_delete(self, memory_id: str) -> None:
        if not memory_id:
            return
        self.undo_bar.hide()
        self._select_id = memory_id
        self.bridge.change("undelete", memory_id, lambda _i: self.notice.emit("Delete undone"),
                           lambda exc: self.notice.emit(error_text(exc)))
