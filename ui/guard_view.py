"""The Guard view: the memories the guard holds back (quarantined as they arrived from the
clipboard or an import, or kept out of an answer because they disagreed with what you said),
the selected one side by side with the memories it disagreed with, your say on each
("Not a threat — release", Pin, Delete) and, below, the lessons the guard learnt."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QSplitter, QVBoxLayout, QWidget

from .display import error_text, short
from .guard_rows import Comparison, LessonList, flagged_meta
from .lazy_refresh import LazyRefresh
from .memory_list_panel import MemoryListPanel
from .scrolling import scrolling_column
from .workers import MnemoBridge

RELEASE_TEXT = "Not a threat — release"
FLAGGED_EMPTY = ("Nothing is held back. Notes from the clipboard and imports are checked as they arrive, and "
                 "memories that disagree with what you said yourself are kept out of answers; they would be "
                 "listed here for you to judge.")
PIN_TIP = "Keep this memory from fading (it stays flagged until you release it)"
PIN_QUARANTINED_TIP = "A quarantined memory is not used at all: release it first if it is fine"


class GuardView(LazyRefresh, QWidget):
    notice = Signal(str)

    def __init__(self, bridge: MnemoBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.shelf = None
        self.loaded = False
        self.init_refresh()
        self.confirm_box: QMessageBox | None = None

        self.summary_label = QLabel("Opening memory…")
        self.summary_label.setObjectName("countLabel")
        self.summary_label.setWordWrap(True)

        self.flagged = MemoryListPanel("guardList", FLAGGED_EMPTY)
        self.release_button = self.flagged.add_button(
            RELEASE_TEXT, "The guard was wrong: use this memory again; records like it are not flagged again",
            self.release, "primary")
        self.pin_button = self.flagged.add_button("Pin", PIN_TIP, self.pin)
        self.delete_button = self.flagged.add_button("Delete…", "Delete this memory (asks first)", self.ask_delete,
                                                     "danger")
        self.flagged.selected.connect(self._selected)
        self.comparison = Comparison()

        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(self.flagged)
        top.addWidget(scrolling_column(self.comparison, "Why it was held back"))
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 3)
        top.setSizes([360, 520])
        self.lessons = LessonList()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.lessons)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([360, 200])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)

        bridge.memories_changed.connect(self._changed)
        bridge.opened.connect(self._changed)
        bridge.open_failed.connect(self.summary_label.setText)

    # ------------------------------------------------------------------ refreshing
    def _load(self, request: int) -> None:
        self.bridge.guard_shelf(lambda shelf: self._show(request, shelf), lambda exc: self._failed(request, exc))

    def _failed(self, request: int, exc: BaseException) -> None:
        if self.is_current(request):
            self.summary_label.setText(error_text(exc))

    def _show(self, request: int, shelf) -> None:
        if not self.is_current(request):
            return
        self.shelf = shelf
        self.loaded = True
        self.summary_label.setText(self._summary(shelf))
        current = self.flagged.current_memory()
        self.flagged.set_rows([(m, flagged_meta(m)) for m in shelf.flagged],
                              current.id if current is not None else None)
        if self.flagged.current_memory() is None and shelf.flagged:
            self.flagged.list.setCurrentRow(0)  # something to compare at once
        self._selected(self.flagged.current_memory())
        self.lessons.set_lessons(shelf.lessons)

    @staticmethod
    def _summary(shelf) -> str:
        held = len(shelf.flagged)
        if not held:
            head = "The guard holds nothing back."
        else:
            parts = [f"{n} {what}" for n, what in ((len(shelf.quarantined), "quarantined on arrival"),
                                                   (len(shelf.excluded), "kept out of answers")) if n]
            head = f"{held} memor{'ies' if held != 1 else 'y'} held back: {', '.join(parts)}."
        n = len(shelf.lessons)
        return f"{head}  {n} lesson{'s' if n != 1 else ''} learnt." if n else head

    def _selected(self, memory) -> None:
        conflicts = self.shelf.conflicts.get(memory.id, []) if memory is not None and self.shelf else []
        self.comparison.show_memory(memory, conflicts)
        quarantined = memory is not None and str(memory.state) == "quarantined"
        pinned = memory is not None and str(memory.state) == "pinned"
        self.pin_button.setEnabled(memory is not None and not quarantined and not pinned)
        self.pin_button.setToolTip(PIN_QUARANTINED_TIP if quarantined else PIN_TIP)

    # ------------------------------------------------------------------ actions
    def release(self, memory) -> None:
        self.bridge.release(memory.id, lambda _m: self.notice.emit(
            f"Released: “{short(memory.text, 50)}”. The guard will not flag records like it again."),
            lambda exc: self.notice.emit(error_text(exc)))

    def pin(self, memory) -> None:
        self.bridge.change("pin", memory.id, lambda _i: self.notice.emit(f"Pinned: “{short(memory.text, 50)}”"),
                           lambda exc: self.notice.emit(error_text(exc)))

    def ask_delete(self, memory) -> QMessageBox:
        """Ask first (Cancel is the default): the guard's flag may have been wrong."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Delete memory?",
                          f"“{short(memory.text, 120)}” will be deleted: Mnemo will not use it or show it again.",
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(f"If it is fine after all, “{RELEASE_TEXT}” keeps it instead.")
        box.delete_button = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.cancel_button = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(box.cancel_button)
        box.setEscapeButton(box.cancel_button)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.clickedButton() is box.delete_button:
                self.bridge.change("delete", memory.id,
                                   lambda _i: self.notice.emit(f"Deleted: “{short(memory.text, 50)}”"),
                                   lambda exc: self.notice.emit(error_text(exc)))
            self.confirm_box = None

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()
        return box
