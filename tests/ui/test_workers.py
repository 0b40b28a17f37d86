"""The bridge to core: slow work off the GUI thread, results back on it, calls made before
the memory is open wait for it, and failures arrive as sentences."""
from __future__ import annotations

import threading

import pytest

from core.errors import StoreError
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel
from ui.workers import MnemoBridge


@pytest.fixture
def bridge_for(qtbot, tmp_path, clock):
    made = []

    def make(factory=None):
        def build():
            return Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel("Lisbon."))

        bridge = MnemoBridge(factory or build)
        made.append(bridge)
        return bridge

    yield make
    for bridge in made:
        bridge.shutdown()


def test_work_runs_on_a_worker_and_results_arrive_on_the_gui_thread(qtbot, bridge_for):
    bridge = bridge_for()
    bridge.start()
    qtbot.waitUntil(lambda: bridge.is_ready, timeout=5000)
    threads = {}

    def work(mnemo):
        threads["work"] = threading.current_thread()
        return mnemo.add_note("The spare key is in the blue flowerpot")

    def done(result):
        threads["done"] = threading.current_thread()
        threads["result"] = result

    bridge.call(work, done)
    qtbot.waitUntil(lambda: "done" in threads, timeout=5000)
    assert threads["work"] is not threading.main_thread()
    assert threads["done"] is threading.main_thread()
    assert threads["result"].memory.text == "The spare key is in the blue flowerpot"


def test_the_store_is_opened_off_the_gui_thread(qtbot, bridge_for, tmp_path, clock):
    where = []

    def factory():
        where.append(threading.current_thread())
        return Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel())

    bridge = bridge_for(factory)
    with qtbot.waitSignal(bridge.opened, timeout=5000):
        bridge.start()
    assert where and where[0] is not threading.main_thread()


def test_calls_made_before_the_store_is_open_run_once_it_is(qtbot, bridge_for, tmp_path, clock):
    gate = threading.Event()

    def factory():
        gate.wait(10)
        return Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel())

    bridge = bridge_for(factory)
    bridge.start()
    results = []
    bridge.add_note("queued note", "quick_capture", results.append, results.append)
    qtbot.wait(100)
    assert results == [] and not bridge.is_open
    gate.set()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0].memory.text == "queued note"
    assert results[0].memory.source == "quick_capture"


def test_when_opening_fails_waiting_calls_get_the_reason(qtbot, bridge_for):
    gate = threading.Event()

    def factory():
        gate.wait(10)
        raise StoreError("The memory store in /x could not be read.")

    bridge = bridge_for(factory)
    bridge.start()
    errors = []
    bridge.call(lambda m: m.memories(), on_error=lambda exc: errors.append(str(exc)))
    with qtbot.waitSignal(bridge.open_failed, timeout=5000) as failed:
        gate.set()
    assert failed.args == ["The memory store in /x could not be read."]
    assert errors == ["The memory store in /x could not be read."]
    later = []
    bridge.call(lambda m: m.memories(), on_error=lambda exc: later.append(str(exc)))
    assert later == ["The memory store in /x could not be read."]


def test_unexpected_errors_become_sentences(qtbot, bridge_for):
    bridge = bridge_for()
    bridge.start()
    qtbot.waitUntil(lambda: bridge.is_ready, timeout=5000)
    errors = []

    def boom(_mnemo):
        raise ZeroDivisionError("division by zero")

    from ui.display import error_text

    bridge.call(boom, on_error=lambda exc: errors.append(error_text(exc)))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors[0].startswith("Something unexpected went wrong (division by zero).")


def test_shutdown_cancels_a_running_answer_and_closes_the_store(qtbot, bridge_for, tmp_path, clock):
    model = ScriptedModel(" ".join(["word"] * 200), delay=0.05)

    def with_a_memory():  # an empty memory is answered without the model: nothing to cancel
        mnemo = Mnemo(tmp_path / "data", clock, HashEmbedder(), model)
        mnemo.add_note("Tell me about the word of the day")
        mnemo.answers.capable = lambda: True  # the model streams its answer word by word
        return mnemo

    bridge = bridge_for(with_a_memory)
    bridge.start()
    qtbot.waitUntil(lambda: bridge.is_ready, timeout=5000)
    tokens = []
    handle = bridge.ask("Tell me", "c", lambda hits: None, tokens.append, lambda a: None, lambda e: None)
    qtbot.waitUntil(lambda: bool(tokens), timeout=5000)
    bridge.shutdown()  # returns once the worker has seen the cancel, not after 200 words
    assert handle.stopped
    assert len(tokens) < 100
    assert bridge.mnemo is None
