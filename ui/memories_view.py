"""The memories view: search (or list everything), narrowed by filters (kind, source, state,
date: "3 of 12 memories"); read a memory in the detail pane, or select several (Shift, Ctrl,
Ctrl+A). What is selected can be edited (Edit…, F2), pinned, unpinned, restored and deleted
(Delete, or the Del key); Ctrl+Z undoes the last delete, pin, unpin or edit done here, and says
what it undid. A fact's detail lists the memories it came from: clicking one opens it. All
store work runs in workers."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .display import error_text, kind_name, short, speaker_prefix, when_text
from .memory_detail import MemoryDetail, edit_refusal
from .memory_edit_dialog import EditMemoryDialog
from .memory_filters import FilterBar, count_text, find
from .memory_undo import Step, UndoBar, UndoStack
from .workers import MnemoBridge
from .workers_memories import Done

MEMORY_ROLE = Qt.ItemDataRole.UserRole
REASON_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 250
DONE_TEXT = {"pin": ("Pinned", "Pinned {n} memories"), "unpin": ("Unpinned", "Unpinned {n} memories"),
             "delete": ("Memory deleted", "{n} memories deleted"), "restore": ("Restored", "Restored {n} memories")}


def done_text(action: str, n: int) -> str:
    one, many = DONE_TEXT[action]
    return one if n == 1 else many.format(n=n)


class MemoriesView(QWidget):
    notice = Signal(str)

    def __init__(self, bridge: MnemoBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self._request = 0  # newest listing asked for; older answers are dropped
        self._answered = 0  # newest listing shown (or failed)
        self._select_ids: list[str] = []  # to select once a listing asked for after `_select_after` arrives
        self._select_after = 0
        self._sources_request = 0  # newest fact whose sources were asked for
        self.loaded = False  # a listing has arrived at least once
        self.undo_stack = UndoStack()
        self.edit_dialog: EditMemoryDialog | None = None

        self.search = QLineEdit()
        self.search.setObjectName("memorySearch")
        self.search.setAccessibleName("Search memories")
        self.search.setPlaceholderText("Search memories…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Find memories by meaning and by words; leave empty to list them all")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.refresh)

        self.filters = FilterBar()
        self.filters.changed.connect(self.refresh)
        self.count_label = QLabel("Opening memory…")
        self.count_label.setObjectName("countLabel")

        self.list = QListWidget()
        self.list.setObjectName("memoryList")
        self.list.setAccessibleName("Memories")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-wrap rows when the width changes
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemSelectionChanged.connect(self._selection_changed)

        self.undo_bar = UndoBar()
        self.undo_bar.undo_requested.connect(self.undo)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(6)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.filters)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.filters.clear_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.list, 1)

        self.detail = MemoryDetail()
        self.detail.pin_requested.connect(lambda ms: self._act("pin", ms))
        self.detail.unpin_requested.connect(lambda ms: self._act("unpin", ms))
        self.detail.delete_requested.connect(lambda ms: self._act("delete", ms))
        self.detail.restore_requested.connect(self.restore)
        self.detail.edit_requested.connect(self.edit)
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

        # keys: Del in the list; F2 and Ctrl+Z anywhere in the tab (the search box keeps its own Ctrl+Z)
        self.delete_action = self._key_action("Delete Selected Memories", QKeySequence.StandardKey.Delete,
                                              self.delete_selected, self.list)
        self.edit_action = self._key_action("Edit Memory…", QKeySequence(Qt.Key.Key_F2), self.edit_selected, self)
        self.undo_action = self._key_action("Undo", QKeySequence.StandardKey.Undo, self.undo, self)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)
        self._refresh_timer.timeout.connect(self.refresh)
        bridge.memories_changed.connect(self._refresh_timer.start)
        bridge.opened.connect(self.refresh)
        bridge.open_failed.connect(self.count_label.setText)

    def _key_action(self, text: str, keys, slot, owner: QWidget) -> QAction:
        action = QAction(text, owner)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        owner.addAction(action)
        return action

    # ------------------------------------------------------------------ listing
    def query(self) -> str:
        return self.search.text().strip()

    def refresh(self) -> None:
        """List everything (empty search) or the search's hits, as the filters say, in a worker."""
        self._search_timer.stop()
        self._request += 1
        request, query, filters = self._request, self.query(), self.filters.filters()
        self.bridge.call(lambda m: find(m, query, filters),
                         lambda found: self._show(request, *found),
                         lambda exc: self._failed(request, exc))

    @property
    def listing(self) -> bool:
        """A listing or search is running; the list shows an older one meanwhile."""
        return self._answered != self._request

    def showing(self) -> str:
        """The kind of memory listed (the Kind filter): all, notes, chat, facts or summaries."""
        return self.filters.filters().kind

    def _show(self, request: int, rows: list, total: int) -> None:
        if request != self._request:
            return
        self._answered = request
        current = self.current_memory()
        if self._select_ids and request > self._select_after:
            keep, self._select_ids = set(self._select_ids), []
        else:
            keep = {m.id for m in self.selected_memories()}
        self.list.blockSignals(True)
        self.list.clear()
        chosen = []
        for memory, reason in rows:
            item = QListWidgetItem(self._item_text(memory))
            item.setData(MEMORY_ROLE, memory)
            item.setData(REASON_ROLE, reason)
            item.setToolTip(reason or f"{kind_name(memory.kind)} from {when_text(memory.when)}")
            self.list.addItem(item)
            if memory.id in keep:
                chosen.append(item)
        if chosen:
            first = next((i for i in chosen if current is not None and i.data(MEMORY_ROLE).id == current.id), chosen[0])
            self.list.setCurrentItem(first, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            for item in chosen:
                item.setSelected(True)
        else:
            self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self._selection_changed()
        self.loaded = True
        self.count_label.setText(count_text(len(rows), total, self.query(), self.filters.filters()))

    def _failed(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            self._answered = request
            self.count_label.setText(error_text(exc))

    @staticmethod
    def _item_text(memory) -> str:
        meta = [when_text(memory.when), kind_name(memory.kind)]  # when it happened, as the date filter reads it
        if memory.state != "active":
            meta.append(str(memory.state) + (" — select it to restore" if memory.state == "forgotten" else ""))
        if memory.valid_until is not None:
            meta.append(f"until {when_text(memory.valid_until)}")
        return f"{short(speaker_prefix(memory) + memory.text, 160)}\n{' · '.join(meta)}"

    # ------------------------------------------------------------------ reading
    def rows(self) -> list:
        """The memories listed, top to bottom."""
        return [self.list.item(i).data(MEMORY_ROLE) for i in range(self.list.count())]

    def selected_memories(self) -> list:
        """The memories selected in the list, top to bottom."""
        return [item.data(MEMORY_ROLE) for item in sorted(self.list.selectedItems(), key=self.list.row)]

    def current_memory(self):
        """The memory the list's cursor is on, when it is selected."""
        item = self.list.currentItem()
        return item.data(MEMORY_ROLE) if item is not None and item.isSelected() else None

    def select(self, memory_id: str) -> bool:
        for i in range(self.list.count()):
            if self.list.item(i).data(MEMORY_ROLE).id == memory_id:
                self.list.setCurrentRow(i, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.list.scrollToItem(self.list.item(i))
                return True
        return False

    def _selection_changed(self) -> None:
        items = sorted(self.list.selectedItems(), key=self.list.row)
        if len(items) == 1:
            self.detail.show_memory(items[0].data(MEMORY_ROLE), items[0].data(REASON_ROLE) or "")
        else:
            self.detail.show_many([item.data(MEMORY_ROLE) for item in items])

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
        the other memories first (the search and the filters are left)."""
        if self.select(memory_id):
            return
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._select_later([memory_id])
        self.filters.blockSignals(True)
        self.filters.reset()
        self.filters.blockSignals(False)
        self.refresh()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _select_later(self, memory_ids) -> None:
        """Select these once the next listing arrives (after the change that lists them)."""
        self._select_ids = list(memory_ids)
        self._select_after = self._request

    # ------------------------------------------------------------------ acting on the selection
    def _act(self, action: str, memories: list) -> None:
        """Pin, unpin or delete these memories; each is a step Ctrl+Z can undo."""
        texts = {m.id: m.text for m in memories}

        def done(result: Done) -> None:
            if result.ids:
                step = Step(action, tuple(result.ids), texts.get(result.ids[0], ""))
                self.undo_stack.push(step)
                if action == "delete":
                    self.undo_bar.offer(step)
                else:
                    self.undo_bar.hide()  # its Undo would undo this now
            self.notice.emit(error_text(result.error) if result.error else done_text(action, len(result.ids)))
        self.bridge.act_on(action, list(texts), done)

    def delete_selected(self) -> None:
        """The Del key: delete what is selected, as the Delete button does."""
        live = self.detail.live()
        if live:
            self._act("delete", live)

    def restore(self, memories: list) -> None:
        """Bring back the forgotten and fading (restore) and the deleted (undelete) of these."""
        deleted = [m.id for m in memories if m.state == "deleted"]
        faded = [m.id for m in memories if m.state != "deleted"]

        def finish(ids: list[str], error) -> None:
            self._select_later(ids)
            self.notice.emit(error_text(error) if error else done_text("restore", len(ids)))

        def then(first: Done) -> None:
            if first.error is not None or not faded:
                finish(first.ids, first.error)
            else:
                self.bridge.act_on("restore", faded, lambda d: finish(first.ids + d.ids, d.error))
        if deleted:
            self.bridge.act_on("undelete", deleted, then)
        else:
            then(Done("undelete"))

    def set_importance(self, memory_id: str, value: float) -> None:
        def done(_memory) -> None:
            self.notice.emit("Importance changed")
            self.refresh()
        self.bridge.call(lambda m: m.set_importance(memory_id, value), done, lambda exc: self.notice.emit(error_text(exc)))

    # ------------------------------------------------------------------ editing
    def edit_selected(self) -> None:
        """F2: edit the one memory selected (or say why not)."""
        chosen = self.detail.selection
        if len(chosen) != 1:
            self.notice.emit("Select one memory to edit it" if chosen else "Select a memory to edit it")
        elif edit_refusal(chosen[0]):
            self.notice.emit(edit_refusal(chosen[0]))
        else:
            self.edit(chosen[0])

    def edit(self, memory) -> EditMemoryDialog:
        self.edit_dialog = EditMemoryDialog(self.bridge, memory, self)
        self.edit_dialog.edited.connect(self._edited)
        self.edit_dialog.finished.connect(self._back_from_editing)
        self.edit_dialog.open_editing()
        return self.edit_dialog

    def _back_from_editing(self, _result: int) -> None:
        """The box closed: the keys (Del, F2, Ctrl+Z) work on the list again at once."""
        self.window().activateWindow()
        self.list.setFocus()

    def _edited(self, before, after) -> None:
        if after.text == before.text:
            return
        self.undo_stack.push(Step("edit", (after.id,), before.text))
        self.undo_bar.hide()
        self._updated(after)
        self.notice.emit("Memory edited")

    def _updated(self, memory) -> None:
        """Show a memory's new words at once (the list is read again after the change too)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(MEMORY_ROLE).id == memory.id:
                item.setData(MEMORY_ROLE, memory)
                item.setText(self._item_text(memory))
        if self.detail.memory is not None and self.detail.memory.id == memory.id:
            self.detail.show_memory(memory, self.detail.fields["reason"].text())
        self._select_later([memory.id])

    # ------------------------------------------------------------------ undo
    def undo(self) -> None:
        """Ctrl+Z: undo the last delete, pin, unpin or edit done in this tab."""
        step = self.undo_stack.pop()
        self.undo_bar.hide()
        if step is None:
            self.notice.emit("Nothing to undo in Memories")
            return

        def failed(exc: BaseException) -> None:
            self.notice.emit(f"Could not undo: {error_text(exc)}")

        def done(result: Done) -> None:
            if result.error is not None:
                failed(result.error)
                return
            self._select_later(step.ids)
            self.notice.emit(step.undone_text())

        if step.action == "edit":
            self.bridge.edit(step.ids[0], step.text,
                             lambda result: (self._updated(result[1]), self.notice.emit(step.undone_text())), failed)
        else:
            self.bridge.act_on(step.undo_action, list(step.ids), done)
