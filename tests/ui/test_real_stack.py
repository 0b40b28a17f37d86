"""Through the real stack: LanceDB, all-MiniLM-L6-v2 and the SmolLM2 GGUF, wired by app.wiring."""
from __future__ import annotations

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
