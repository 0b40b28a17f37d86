import threading
from datetime import datetime, timedelta, timezone

import pytest

from app.scheduler import UpkeepScheduler, timetable
from app.settings import Schedule
from core.memory.records import Kind


def _results_until(predicate):
    seen, done = [], threading.Event()

    def on_result(result):
        seen.append(result)
        if predicate(seen):
            done.set()
    return seen, done, on_result


def test_on_start_it_catches_up_in_the_background(mnemo, clock):
    clock.set(datetime(2026, 5, 1, 10, tzinfo=timezone.utc))
    mnemo.capture.add_turns([("I love sailing on the lake.", "user", "")], "c")
    clock.set(datetime(2026, 5, 3, 10, tzinfo=timezone.utc))  # Mnemo was closed for two days
    seen, done, on_result = _results_until(lambda s: {r.job for r in s} >= {"day_summaries", "portrait"})
    scheduler = UpkeepScheduler(mnemo, Schedule(), on_result=on_result)
    caller = threading.get_ident()
    threads = []
    original = mnemo.catch_up
    mnemo.catch_up = lambda *a: threads.append(threading.get_ident()) or original(*a)
    scheduler.start()
    try:
        assert done.wait(30), f"catch-up did not finish: {seen}"
    finally:
        scheduler.shutdown()
    assert threads and caller not in threads  # never on the caller's (GUI) thread
    assert {m.kind for m in mnemo.memories()} >= {Kind.DAY_SUMMARY, Kind.GLOBAL_SUMMARY, Kind.PORTRAIT}


def test_timetable_follows_the_settings():
    table = timetable(Schedule(sweep_every_hours=2, summaries_every_minutes=30, overview_every_hours=12))
    assert table["decay"] == timedelta(hours=2)
    assert table["catch_up"] == timedelta(minutes=30)
    assert table["portrait"] == table["global_summary"] == timedelta(hours=12)


def test_after_a_long_sleep_a_missed_job_runs_once_not_once_per_interval(mnemo):
    runs, done = [], threading.Event()
    scheduler = UpkeepScheduler(mnemo, Schedule(sweep_every_hours=1))
    original = mnemo.run_job

    def counting(job, *a):
        if job == "decay":
            runs.append(job)
            done.set()
        return original(job, *a)

    mnemo.run_job = counting
    scheduler.start(catch_up_now=False)
    try:
        # as after a resume: the sweep was due ten intervals ago
        scheduler._scheduler.modify_job("decay", next_run_time=datetime.now(timezone.utc) - timedelta(hours=10))
        scheduler._scheduler.wakeup()
        assert done.wait(30)
        for _ in range(20):  # give a wrongly un-coalesced timetable the chance to run again
            threading.Event().wait(0.05)
    finally:
        scheduler.shutdown()
    assert runs == ["decay"]


def test_a_failing_job_is_reported_and_the_timetable_goes_on(mnemo):
    errors, done = [], threading.Event()

    def broken(*a):
        raise RuntimeError("disk full")

    mnemo.catch_up = broken
    scheduler = UpkeepScheduler(mnemo, Schedule(), on_error=lambda job, exc: (errors.append((job, str(exc))),
                                                                                done.set()))
    scheduler.start()
    try:
        assert done.wait(30)
        assert set(scheduler.jobs()) == {"catch_up", "decay", "global_summary", "portrait", "backup"}
    finally:
        scheduler.shutdown()
    assert errors == [("catch_up", "disk full")]


@pytest.fixture
def mnemo(tmp_path, clock):
    from core.mnemo import Mnemo
    from tests.fakes import HashEmbedder, ScriptedModel

    m = Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel())
    yield m
    m.close()


def test_a_new_timetable_applies_to_the_running_scheduler(mnemo):
    scheduler = UpkeepScheduler(mnemo, Schedule())
    scheduler.start(catch_up_now=False)
    try:
        before = scheduler.jobs()
        scheduler.reschedule(Schedule(sweep_every_hours=1, backup_every_hours=48))
        after = scheduler.jobs()
    finally:
        scheduler.shutdown()
    now = datetime.now(timezone.utc)
    assert timedelta(minutes=59) < after["decay"] - now <= timedelta(hours=1)  # was 6 hours away
    assert timedelta(hours=47) < after["backup"] - now <= timedelta(hours=48)
    assert after["catch_up"] == before["catch_up"] and after["portrait"] == before["portrait"]  # unchanged
