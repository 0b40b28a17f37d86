"""Background upkeep on a timetable (APScheduler 3 BackgroundScheduler).

On start, everything missed while the app was closed is caught up (derived from the data,
see core/lifecycle/maintenance.py). Then the jobs repeat at the intervals in the settings. Each job:
- runs in the scheduler's own threads, never the GUI thread;
- never runs twice at once (max_instances=1 here, plus the job's own lock in core);
- after a sleep/resume or a long stall, runs once, not once per missed interval
  (coalesce=True, misfire_grace_time=None), and does only what the data says is due."""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from core.lifecycle.maintenance import JobResult
from core.mnemo import Mnemo

from .settings import Schedule

log = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


def timetable(schedule: Schedule) -> dict[str, timedelta]:
    """How often each job is looked at. Every look is cheap when nothing is due."""
    return {
        "catch_up": timedelta(minutes=schedule.summaries_every_minutes),  # day summaries + whatever is due
        "decay": timedelta(hours=schedule.sweep_every_hours),
        "global_summary": timedelta(hours=schedule.overview_every_hours),
        "portrait": timedelta(hours=schedule.overview_every_hours),
        "backup": timedelta(hours=schedule.backup_every_hours),
    }


class UpkeepScheduler:
    def __init__(self, mnemo: Mnemo, schedule: Schedule, on_result: Callable[[JobResult], None] | None = None,
                 on_error: Callable[[str, BaseException], None] | None = None):
        self.mnemo = mnemo
        self.schedule = schedule
        self.on_result = on_result
        self.on_error = on_error
        self._cancel = threading.Event()  # set on shutdown: a long catch-up stops between steps
        self._scheduler = BackgroundScheduler(executors={"default": ThreadPoolExecutor(1)},
                                              job_defaults=JOB_DEFAULTS, timezone=timezone.utc)

    def start(self, catch_up_now: bool = True) -> None:
        now = datetime.now(timezone.utc)
        for job, every in timetable(self.schedule).items():
            first = now if (job == "catch_up" and catch_up_now) else now + every
            self._scheduler.add_job(self._run, IntervalTrigger(seconds=every.total_seconds(), start_date=first),
                                    args=[job], id=job, name=job, next_run_time=first)
        self._scheduler.start()

    def reschedule(self, schedule: Schedule) -> None:
        """Follow a new timetable (Preferences ▸ Schedule) without a restart: each job whose
        interval changed next runs one new interval from now."""
        old, self.schedule = timetable(self.schedule), schedule
        if not self._scheduler.running:
            return
        now = datetime.now(timezone.utc)
        for job, every in timetable(schedule).items():
            if every != old[job]:
                self._scheduler.reschedule_job(job, trigger=IntervalTrigger(seconds=every.total_seconds(),
                                                                            start_date=now + every))

    def shutdown(self, wait: bool = True) -> None:
        self._cancel.set()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)

    def jobs(self) -> dict[str, datetime | None]:
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}

    def run_now(self, job: str) -> None:
        """Ask for `job` to run at once (on the scheduler's thread)."""
        self._scheduler.modify_job(job, next_run_time=datetime.now(timezone.utc))

    def _run(self, job: str) -> None:
        try:
            if self._cancel.is_set():
                return
            results = (self.mnemo.catch_up(self._cancel) if job == "catch_up"
                       else [self.mnemo.run_job(job, self._cancel)])
        except Exception as exc:  # a failing job must not stop the timetable
            log.exception("upkeep job %s failed", job)
            if self.on_error is not None:
                self.on_error(job, exc)
            return
        for result in results:
            if self.on_result is not None:
                self.on_result(result)
