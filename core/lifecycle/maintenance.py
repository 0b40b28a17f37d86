"""Background upkeep: the decay sweep, day summaries, the global summary and the portrait.

Each job is idempotent and decides what to do from the data alone (days with activity but
no up-to-date summary, a sweep older than its interval...), so catching up after the app
was closed, the computer slept, or the scheduler's own state was lost is always correct.
A job never runs twice at once: a second call while one runs returns at once (skipped)."""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ..clock import Clock
from .forgetting import Forgetting
from .portrait import Portrait
from .review import away_message, review
from .summaries import Summaries

JOBS = ("consolidate", "decay", "day_summaries", "global_summary", "portrait", "backup", "compact")
log = logging.getLogger(__name__)
REVIEWED = "review_announced"  # meta: a digest of the ids of the last review announced
TITLES = {"decay": "Decay sweep", "day_summaries": "Day summaries", "global_summary": "Global summary",
          "portrait": "Portrait", "backup": "Backup", "compact": "Compaction", "consolidate": "Facts"}


@dataclass(frozen=True)
class JobResult:
    job: str
    ran: bool  # False: skipped, the same job was already running
    changed: int  # memories written or moved
    seconds: float
    detail: str
    notice: str | None = None  # worth a desktop notification (after an absence; memories due for review)


class Maintenance:
    def __init__(self, forgetting: Forgetting, summaries: Summaries, portrait: Portrait, clock: Clock,
                 sweep_every_hours: float = 6.0, backups=None, store=None, facts=None, fact_finder=None):
        """`backups`: a core.memory.backup.ScheduledBackups (None: no scheduled backups);
        `store`: the MemoryStore, compacted when enough writes have piled up;
        `fact_finder()`: a ModelFactFinder when the model is capable, else None."""
        self.fact_finder = fact_finder
        self.store = store
        self.facts = facts  # core.lifecycle.facts.Facts: episodes not consolidated yet
        self.forgetting = forgetting
        self.summaries = summaries
        self.portrait = portrait
        self.clock = clock
        self.sweep_every_hours = sweep_every_hours
        self.backups = backups
        self._locks = {job: threading.Lock() for job in JOBS}
        self.listeners: list[Callable[[JobResult], None]] = []

    def set_timing(self, sweep_every_hours: float, backup_every_hours: float, backups_kept: int) -> None:
        """How often the decay sweep and the scheduled backup are due, and how many backups are
        kept (Preferences ▸ Schedule and Backups; the next look at what is due follows)."""
        self.sweep_every_hours = sweep_every_hours
        if self.backups is not None:
            self.backups.every_hours, self.backups.keep = backup_every_hours, backups_kept

    def due(self) -> list[str]:
        """The jobs that have work to do now, judged from the data (none while the store is
        damaged and read-only: nothing could be written)."""
        if self.store is not None and self.store.damage:
            return []
        due = []
        if self.facts is not None and (self.facts.pending() or (
                self.fact_finder is not None and self.facts.model_pending() and self.fact_finder() is not None)):
            due.append("consolidate")
        last = self.forgetting.last_sweep_at()
        if last is None or self.clock.now().timestamp() - last >= self.sweep_every_hours * 3600:
            due.append("decay")
        if self.summaries.pending_days():
            due.append("day_summaries")
        if "day_summaries" in due or self.summaries.global_pending():
            due.append("global_summary")
        if self.portrait.pending():
            due.append("portrait")
        if self.backups is not None and self.backups.due():
            due.append("backup")
        if self.store is not None and self.store.compaction_due():
            due.append("compact")
        return due

    def catch_up(self, cancel: threading.Event | None = None) -> list[JobResult]:
        """Run every job that is due, in order (summaries before the overview built on them)."""
        results = []
        for job in self.due():
            if cancel is not None and cancel.is_set():
                break
            try:
                results.append(self.run(job, cancel))
            except Exception as exc:  # one failing job must not keep the others from running
                log.exception("upkeep job %s failed", job)
                results.append(JobResult(job, False, 0, 0.0, f"failed: {exc}"))
        return results

    def run(self, job: str, cancel: threading.Event | None = None) -> JobResult:
        if job not in self._locks:
            raise ValueError(f"unknown job {job!r}; jobs are {', '.join(JOBS)}")
        lock = self._locks[job]
        if not lock.acquire(blocking=False):
            return JobResult(job, False, 0, 0.0, "already running")
        started = time.perf_counter()
        try:
            changed, detail, *notice = self._do(job, cancel)
        finally:
            lock.release()
        result = JobResult(job, True, changed, time.perf_counter() - started, detail, notice[0] if notice else None)
        for listener in list(self.listeners):
            listener(result)
        return result

    def _do(self, job: str, cancel: threading.Event | None) -> tuple:
        if job == "decay":
            sweep = self.forgetting.sweep()
            if sweep is None:
                return 0, "already running"
            moved = ", ".join(f"{len(ids)} {state}" for state, ids in sweep.changes.items()) or "no change"
            checked = f"{sweep.checked} memory" if sweep.checked == 1 else f"{sweep.checked} memories"
            return sweep.changed, f"checked {checked}: {moved}", self._notice(sweep)
        if job == "day_summaries":
            written = self.summaries.summarize_pending(cancel=cancel)
            return len(written), f"{len(written)} day summaries written"
        if job == "global_summary":
            pending = self.summaries.global_pending()
            summary = self.summaries.summarize_global()
            return int(pending and summary is not None), "overview rewritten" if pending else "overview up to date"
        if job == "backup":
            return self.backups.run() if self.backups is not None else (0, "backups are off")
        if job == "consolidate":
            if self.facts is None:
                return 0, "no facts to distil"
            report = self.facts.consolidate_pending(cancel)
            finder = self.fact_finder() if self.fact_finder is not None else None
            if finder is not None:  # a capable model reads for the facts the patterns missed
                by_model = self.facts.consolidate_with_model(finder, cancel)
                report.made += by_model.made
                report.merged += by_model.merged
                report.superseded += by_model.superseded
            return (len(report.made) + len(report.superseded),
                    f"{len(report.made)} facts made, {len(report.merged)} said again, {len(report.superseded)} superseded")
        if job == "compact":
            if self.store is None:
                return 0, "nothing to compact"
            self.store.compact()
            return 0, "tables compacted"
        pending = self.portrait.pending()
        self.portrait.refresh()
        return int(pending), "portrait rewritten" if pending else "portrait up to date"

    def _notice(self, sweep) -> str | None:
        """After a sweep: what it did after a long absence, else the memories newly due for
        review (each set announced once, so the same list does not nag every few hours)."""
        away = away_message(sweep, self.forgetting)
        if away and sweep.changes.get("forgotten"):
            away += " Forgotten memories stay findable (Memories > Show: Forgotten); Restore brings one back."
        due = review(self.forgetting)
        seen = hashlib.sha256(",".join(sorted(f.memory.id for f in due.due)).encode()).hexdigest()
        store = self.forgetting.store
        fresh = bool(due.due) and store.meta(REVIEWED) != seen
        if fresh:
            store.set_meta(REVIEWED, seen)
        if away and fresh:
            return f"{away} {due.message}"
        return away or (due.message + " They are under Memory health > To review." if fresh else None)
