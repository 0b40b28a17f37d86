"""File ▸ Choose Language Model…: from "the model file is missing" to answers, a file that
cannot be used, and a cancelled dialog. The switcher is injected like app/gui.py does; here it
installs a ScriptedModel (the real one is in test_real_stack.py)."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from core.answering.answer import NOTHING
from core.answering.llm import LlamaModel
from core.errors import ModelError
from tests.fakes import ScriptedModel

from .helpers import ask, wait_answered

NOTE = "My sister Anna lives in Lisbon"
REPLY = "Your sister Anna lives in Lisbon."


@pytest.fixture
def dialog(monkeypatch):
    """QFileDialog.getOpenFileName answers `dialog.answer`; each call is recorded."""

    class Dialog:
        answer = ""
        calls: list[tuple] = []

    def fake(parent, caption="", directory="", filter="", *rest):
        Dialog.calls.append((caption, directory, filter))
        return Dialog.answer, ("GGUF models (*.gguf)" if Dialog.answer else "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
    return Dialog


def installing(model, release: threading.Event | None = None):
    """A switcher like app.wiring.switch_model that loads `model` (after `release`, if given)."""
    calls = []

    def switch(mnemo, path: Path) -> Path:
        calls.append(path)
        if release is not None:
            release.wait(10)
        mnemo.use_model(model)
        return path

    switch.calls = calls
    return switch


def test_choosing_a_model_fixes_the_missing_model(qtbot, make_window, tmp_path, dialog):
    missing = tmp_path / "models" / "nothing-here.gguf"
    picked = tmp_path / "picked.gguf"
    release = threading.Event()
    switcher = installing(ScriptedModel(REPLY, delay=0.01), release)
    window = make_window(model=LlamaModel(missing), notes=[NOTE], model_switcher=switcher)

    # The missing-model message offers the way out, and so does the chat box.
    bubble = window.chat.errors[0]
    assert str(missing) in bubble.text() and bubble.fix_button is not None
    assert "File → Choose Language Model" in window.chat.input.placeholderText()
    assert window.model_chooser.action in window.menuBar().actions()[0].menu().actions()
    # Without a model the memory still answers, in its own words; nothing matched: it says so.
    ask(qtbot, window, "Anyone there?")
    nothing = wait_answered(qtbot, window)
    assert not nothing.failed and nothing.answer_text() == NOTHING
    ask(qtbot, window, "Where does my sister live?")
    quoted = wait_answered(qtbot, window)
    assert not quoted.failed and quoted.answer_text().startswith("From your note of ")
    assert quoted.answer_text().endswith(NOTE)

    dialog.answer = str(picked)
    qtbot.mouseClick(bubble.fix_button, Qt.MouseButton.LeftButton)
    assert dialog.calls and "GGUF models (*.gguf)" in dialog.calls[0][2] and "All files" in dialog.calls[0][2]
    qtbot.waitUntil(lambda: switcher.calls == [picked], timeout=5000)

    # While it loads: the status bar says so, and a question waits for the new model.
    assert window.state_label.text() == "Loading language model…"
    assert not window.model_chooser.action.isEnabled()
    ask(qtbot, window, "Where does my sister live?")
    waiting = window.chat.exchanges[-1]
    qtbot.wait(200)
    assert not waiting.finished and waiting.state_text() == "Waiting for the language model to load…"

    with qtbot.waitSignal(window.bridge.model_switched, timeout=5000):
        release.set()
    assert window.bridge.model_error is None
    assert window.state_label.text() == "Ready"
    assert window.statusBar().currentMessage() == "Answers now use picked.gguf"
    assert window.model_chooser.action.isEnabled()
    assert "File → Choose Language Model" not in window.chat.input.placeholderText()
    assert bubble.fix_button.isHidden()  # done its job

    # The waiting question is answered by the new model, and so is the next one.
    first = wait_answered(qtbot, window)
    assert first is waiting and not first.failed and first.answer_text() == REPLY
    assert NOTE in first.memories.texts()
    ask(qtbot, window, "And where does Anna live?")
    second = wait_answered(qtbot, window)
    assert second is not first and not second.failed and second.answer_text() == REPLY
    assert len(window.chat.errors) == 1 and not any(e.failed for e in window.chat.exchanges)


def test_a_model_that_cannot_be_used_is_explained_and_the_old_one_kept(qtbot, make_window, tmp_path, dialog):
    bogus = tmp_path / "notes.gguf"

    def refuses(mnemo, path):
        raise ModelError(f"The file {path} is not a GGUF language model (it does not start with 'GGUF'). "
                         "Choose another GGUF file with --model PATH, or in the app with File → Choose "
                         "Language Model.")

    old = ScriptedModel(REPLY)
    window = make_window(model=old, notes=[NOTE], model_switcher=refuses)
    window.show_tab(1)
    dialog.answer = str(bogus)
    with qtbot.waitSignal(window.bridge.model_switch_failed, timeout=5000):
        window.model_chooser.action.trigger()

    # The sentence names the file, in the chat (shown) and the status bar; it offers another try.
    assert window.tabs.currentWidget() is window.chat
    bubble = window.chat.errors[-1]
    assert str(bogus) in bubble.text() and "not a GGUF language model" in bubble.text()
    assert bubble.fix_button is not None
    assert str(bogus) in window.statusBar().currentMessage()
    # The previous model still answers.
    assert window.bridge.mnemo.model is old and window.bridge.model_error is None
    assert window.state_label.text() == "Ready"
    assert window.model_chooser.action.isEnabled() and not window.bridge.switching_model
    ask(qtbot, window, "Where does my sister live?")
    exchange = wait_answered(qtbot, window)
    assert not exchange.failed and exchange.answer_text() == REPLY


def test_a_failed_switch_keeps_the_missing_model_state(qtbot, make_window, tmp_path, dialog):
    missing = tmp_path / "nothing-here.gguf"

    def refuses(mnemo, path):
        raise ModelError(f"The language model file {path} does not exist.")

    window = make_window(model=LlamaModel(missing), model_switcher=refuses)
    before = window.bridge.model_error
    dialog.answer = str(tmp_path / "also-missing.gguf")
    with qtbot.waitSignal(window.bridge.model_switch_failed, timeout=5000):
        window.model_chooser.choose()
    assert window.bridge.model_error == before
    assert window.state_label.text() == "Ready — no language model"
    assert "also-missing.gguf" in window.chat.errors[-1].text()


def test_cancelling_the_dialog_changes_nothing(qtbot, make_window, tmp_path, dialog):
    missing = tmp_path / "nothing-here.gguf"
    switcher = installing(ScriptedModel(REPLY))
    window = make_window(model=LlamaModel(missing), model_switcher=switcher)
    model, error, errors = window.bridge.mnemo.model, window.bridge.model_error, len(window.chat.errors)
    switched = []
    window.bridge.model_switching.connect(switched.append)

    dialog.answer = ""
    window.model_chooser.action.trigger()
    qtbot.wait(100)
    assert len(dialog.calls) == 1
    assert switcher.calls == [] and switched == []
    assert window.bridge.mnemo.model is model and window.bridge.model_error == error
    assert window.state_label.text() == "Ready — no language model"
    assert len(window.chat.errors) == errors
    assert window.model_chooser.action.isEnabled()


def test_without_a_switcher_nothing_is_offered(qtbot, make_window, tmp_path):
    window = make_window(model=LlamaModel(tmp_path / "nothing-here.gguf"))
    assert not window.model_chooser.action.isEnabled()
    assert window.chat.errors[0].fix_button is None
    assert window.bridge.switch_model(tmp_path / "x.gguf") is False
