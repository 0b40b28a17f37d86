"""The Memory health view: what of some importance will be forgotten this week (Keep, Keep
All), which memories will be forgotten soonest, which are forgotten
(Restore, Purge) and which are pinned (Unpin); the forgetting curve of the selected one; how
forgetting works with the numbers in force; and "Run decay sweep now"."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import NotFoundError

from .display import (
    error_text,
    job_text,
    percent,
    short,
    speaker_prefix,
    when_text,
    within,
)
from .lazy_refresh import LazyRefresh
from .memory_list_panel import MemoryListPanel
from .retention_chart import RetentionChart, curve_facts
from .scrolling import scrolling_column
from .workers import MnemoBridge

REVIEW_TAB, FADING_TAB, FORGOTTEN_TAB, PINNED_TAB = 0, 1, 2, 3
TAB_TITLES = ("To review", "Fading soon", "Forgotten", "Pinned")
SWEEP_TEXT = "Run decay sweep now"


def explanation(policy) -> str:
    """How forgetting works, in plain words, with the policy's numbers."""
    growth = policy.recall_growth
    most = "twice" if growth == 2 else f"{growth:g} times"
    return (
        f"Every memory starts with a strength of {policy.min_strength_days:g} to {policy.max_strength_days:g} days, "
        "set by how important it is (a note you save counts more than small talk). Retention falls as "
        "e^(−days / strength): after as many days as its strength, a memory keeps 37%.\n"
        "Each time a memory is used in an answer its clock restarts and it grows stronger: up to "
        f"{most} as strong if it had almost faded, hardly at all if it was fresh.\n"
        f"Below {percent(policy.fading_below)} a memory is fading; below {percent(policy.forget_below)} it is "
        "forgotten: kept, but left out of answers until you restore it. Pinned memories, day summaries, "
        "the overview and the portrait never fade."
    )


def fading_meta(entry) -> str:
    state = "fading · " if entry.memory.state == "fading" else ""
    when = "at the next sweep" if entry.days_left <= 0 else within(entry.days_left)
    return f"{state}kept {percent(entry.retention)} · forgotten {when}"


def review_meta(entry) -> str:
    why = f" · {entry.memory.importance_reason}" if entry.memory.importance_reason else ""
    return fading_meta(entry) + why


def forgotten_meta(memory) -> str:
    recalled = f" · last used {when_text(memory.last_recalled_at)}" if memory.last_recalled_at else ""
    return f"forgotten · from {when_text(memory.created_at)}{recalled}"


def pinned_meta(memory) -> str:
    return f"pinned, never fades · from {when_text(memory.created_at)}"


