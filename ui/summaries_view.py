"""The Summaries view: the gist that remains when details fade. Day summaries on a timeline
(newest first; selecting one lists the memories it was made from), the overview of all days
and the portrait of the user, which the user can correct. Each can be regenerated; the
writing runs as an upkeep job in the background, with a busy bar meanwhile."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .display import error_text, job_text, kind_name, when_text
from .lazy_refresh import LazyRefresh
from .memory_list_panel import MEMORY_ROLE, MemoryListPanel, memory_list
from .scrolling import scrolling_column
from .summary_cards import Card, OverviewCard, PortraitCard
from .summary_text import day_parts
from .workers import MnemoBridge

NO_DAYS = ("No day summaries yet. Each day you talk to Mnemo or add notes is summarised after it ends; "
           "“Summarize past days” catches up now.")


def linked_meta(memory) -> str:
    state = "" if memory.state == "active" else f" · {memory.state}"
    return f"{when_text(memory.when)} · {kind_name(memory.kind)}{state}"


class SummariesView(LazyRefresh, QWidget):
    notice = Signal(str)

    def __init__(self, bridge: MnemoBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.shelf = None
        self.loaded = False
        self.init_refresh()
        self._linked_request = 0

        self.days_card = Card("Days")
        self.days_button = self.days_card.button("Summarize past days",
                                                 "Write the summaries of past days that are missing or out of date")
        self.days_button.clicked.connect(lambda: self._run("day_summaries"))
        self.days = memory_list("dayList", title=True, meta=False)
        self.days.setAccessibleName("Days")
        self.days.currentItemChanged.connect(lambda item, _old: self._day_selected(item))
        self.days_empty = QLabel(NO_DAYS)
        self.days_empty.setObjectName("emptyText")
        self.days_empty.setWordWrap(True)
        self.days_empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.days_card.body.addWidget(self.days, 1)
        self.days_card.body.addWidget(self.days_empty, 1)
        self.days_empty.hide()

        self.linked_card = Card("Made from")
        self.linked = MemoryListPanel("linkedList", "Select a day to see the memories it was made from.")
        self.linked.list.setAccessibleName("The memories the day was made from")
        self.linked.layout().setContentsMargins(0, 0, 0, 0)
        self.linked_card.body.addWidget(self.linked, 1)

        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(self.days_card)
        left.addWidget(self.linked_card)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setSizes([330, 220])

        self.overview = OverviewCard()
        self.overview.regenerate_requested.connect(lambda: self._run("global_summary"))
        self.portrait = PortraitCard()
        self.portrait.regenerate_requested.connect(lambda: self._run("portrait"))
        self.portrait.save_requested.connect(self.save_portrait)
        right_body = QWidget()
        right_body.setObjectName("cardColumn")
        right_layout = QVBoxLayout(right_body)
        right_layout.setContentsMargins(0, 0, 4, 0)
        right_layout.setSpacing(10)
        right_layout.addWidget(self.overview)
        right_layout.addWidget(self.portrait)
        right_layout.addStretch(1)
        right = scrolling_column(right_body, "Overview and portrait")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([500, 370])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(splitter, 1)

        bridge.memories_changed.connect(self._changed)
        bridge.maintenance_started.connect(self._job_state)
        bridge.maintenance_finished.connect(self._job_ended)
        bridge.maintenance_failed.connect(self._job_failed)
        bridge.opened.connect(self._changed)
        bridge.open_failed.connect(self._open_failed)

    # ------------------------------------------------------------------ refreshing
    def _load(self, request: int) -> None:
        self.bridge.summaries(lambda shelf: self._show(request, shelf), lambda exc: self._failed(request, exc))

    def _failed(self, request: int, exc: BaseException) -> None:
        if self.is_current(request):
            self.notice.emit(error_text(exc))

    def _show(self, request: int, shelf) -> None:
        if not self.is_current(request):
            return
        self.shelf = shelf
        self.loaded = True
        current = self.current_day()
        keep = current.id if current is not None else None
        self.days.blockSignals(True)
        self.days.clear()
        chosen = None
        for memory in shelf.days:
            title, lines = day_parts(memory.text)
            item = QListWidgetItem("\n".join([title, *lines]) if title else "\n".join(lines))
            item.setData(MEMORY_ROLE, memory)
            self.days.addItem(item)
            if memory.id == keep:
                chosen = item
        if chosen is not None:
            self.days.setCurrentItem(chosen)
        else:
            self.days.setCurrentRow(-1)
        self.days.blockSignals(False)
        self.days.setVisible(bool(shelf.days))
        self.days_empty.setVisible(not shelf.days)
        if chosen is None and shelf.days:
            self.days.setCurrentRow(0)  # the newest day, and what it was made from
        else:
            self._day_selected(self.days.currentItem())
        self.overview.show_overview(shelf.overview)
        self.portrait.show_portrait(shelf.portrait)
        for job in ("day_summaries", "global_summary", "portrait"):
            self._job_state(job)

    def _open_failed(self, message: str) -> None:
        self.days_empty.setText(message)
        self.days.hide()
        self.days_empty.show()

    # ------------------------------------------------------------------ days
    def day_texts(self) -> list[str]:
        return [self.days.item(i).text() for i in range(self.days.count())]

    def current_day(self):
        item = self.days.currentItem()
        return item.data(MEMORY_ROLE) if item is not None else None

    def _day_selected(self, item) -> None:
        self._linked_request += 1
        request = self._linked_request
        memory = item.data(MEMORY_ROLE) if item is not None else None
        if memory is None:
            self.linked_card.title.setText("Made from")
            self.linked.set_rows([])
            return
        self.bridge.linked(memory, lambda found: self._show_linked(request, found),
                           lambda exc: self.notice.emit(error_text(exc)))

    def _show_linked(self, request: int, memories: list) -> None:
        if request != self._linked_request:
            return
        n = len(memories)
        self.linked_card.title.setText(f"Made from {n} memor{'ies' if n != 1 else 'y'}")
        self.linked.set_rows([(m, linked_meta(m)) for m in sorted(memories, key=lambda m: m.when)])

    # ------------------------------------------------------------------ jobs
    def _run(self, job: str) -> None:
        self.bridge.run_job(job, lambda result: self.notice.emit(job_text(result)),
                            lambda exc: self.notice.emit(error_text(exc)))
        self._job_state(job)

    def _job_state(self, job: str) -> None:
        busy = self.bridge.is_job_running(job)
        if job == "day_summaries":
            self.days_card.busy.setVisible(busy)
            self.days_button.setEnabled(not busy)
            self.days_button.setText("Summarizing…" if busy else "Summarize past days")
        elif job == "global_summary":
            self.overview.set_busy(busy)
        elif job == "portrait":
            self.portrait.set_busy(busy)

    def _job_ended(self, result) -> None:
        self._job_state(result.job)
        self._changed()

    def _job_failed(self, job: str, _message: str) -> None:
        self._job_state(job)

    # ------------------------------------------------------------------ portrait
    def save_portrait(self, text: str) -> None:
        def done(portrait) -> None:
            self.portrait.saved(True)
            if portrait is not None:
                self.portrait.show_portrait(portrait)
            self.notice.emit("Portrait corrected. Your changes are kept when it is regenerated.")

        def failed(exc: BaseException) -> None:
            self.portrait.saved(False)
            self.notice.emit(error_text(exc))

        self.bridge.correct_portrait(text, done, failed, base_text=getattr(self.portrait, "edit_base", None))
