import threading
from datetime import datetime, timezone

from core.memory.records import Kind


def _at(clock, iso):
    clock.set(datetime.fromisoformat(iso).replace(tzinfo=timezone.utc))


def test_catch_up_derives_missed_work_from_the_data(mnemo, clock):
    _at(clock, "2026-05-01T10:00")
    mnemo.capture.add_turns([("I love hiking in the Tatra mountains.", "user", "")], "c")
    _at(clock, "2026-05-04T10:00")  # the app was closed for three days
    assert mnemo.maintenance.due() == ["consolidate", "decay", "day_summaries", "global_summary", "portrait"]
    results = mnemo.catch_up()
    assert [r.job for r in results] == ["consolidate", "decay", "day_summaries", "global_summary", "portrait"]
    assert mnemo.maintenance.due() == []
    assert mnemo.catch_up() == []  # idempotent: nothing left to do
    kinds = {m.kind for m in mnemo.memories()}
    assert {Kind.DAY_SUMMARY, Kind.GLOBAL_SUMMARY, Kind.PORTRAIT} <= kinds


def test_catch_up_is_correct_even_if_the_schedulers_state_is_lost(tmp_path, clock):
    from core.mnemo import Mnemo
    from tests.fakes import HashEmbedder, ScriptedModel

    _at(clock, "2026-05-01T10:00")
    m = Mnemo(tmp_path / "d", clock, HashEmbedder(), ScriptedModel())
    m.capture.add_turns([("Bought a red bicycle.", "user", "")], "c")
    _at(clock, "2026-05-02T10:00")
    m.catch_up()
    m.close()
    _at(clock, "2026-05-02T11:00")  # an hour later, a fresh process: nothing is redone
    m = Mnemo(tmp_path / "d", clock, HashEmbedder(), ScriptedModel())
    assert m.maintenance.due() == []
    m.close()


def test_sweep_is_due_again_after_its_interval(mnemo, clock):
    mnemo.run_job("decay")
    assert "decay" not in mnemo.maintenance.due()
    clock.advance(hours=mnemo.maintenance.sweep_every_hours)
    assert "decay" in mnemo.maintenance.due()


def test_a_job_never_runs_twice_at_once(mnemo, clock):
    mnemo.capture.add_turns([("Bought a red bicycle.", "user", "")], "c")
    clock.advance(days=1)
    entered, release = threading.Event(), threading.Event()
    original = mnemo.summaries.summarize_pending

    def slow(*args, **kwargs):
        entered.set()
        release.wait(5)
        return original(*args, **kwargs)

    mnemo.summaries.summarize_pending = slow
    results = []
    worker = threading.Thread(target=lambda: results.append(mnemo.run_job("day_summaries")))
    worker.start()
    assert entered.wait(5)
    second = mnemo.run_job("day_summaries")
    release.set()
    worker.join(5)
    assert second.ran is False and second.detail == "already running"
    assert results[0].ran is True and results[0].changed == 1
    assert len(mnemo.day_summaries()) == 1


def test_job_listeners_hear_each_result(mnemo):
    heard = []
    mnemo.maintenance.listeners.append(heard.append)
    mnemo.run_job("decay")
    assert [r.job for r in heard] == ["decay"]
