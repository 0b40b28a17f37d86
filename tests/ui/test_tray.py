"""The tray menu (built even where no tray is shown, e.g. offscreen), and pausing what is remembered."""
from __future__ import annotations

from ui.tray import Tray

from .helpers import ask, wait_answered


def test_tray_menu_offers_quick_capture_show_pause_and_quit(qtbot):
    tray = Tray()
    assert [a.text() for a in tray.menu.actions() if not a.isSeparator() and a.isVisible()] == [
        "Quick Capture…", "Show Mnemo", "Pause Remembering Chats", "Quit"]
    assert not tray.icon.icon().isNull()
    for action, signal in ((tray.capture_action, tray.capture_requested),
                           (tray.show_action, tray.show_requested),
                           (tray.quit_action, tray.quit_requested)):
        with qtbot.waitSignal(signal, timeout=1000):
            action.trigger()


def test_paused_chats_are_answered_but_not_remembered(qtbot, make_window):
    """Pause Remembering Chats (Memory menu, or the tray, which follows): a question asked meanwhile is
    answered and not stored; after resuming, questions are remembered again."""
    window = make_window(notes=["My sister Anna lives in Lisbon"])
    tray = Tray()
    tray.pause_toggled.connect(window.set_capture_paused)
    window.capture_paused_changed.connect(tray.set_paused)
    mnemo = window.bridge.mnemo
    tray.pause_action.trigger()  # paused from the tray
    assert window.pause_action.isChecked() and window.paused_label.isVisibleTo(window)
    ask(qtbot, window, "Where does Anna live?")
    assert "Lisbon" in wait_answered(qtbot, window).answer_text()
    assert not [m for m in mnemo.memories() if m.kind == "turn"]
    window.pause_action.trigger()  # resumed from the menu; the tray follows
    assert not tray.pause_action.isChecked() and not window.paused_label.isVisibleTo(window)
    ask(qtbot, window, "Where does my sister live?")
    wait_answered(qtbot, window)
    qtbot.waitUntil(lambda: any(m.kind == "turn" for m in mnemo.memories()), timeout=5000)
    assert "Where does my sister live?" in [m.text for m in mnemo.memories() if m.kind == "turn"]
