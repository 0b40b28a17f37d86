"""The bridge's calls for memory that lives: forgetting (health, curves, sweep, restore,
purge), day summaries, the overview, the portrait and the upkeep jobs.

Mixed into `MnemoBridge` (ui/workers.py), which owns the signals, the thread pool and the
`_post` mechanism used here. Every call runs `Mnemo` on a worker; callbacks run on the GUI
thread. Whatever changes memories is followed by `memories_changed`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .display import error_text

if TYPE_CHECKING:
    from core.mnemo import Mnemo

Callback = Callable[..., Any] | None
JOBS = ("decay", "day_summaries", "global_summary", "portrait")


@dataclass(frozen=True)
class SummaryShelf:
    """What the Summaries view shows, read in one go."""

    days: list = field(default_factory=list)  # day summaries, newest first
    overview: Any = None  # the global summary, or None
    portrait: Any = None  # the portrait, or None


def _shelf(mnemo: Mnemo) -> SummaryShelf:
    return SummaryShelf(list(reversed(mnemo.day_summaries())), mnemo.global_summary(), mnemo.portrait())


class MemoryLifeCalls:
    """Needs from its host: call(), _post(), _closed, mnemo, memories_changed,
    maintenance_started, maintenance_finished, maintenance_failed, jobs_running."""

    # ------------------------------------------------------------------ forgetting
    @property
    def policy(self):
        """The decay policy (plain numbers), once the memory is open; else None."""
        return self.mnemo.policy if self.mnemo is not None else None

    def health(self, on_done: Callback, on_error: Callback = None) -> None:
        self.call(lambda m: m.health(), on_done, on_error)

    def retention_curve(self, memory_id: str, on_done: Callback, on_error: Callback = None,
                        days_ahead: float = 30) -> None:
        """on_done(points, now): [(epoch seconds, retention)] from capture to `days_ahead`
        days after now, and "now" by Mnemo's clock (epoch seconds)."""
        self.call(lambda m: (m.retention_curve(memory_id, days_ahead), m.clock.now().timestamp()),
                  lambda result: on_done(*result), on_error)

    def retention(self, memory, on_done: Callback, on_error: Callback = None) -> None:
        self.call(lambda m: m.retention(memory), on_done, on_error)

    def faded(self, on_done: Callback, on_error: Callback = None) -> None:
        self.call(lambda m: m.faded(), on_done, on_error)

    def sweep(self, on_done: Callback = None, on_error: Callback = None) -> None:
        """One decay sweep now; on_done(SweepResult, or None when one was already running)."""
        def done(result) -> None:
            if result is not None and result.changed:
                self.memories_changed.emit()
            if on_done is not None:
                on_done(result)

        self.call(lambda m: m.sweep(), done, on_error)

    def restore(self, memory_id: str, on_done: Callback = None, on_error: Callback = None) -> None:
        """Bring a forgotten (or fading) memory back; its forgetting clock restarts."""
        self.change("restore", memory_id, on_done, on_error)

    def purge(self, memory_id: str, on_done: Callback = None, on_error: Callback = None) -> None:
        """Remove a forgotten or deleted memory for good (ask the user first)."""
        self.change("purge", memory_id, on_done, on_error)

    # ------------------------------------------------------------------ summaries and portrait
    def summaries(self, on_done: Callback, on_error: Callback = None) -> None:
        """on_done(SummaryShelf): day summaries (newest first), the overview and the portrait."""
        self.call(_shelf, on_done, on_error)

    def day_summaries(self, on_done: Callback, on_error: Callback = None) -> None:
        self.call(lambda m: m.day_summaries(), on_done, on_error)

    def global_summary(self, on_done: Callback, on_error: Callback = None) -> None:
        self.call(lambda m: m.global_summary(), on_done, on_error)

    def portrait(self, on_done: Callback, on_error: Callback = None) -> None:
        self.call(lambda m: m.portrait(), on_done, on_error)

    def linked(self, memory, on_done: Callback, on_error: Callback = None) -> None:
        """The memories a summary or the portrait was made from."""
        self.call(lambda m: m.linked(memory), on_done, on_error)

    def summarize(self, day: date | None = None, on_done: Callback = None, on_error: Callback = None) -> None:
        """Summarise `day` (even today), or every past day that needs it."""
        self._writing(lambda m: m.summarize(day), bool, on_done, on_error)

    def summarize_global(self, on_done: Callback = None, on_error: Callback = None) -> None:
        self._writing(lambda m: m.summarize_global(), lambda r: r is not None, on_done, on_error)

    def refresh_portrait(self, on_done: Callback = None, on_error: Callback = None) -> None:
        self._writing(lambda m: m.refresh_portrait(), lambda r: r is not None, on_done, on_error)

    def correct_portrait(self, edited_text: str, on_done: Callback = None, on_error: Callback = None,
                         base_text: str | None = None) -> None:
        """Keep the user's edit of `base_text` (the portrait they were shown) as corrections
        (they survive regeneration); on_done(portrait)."""
        self._writing(lambda m: m.correct_portrait(edited_text, base_text), lambda _r: True, on_done, on_error)

    def _writing(self, fn, changed: Callable[[Any], bool], on_done: Callback, on_error: Callback) -> None:
        def done(result) -> None:
            if changed(result):
                self.memories_changed.emit()
            if on_done is not None:
                on_done(result)

        self.call(fn, done, on_error)

    # ------------------------------------------------------------------ upkeep jobs
    def is_job_running(self, job: str) -> bool:
        """Started from this window and not finished yet (the scheduler's own runs are not seen)."""
        return job in self.jobs_running

    def run_job(self, job: str, on_done: Callback = None, on_error: Callback = None) -> bool:
        """Run one upkeep job (decay, day_summaries, global_summary, portrait) now. Emits
        maintenance_started, then maintenance_finished (or maintenance_failed). Returns False
        (and does nothing) if this window already runs that job."""
        if job not in JOBS:
            raise ValueError(f"unknown job {job!r}; jobs are {', '.join(JOBS)}")
        if job in self.jobs_running or self._closed:
            return False
        self.jobs_running.add(job)
        self.maintenance_started.emit(job)

        def done(result) -> None:
            self.jobs_running.discard(job)
            self._on_job_finished(result)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self.jobs_running.discard(job)
            self._on_job_failed(job, exc)
            if on_error is not None:
                on_error(exc)

        self.call(lambda m: m.run_job(job), done, failed)
        return True

    def catch_up(self, on_done: Callback = None, on_error: Callback = None) -> None:
        """Run every job that is due; maintenance_finished for each."""
        def done(results) -> None:
            for result in results:
                self._on_job_finished(result)
            if on_done is not None:
                on_done(results)

        self.call(lambda m: m.catch_up(), done, on_error)

    def job_finished(self, result) -> None:
        """Callable from ANY thread (e.g. the upkeep scheduler's): a job ended. On the GUI
        thread this emits maintenance_finished(result), and memories_changed if it changed any."""
        if not self._closed:
            self._post(self._on_job_finished, result)

    def job_failed(self, job: str, exc: BaseException) -> None:
        """Callable from ANY thread: a job raised. Emits maintenance_failed(job, sentence)."""
        if not self._closed:
            self._post(self._on_job_failed, job, exc)

    def _on_job_finished(self, result) -> None:
        if self._closed:
            return
        self.maintenance_finished.emit(result)
        if result.changed > 0:
            self.memories_changed.emit()

    def _on_job_failed(self, job: str, exc: BaseException) -> None:
        if not self._closed:
            self.maintenance_failed.emit(job, error_text(exc))
