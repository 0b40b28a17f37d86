"""The main window: first impression, start-up status, shortcuts, closing, and what a person
sees when the language model file is missing or the memory cannot be opened."""
from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from core.answering.llm import LlamaModel
from core.errors import StoreError
from tests.fakes import HashEmbedder, ScriptedModel
from ui.main_window import CHAT_TAB, MEMORIES_TAB

from .helpers import LoadsSlowly, ask, memories_of, wait_answered

NOTE = "My sister Anna lives in Lisbon"


def test_first_impression(qtbot, make_window):
    window = make_window()
    assert window.windowTitle() == "Mnemo"
    assert (window.width(), window.height()) == (900, 640)
    assert not window.windowIcon().isNull()
    assert window.tabs.currentIndex() == CHAT_TAB
    qtbot.waitUntil(window.chat.input.hasFocus, timeout=2000)  # type right away
    assert window.chat.input.toolTip() and window.chat.send_button.toolTip() and window.chat.stop_button.toolTip()
    assert window.chat.welcome.isVisible()


def test_start_up_status_then_ready(qtbot, make_window):
    release = threading.Event()
    model = LoadsSlowly(ScriptedModel("Lisbon."), release=release)
    window = make_window(model=model, embedder=LoadsSlowly(HashEmbedder()), wait=False)
    seen = [window.state_label.text()]
    window.bridge.status.connect(seen.append)
    qtbot.waitUntil(lambda: window.state_label.text() == "Loading language model…", timeout=5000)
    assert window.bridge.is_open and not window.bridge.is_ready
    assert "loading" in window.chat.input.placeholderText().lower()
    release.set()
    qtbot.waitUntil(lambda: window.state_label.text() == "Ready", timeout=5000)
    assert seen == ["Opening memory…", "Loading embedding model…", "Loading language model…", "Ready"]
    assert model.loaded


def test_window_shows_before_the_memory_is_open(qtbot, make_window, tmp_path, clock):
    from core.mnemo import Mnemo

    gate = threading.Event()

    def slow_open():
        gate.wait(10)
        return Mnemo(tmp_path / "slow", clock, HashEmbedder(), ScriptedModel())

    window = make_window(factory=slow_open, wait=False)
    assert window.isVisible()
    assert window.state_label.text() == "Opening memory…"
    qtbot.keyClicks(window.chat.input, "typing works meanwhile")
    assert window.chat.input.toPlainText() == "typing works meanwhile"
    gate.set()
    qtbot.waitUntil(lambda: window.bridge.is_ready, timeout=5000)


def test_tab_shortcuts_and_search_shortcut(qtbot, make_window):
    window = make_window(notes=[NOTE])
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == MEMORIES_TAB
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == CHAT_TAB
    assert window.chat.input.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == MEMORIES_TAB
    assert window.memories.search.hasFocus()


