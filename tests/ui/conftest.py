"""Fixtures for the GUI tests: a real Mnemo (LanceDB store in tmp_path) with the small
stand-in models from tests/fakes.py, behind the real MnemoBridge and MainWindow."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported anywhere

import pytest  # noqa: E402

from tests.fakes import HashEmbedder, ScriptedModel  # noqa: E402

READY_MS = 15_000


@pytest.fixture
def make_window(qtbot, tmp_path, clock):
    """make_window(model=..., notes=[...], model_switcher=..., ...) -> a shown MainWindow whose
    memory opens in the background (or one around a given `bridge`). `setup(mnemo)` runs after
    the notes are added (on the worker that opens the memory); `policy` is the DecayPolicy.
    The bridge is shut down (store closed) after the test."""
    from ui.main_window import MainWindow
    from ui.workers import MnemoBridge

    made = []

    def make(model=None, notes=(), embedder=None, wait=True, has_tray=False, factory=None,
             data_dir=None, conversation_id="test-chat", model_switcher=None, bridge=None, setup=None,
             policy=None, data_ops=None, settings=None):
        directory = data_dir or tmp_path / f"data{len(made)}"

        def build():
            from core.mnemo import Mnemo

            mnemo = Mnemo(directory, clock, embedder or HashEmbedder(),
                          model if model is not None else ScriptedModel(), policy=policy)
            for note in notes:
                mnemo.add_note(note)
            if setup is not None:
                setup(mnemo)
            return mnemo

        bridge = bridge or MnemoBridge(factory or build, model_switcher=model_switcher, data_ops=data_ops,
                                       data_dir=data_dir)
        window = MainWindow(bridge, conversation_id, has_tray=has_tray, settings=settings)
        qtbot.addWidget(window)
        made.append(window)
        window.show()
        qtbot.waitExposed(window)
        bridge.start()
        if wait:
            qtbot.waitUntil(lambda: bridge.is_ready, timeout=READY_MS)
        return window

    yield make
    for window in made:
        window.bridge.shutdown()