class HealthView(LazyRefresh, QWidget):
    notice = Signal(str)

    def __init__(self, bridge: MnemoBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.health = None
        self.loaded = False
        self.init_refresh()
        self._curve_request = 0
        self.chart_memory = None  # the memory whose curve is shown
        self.confirm_box: QMessageBox | None = None
        self._shown_once = False

        self.summary_label = QLabel("Opening memory…")
        self.summary_label.setObjectName("countLabel")
        self.summary_label.setWordWrap(True)
        self.sweep_button = QPushButton(SWEEP_TEXT)
        self.sweep_button.setToolTip("Move memories between active, fading and forgotten by their retention now "
                                     "(Mnemo also does this by itself every few hours)")
        self.sweep_button.clicked.connect(self.run_sweep)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.sweep_button)

        self.review = MemoryListPanel("reviewList", "Nothing of importance will be forgotten this week. Small talk "
                                      "and everyday details fade without asking.")
        self.review.add_button("Keep", "Keep this memory: it grows stronger and its forgetting clock restarts",
                               lambda m: self._change("keep", m, "Kept"))
        self.keep_all_button = QPushButton("Keep All")
        self.keep_all_button.setToolTip("Keep every memory listed here")
        self.keep_all_button.clicked.connect(self.keep_all)
        self.keep_all_button.setEnabled(False)
        self.review.button_row.addWidget(self.keep_all_button)
        self.fading = MemoryListPanel("fadingList", "Nothing here fades: there are no notes or chats yet, "
                                      "or every one is pinned.")
        self.fading.add_button("Pin", "Keep this memory from fading", lambda m: self._change("pin", m, "Pinned"))
        self.forgotten = MemoryListPanel(
            "forgottenList", "Nothing is forgotten. Memories whose retention falls below the forgetting line are "
            "kept here, out of answers, until you restore or purge them.")
        self.forgotten.add_button("Restore", "Bring this memory back into answers; its forgetting clock restarts",
                                  lambda m: self._change("restore", m, "Restored"))
        self.forgotten.add_button("Purge…", "Remove this memory for good (asks first)", self.ask_purge, "danger")
        self.pinned = MemoryListPanel("pinnedList", "No pinned memories. Pin a memory (here or in Memories) "
                                      "to keep it from fading.")
        self.pinned.add_button("Unpin", "Let this memory fade like the others",
                               lambda m: self._change("unpin", m, "Unpinned"))
        self.lists = QTabWidget()
        self.lists.setObjectName("healthLists")
        self.lists.tabBar().setAccessibleName("Which memories")
        for panel, title in zip((self.review, self.fading, self.forgotten, self.pinned), TAB_TITLES):
            self.lists.addTab(panel, title)
            panel.list.setAccessibleName(title)
            panel.selected.connect(self.show_curve)
        self.lists.currentChanged.connect(self._list_changed)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.lists)
        self.splitter.addWidget(scrolling_column(self._curve_pane(), "Forgetting curve"))
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([400, 470])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        bridge.memories_changed.connect(self._changed)
        bridge.maintenance_started.connect(self._job_state)
        bridge.maintenance_finished.connect(self._job_ended)
        bridge.maintenance_failed.connect(lambda job, _why: self._job_state(job))
        bridge.opened.connect(self._changed)
        bridge.open_failed.connect(self.summary_label.setText)

    def _curve_pane(self) -> QFrame:
        pane = QFrame()
        pane.setObjectName("detailPane")
        self.chart_title = QLabel("Forgetting curve")
        self.chart_title.setObjectName("paneTitle")
        self.chart_text = QLabel("")
        self.chart_text.setObjectName("muted")
        self.chart_text.setWordWrap(True)
        self.chart_text.setTextFormat(Qt.TextFormat.PlainText)
        self.chart = RetentionChart()
        self.caption = QLabel("")
        self.caption.setObjectName("chartCaption")
        self.caption.setWordWrap(True)
        self.policy_title = QLabel("How forgetting works")
        self.policy_title.setObjectName("paneTitle")
        self.policy_label = QLabel("")
        self.policy_label.setObjectName("muted")
        self.policy_label.setWordWrap(True)
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(self.chart_title)
        layout.addWidget(self.chart_text)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.caption)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setObjectName("rule")
        layout.addSpacing(4)
        layout.addWidget(line)
        layout.addWidget(self.policy_title)
        layout.addWidget(self.policy_label)
        return pane

    # ------------------------------------------------------------------ refreshing
    def _load(self, request: int) -> None:
        self.bridge.health(lambda health: self._show(request, health), lambda exc: self._failed(request, exc))

    def _failed(self, request: int, exc: BaseException) -> None:
        if self.is_current(request):
            self.summary_label.setText(error_text(exc))

    def _show(self, request: int, health) -> None:
        if not self.is_current(request):
            return
        self.health = health
        self.loaded = True
        policy = self.bridge.policy
        if policy is not None:
            self.policy_label.setText(explanation(policy))
        self.summary_label.setText(self._summary(health))
        self.review.set_rows([(f.memory, review_meta(f)) for f in health.to_review], self._keep(self.review))
        self.keep_all_button.setEnabled(bool(health.to_review))
        self.fading.set_rows([(f.memory, fading_meta(f)) for f in health.fading_soon], self._keep(self.fading))
        self.forgotten.set_rows([(m, forgotten_meta(m)) for m in reversed(health.forgotten)],
                                self._keep(self.forgotten))
        self.pinned.set_rows([(m, pinned_meta(m)) for m in health.pinned], self._keep(self.pinned))
        counts = (len(health.to_review), len(health.fading_soon), len(health.forgotten), len(health.pinned))
        for index, (title, n) in enumerate(zip(TAB_TITLES, counts)):
            self.lists.setTabText(index, f"{title} ({n})")
        self._job_state("decay")
        if not self._shown_once:
            self._shown_once = True
            self.lists.setCurrentIndex(REVIEW_TAB if health.to_review else FADING_TAB)
        panel = self.current_panel()
        if self.chart_memory is None and panel.rows():
            panel.list.setCurrentRow(0)  # a first curve to look at
        elif self.chart_memory is not None:
            self._refresh_curve()

    def _keep(self, panel: MemoryListPanel) -> str | None:
        current = panel.current_memory()
        return current.id if current is not None else None

    @staticmethod
    def _summary(health) -> str:
        counts, total = health.counts, health.total
        parts = [f"{counts[s]} {s}" for s in ("active", "fading", "forgotten", "pinned", "quarantined")
                 if counts.get(s)]
        swept = when_text(health.last_sweep_at) if health.last_sweep_at else "not yet"
        n, facts = total.get("memories", 0), total.get("facts", 0)
        head = f"{n} memor{'ies' if n != 1 else 'y'} and {facts} fact{'s' if facts != 1 else ''}"
        head += f". Of what fades: {', '.join(parts)}" if parts else ""
        return f"{head}.  Last decay sweep: {swept}."

    # ------------------------------------------------------------------ the curve
    def current_panel(self) -> MemoryListPanel:
        return self.lists.currentWidget()

    def _list_changed(self, _index: int) -> None:
        memory = self.current_panel().current_memory()
        if memory is not None:
            self.show_curve(memory)

    def show_curve(self, memory) -> None:
        if memory is None:
            return
        self.chart_memory = memory
        self.chart_text.setText(short(speaker_prefix(memory) + memory.text, 200))
        self._refresh_curve()

    def _refresh_curve(self) -> None:
        memory = self.chart_memory
        self._curve_request += 1
        request = self._curve_request
        self.bridge.retention_curve(memory.id, lambda points, now: self._show_curve(request, memory, points, now),
                                    lambda exc: self._curve_failed(request, exc))

    def _show_curve(self, request: int, memory, points, now: float) -> None:
        if request != self._curve_request:
            return
        policy = self.bridge.policy
        if policy is None:
            return
        state = self._state_of(memory)
        self.chart.set_curve(points, now, policy.fading_below, policy.forget_below)
        facts = curve_facts(points, now, policy.fading_below, policy.forget_below)
        self.caption.setText(self._caption(state, facts, policy))

    def _curve_failed(self, request: int, exc: BaseException) -> None:
        if request != self._curve_request:
            return
        self.chart_memory = None
        self.chart_text.setText("")
        self.caption.setText("")
        self.chart.clear("That memory was purged." if isinstance(exc, NotFoundError) else error_text(exc))

    def _state_of(self, memory) -> str:
        """The memory's state now (it may have changed since it was selected)."""
        for panel in (self.review, self.fading, self.forgotten, self.pinned):
            for listed in panel.rows():
                if listed.id == memory.id:
                    return str(listed.state)
        return str(memory.state)

    @staticmethod
    def _caption(state: str, facts, policy) -> str:
        if state == "pinned":
            return "Pinned: it never fades. Unpin it to let it fade like the others."
        if not facts.decays:
            return "This memory does not fade."
        kept = f"Kept {percent(facts.retention)} now"
        if state == "forgotten":
            return f"{kept}: forgotten, left out of answers. Restore brings it back and restarts its clock."
        later = " unless it is used in an answer"
        if facts.days_to_forgotten == 0:
            return f"{kept}: it will be forgotten at the next decay sweep{later}."
        if facts.days_to_fading == 0:
            return f"{kept} (fading). Forgotten {within(facts.days_to_forgotten)}{later}."
        return (f"{kept}. Fading {within(facts.days_to_fading)}, forgotten {within(facts.days_to_forgotten)}"
                f"{later}.")

    # ------------------------------------------------------------------ actions
    def run_sweep(self) -> None:
        if self.bridge.run_job("decay", lambda result: self.notice.emit(job_text(result)),
                               lambda exc: self.notice.emit(error_text(exc))):
            self._sweeping(True)

    def _sweeping(self, running: bool) -> None:
        self.sweep_button.setEnabled(not running)
        self.sweep_button.setText("Sweeping…" if running else SWEEP_TEXT)

    def _job_state(self, job: str) -> None:
        if job == "decay":
            self._sweeping(self.bridge.is_job_running("decay"))

    def _job_ended(self, result) -> None:
        self._job_state(result.job)
        self._changed()  # a sweep moves memories; the last-sweep time changes even when none moved

    def _change(self, action: str, memory, done_text: str) -> None:
        self.bridge.change(action, memory.id, lambda _i: self.notice.emit(f"{done_text}: “{short(memory.text, 50)}”"),
                           lambda exc: self.notice.emit(error_text(exc)))

    def keep_all(self) -> None:
        ids = [m.id for m in self.review.rows()]
        if ids:
            self.bridge.keep_many(ids, lambda kept: self.notice.emit(f"Kept {len(kept)}: each is stronger now"),
                                  lambda exc: self.notice.emit(error_text(exc)))

    def ask_purge(self, memory) -> QMessageBox:
        """Purging is permanent: ask first (Cancel is the default)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Purge memory?",
                          f"“{short(memory.text, 120)}” will be removed for good. This cannot be undone.",
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText("Restore keeps it instead: it comes back into answers.")
        box.purge_button = box.addButton("Purge", QMessageBox.ButtonRole.DestructiveRole)
        box.cancel_button = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(box.cancel_button)
        box.setEscapeButton(box.cancel_button)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.clickedButton() is box.purge_button:
                self._change("purge", memory, "Purged")
            self.confirm_box = None

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()
        return box