def test_ctrl_q_quits(qtbot, make_window):
    window = make_window()
    with qtbot.waitSignal(window.quit_requested, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_closing_without_a_tray_quits(qtbot, make_window):
    window = make_window(has_tray=False)
    with qtbot.waitSignal(window.quit_requested, timeout=2000):
        window.close()


def test_closing_with_a_tray_hides_to_the_tray(qtbot, make_window):
    window = make_window(has_tray=True)
    quits = []
    window.quit_requested.connect(lambda: quits.append(True))
    with qtbot.waitSignal(window.hidden_to_tray, timeout=2000):
        window.close()
    assert not window.isVisible() and quits == []
    window.activate()
    assert window.isVisible()


def test_missing_model_is_explained_and_the_rest_keeps_working(qtbot, make_window, tmp_path):
    missing = tmp_path / "models" / "nothing-here.gguf"
    window = make_window(model=LlamaModel(missing), notes=[NOTE])

    # Start-up: an error bubble in the chat and the status bar say what is wrong.
    assert len(window.chat.errors) == 1
    assert str(missing) in window.chat.errors[0].text()
    assert "does not exist" in window.chat.errors[0].text()
    assert window.state_label.text() == "Ready — no language model"
    assert str(missing) in window.statusBar().currentMessage()

    # Asking still answers from memory, in the memory's own words (no model to phrase it).
    ask(qtbot, window, "Where does my sister live?")
    exchange = wait_answered(qtbot, window)
    assert not exchange.failed and exchange.answer_text().endswith(NOTE)
    assert exchange.citations.texts() and NOTE in exchange.citations.texts()[0]
    assert window.chat.send_button.isEnabled()

    # Memories, search and quick capture still work.
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: NOTE in [m.text for m in window.memories.rows()], timeout=5000)
    qtbot.keyClicks(window.memories.search, "Lisbon")
    qtbot.waitUntil(lambda: window.memories.count_label.text() == "2 matches", timeout=5000)
    assert {m.text for m in window.memories.rows()} == {NOTE, exchange.answer_text()}  # the note, and the answer quoting it
    window.open_quick_capture()
    qtbot.keyClicks(window.quick_capture.input, "Anna's birthday is 3 March")
    with qtbot.waitSignal(window.quick_capture.saved, timeout=5000):
        qtbot.keyClick(window.quick_capture.input, Qt.Key.Key_Return)
    assert "Anna's birthday is 3 March" in [m.text for m in memories_of(window)]


def test_a_memory_that_cannot_be_opened_is_explained(qtbot, make_window):
    message = "The memory store in /somewhere could not be read. Restore a backup or choose another data directory."

    def broken():
        raise StoreError(message)

    window = make_window(factory=broken, wait=False)
    qtbot.waitUntil(lambda: bool(window.chat.errors), timeout=5000)
    assert window.chat.errors[0].text() == message
    assert window.state_label.text() == "Memory could not be opened"
    assert window.memories.count_label.text() == message

    ask(qtbot, window, "Anything?")
    assert wait_answered(qtbot, window).state_text() == message
    window.open_quick_capture()
    qtbot.keyClicks(window.quick_capture.input, "a note")
    qtbot.keyClick(window.quick_capture.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.quick_capture.feedback.text() == message, timeout=2000)


def test_summaries_and_health_have_their_own_shortcuts(qtbot, make_window):
    from ui.main_window import HEALTH_TAB, SUMMARIES_TAB

    window = make_window(notes=[NOTE])
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["Chat", "Memories", "Summaries", "Health", "Guard"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.summaries
    assert window.tabs.currentIndex() == SUMMARIES_TAB
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.health
    assert window.tabs.currentIndex() == HEALTH_TAB
    qtbot.waitUntil(lambda: window.health.loaded, timeout=5000)
    assert "Ctrl+3" in window.tabs.tabToolTip(SUMMARIES_TAB) and "Ctrl+4" in window.tabs.tabToolTip(HEALTH_TAB)
    assert window.summaries_action.shortcut().toString() == "Ctrl+3"


def test_run_decay_sweep_from_the_memory_menu(qtbot, make_window, clock):
    window = make_window(notes=[NOTE])
    clock.advance(days=window.bridge.mnemo.memories()[0].strength * 3)
    window.sweep_action.trigger()
    assert window.tabs.currentWidget() is window.health
    qtbot.waitUntil(lambda: [m.text for m in window.health.forgotten.rows()] == [NOTE], timeout=5000)


def test_the_window_opens_where_and_as_large_as_it_was_left(make_window, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QSplitter

    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    first = make_window(settings=settings)
    first.resize(700, 500)
    first.show_tab(2)
    first.memories.findChild(QSplitter).setSizes([150, 500])  # the list made narrow
    narrow = first.memories.findChild(QSplitter).sizes()
    first.close()
    again = make_window(settings=QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    assert (again.width(), again.height()) == (700, 500) and again.tabs.currentIndex() == 2
    assert again.memories.findChild(QSplitter).sizes() == narrow
