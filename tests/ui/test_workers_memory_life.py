"""The bridge's calls for memory that lives: upkeep results from any thread arrive on the GUI
thread, jobs started from the window report start and end, and whatever changes memories is
followed by memories_changed."""
from __future__ import annotations

import threading

import pytest

from core.lifecycle.maintenance import JobResult
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel
from ui.workers import MnemoBridge

NOTE = "The spare key is in the blue flowerpot"


@pytest.fixture
def bridge(qtbot, tmp_path, clock):
    def build():
        mnemo = Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel())
        mnemo.add_note(NOTE)
        return mnemo

    made = MnemoBridge(build)
    made.start()
    qtbot.waitUntil(lambda: made.is_ready, timeout=5000)
    yield made
    made.shutdown()


def test_a_job_result_from_the_scheduler_thread_arrives_on_the_gui_thread(qtbot, bridge):
    seen = []
    changed = []
    bridge.maintenance_finished.connect(lambda result: seen.append((result, threading.current_thread())))
    bridge.memories_changed.connect(lambda: changed.append(True))
    result = JobResult("portrait", True, 1, 0.01, "portrait rewritten")
    worker = threading.Thread(target=bridge.job_finished, args=(result,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(result, threading.main_thread())]
    assert changed == [True]

    quiet = JobResult("decay", True, 0, 0.01, "checked 1 memories: no change")
    with qtbot.waitSignal(bridge.maintenance_finished, timeout=5000):
        threading.Thread(target=bridge.job_finished, args=(quiet,)).start()
    assert changed == [True]  # nothing changed: the views need not reload memories


def test_a_failing_scheduled_job_is_reported_as_a_sentence(qtbot, bridge):
    with qtbot.waitSignal(bridge.maintenance_failed, timeout=5000) as failed:
        threading.Thread(target=bridge.job_failed, args=("portrait", ZeroDivisionError("boom"))).start()
    assert failed.args[0] == "portrait"
    assert failed.args[1].startswith("Something unexpected went wrong (boom).")


def test_run_job_reports_start_and_end_and_refuses_a_second_run(qtbot, bridge, clock):
    started, results = [], []
    bridge.maintenance_started.connect(started.append)
    clock.advance(days=bridge.mnemo.memories()[0].strength * 3)
    with qtbot.waitSignal(bridge.maintenance_finished, timeout=5000) as finished:
        assert bridge.run_job("decay", results.append)
        assert bridge.is_job_running("decay")
        assert not bridge.run_job("decay")  # already running from this window
    assert started == ["decay"]
    assert finished.args[0].job == "decay" and finished.args[0].changed == 1
    assert results == [finished.args[0]]
    assert not bridge.is_job_running("decay")
    with pytest.raises(ValueError):
        bridge.run_job("tidy_up")


def test_restore_and_purge_change_memories(qtbot, bridge, clock):
    clock.advance(days=bridge.mnemo.memories()[0].strength * 3)
    swept = []
    with qtbot.waitSignal(bridge.memories_changed, timeout=5000):
        bridge.sweep(swept.append)
    assert swept[0].changed == 1
    memory_id = bridge.mnemo.faded()[0].id

    with qtbot.waitSignal(bridge.memories_changed, timeout=5000):
        bridge.restore(memory_id)
    assert bridge.mnemo.faded() == []
    curves = []
    bridge.retention_curve(memory_id, lambda points, now: curves.append((points, now)))
    qtbot.waitUntil(lambda: bool(curves), timeout=5000)
    points, now = curves[0]
    assert now == clock.now().timestamp()
    assert dict(points)[now] == 1.0  # restored: full strength again, now

    with qtbot.waitSignal(bridge.memories_changed, timeout=5000):
        bridge.change("delete", memory_id)
    with qtbot.waitSignal(bridge.memories_changed, timeout=5000):
        bridge.purge(memory_id)
    assert bridge.mnemo.store.find(memory_id) is None


def test_the_policy_is_readable_once_the_memory_is_open(bridge):
    assert bridge.policy.fading_below == 0.5 and bridge.policy.forget_below == 0.1
