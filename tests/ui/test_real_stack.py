"""Through the real stack: LanceDB, all-MiniLM-L6-v2 and the SmolLM2 GGUF, wired by app.wiring."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from .helpers import ask, wait_answered

pytestmark = pytest.mark.real

NOTE = "My sister Anna lives in Lisbon"

PROBE = """
from app.paths import default_model_path
from llama_cpp import Llama
llama = Llama(model_path=str(default_model_path()), n_ctx=256, verbose=False)
llama("The capital of France is", max_tokens=2)
"""


@pytest.fixture(scope="module")
def model_runs():
    """A crash inside llama.cpp would take the whole test session down with it: try the
    bundled model in a child process first, and fail this test alone if it crashes."""
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    if probe.returncode != 0:
        pytest.fail(f"llama-cpp-python cannot evaluate a 5-token prompt with the bundled model here "
                    f"(exit {probe.returncode}): {probe.stderr.strip()[-300:]}")


def test_the_real_models_answer_from_a_note_in_the_chat(model_runs, qtbot, make_window, tmp_path, clock):
    from app.wiring import build_mnemo

    def factory():
        mnemo = build_mnemo(tmp_path / "data", clock)
        mnemo.add_note(NOTE)
        return mnemo

    window = make_window(factory=factory, wait=False)
    qtbot.waitUntil(lambda: window.bridge.is_ready, timeout=120_000)
    assert window.state_label.text() == "Ready", window.statusBar().currentMessage()
    assert window.bridge.mnemo.embedder.loaded and window.bridge.mnemo.model.loaded

    ask(qtbot, window, "Where does my sister live?")
    exchange = wait_answered(qtbot, window, timeout=120_000)
    assert not exchange.failed, exchange.state_text()
    assert "Lisbon" in exchange.answer_text()
    assert NOTE in exchange.memories.texts()
    qtbot.mouseClick(exchange.memories.toggle, Qt.MouseButton.LeftButton)
    assert exchange.memories.panel.isVisible()
    turns = [m.text for m in window.bridge.mnemo.memories() if m.kind == "turn"]
    assert "Where does my sister live?" in turns


def test_choosing_the_bundled_model_in_the_app_fixes_a_missing_one(model_runs, qtbot, make_window, tmp_path,
                                                                    clock, monkeypatch):
    """Through app.gui's wiring and the real app.wiring.switch_model: start with a model file
    that does not exist, add a GGUF file in File ▸ Language Models… and use it, and get answers."""
    from PySide6.QtWidgets import QFileDialog

    from app.gui import build_bridge
    from app.paths import default_model_path
    from app.settings import Settings

    missing = tmp_path / "missing.gguf"
    picked = tmp_path / "picked.gguf"  # stands for "any GGUF file the user has"
    try:
        os.link(default_model_path(), picked)  # another file, the same bytes
    except OSError:
        shutil.copyfile(default_model_path(), picked)
    data = tmp_path / "data"
    window = make_window(bridge=build_bridge(data, clock, missing), wait=False)
    qtbot.waitUntil(lambda: window.bridge.is_ready, timeout=120_000)
    assert window.state_label.text() == "Ready — no language model"
    assert str(missing) in window.chat.errors[0].text()

    window.open_quick_capture()
    qtbot.keyClicks(window.quick_capture.input, NOTE)
    with qtbot.waitSignal(window.quick_capture.saved, timeout=30_000):
        qtbot.keyClick(window.quick_capture.input, Qt.Key.Key_Return)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(picked), "")))
    qtbot.mouseClick(window.chat.errors[0].fix_button, Qt.MouseButton.LeftButton)  # the model library opens
    library = window.model_chooser.dialog
    qtbot.waitUntil(lambda: bool(library.rows), timeout=30_000)
    qtbot.mouseClick(library.add_button, Qt.MouseButton.LeftButton)  # Add a File…: the GGUF the user has
    qtbot.waitUntil(lambda: library.current() is not None and library.current().path == str(picked.resolve())
                    and library.use_button.isEnabled(), timeout=30_000)
    with qtbot.waitSignal(window.bridge.model_switched, timeout=120_000):
        qtbot.mouseClick(library.use_button, Qt.MouseButton.LeftButton)
    assert window.bridge.model_error is None and window.state_label.text() == "Ready"
    assert window.statusBar().currentMessage() == "Answers now use picked.gguf"
    assert Settings.load(data).model_path == str(picked.resolve())

    ask(qtbot, window, "Where does my sister live?")
    exchange = wait_answered(qtbot, window, timeout=120_000)
    assert not exchange.failed, exchange.state_text()
    assert "Lisbon" in exchange.answer_text()
    assert NOTE in exchange.memories.texts()


def test_the_summaries_view_shows_a_day_summarised_with_the_real_embedder(model_runs, qtbot, make_window, tmp_path,
                                                                          clock):
    """Notes one day; the next day the user opens Summaries and asks for the past days: the
    extractive summary (MiniLM centrality) is on the timeline, with the notes it came from."""
    from app.wiring import build_mnemo
    from core.days import day_of, long_day

    notes = ["I love hiking in the mountains with my brother Tom.",
             "My sister Anna lives in Lisbon and works as an architect.",
             "The dentist appointment is on Thursday at 14:30."]
    day = long_day(day_of(clock.now().timestamp()))

    def factory():
        mnemo = build_mnemo(tmp_path / "data", clock)
        for note in notes:
            mnemo.add_note(note)
        clock.advance(days=1)
        return mnemo

    window = make_window(factory=factory, wait=False)
    qtbot.waitUntil(lambda: window.bridge.is_ready, timeout=120_000)
    assert type(window.bridge.mnemo.embedder).__name__ == "MiniLMEmbedder" and window.bridge.mnemo.embedder.loaded
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    view = window.summaries
    qtbot.waitUntil(lambda: view.loaded, timeout=30_000)
    assert view.day_texts() == []

    qtbot.mouseClick(view.days_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(view.day_texts()) == 1, timeout=60_000)
    title, *lines = view.day_texts()[0].split("\n")
    assert title == f"{day} · 3 memories"
    assert lines and all(any(line in note for note in notes) for line in lines), lines
    qtbot.waitUntil(lambda: sorted(m.text for m in view.linked.rows()) == sorted(notes), timeout=30_000)

    qtbot.mouseClick(view.portrait.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Likes: hiking in the mountains" in view.portrait.text.text(), timeout=60_000)
