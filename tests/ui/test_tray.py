"""The tray menu (built even where no tray is shown, e.g. offscreen)."""
from __future__ import annotations

from ui.tray import Tray


def test_tray_menu_offers_quick_capture_show_and_quit(qtbot):
    tray = Tray()
    assert [a.text() for a in tray.menu.actions() if not a.isSeparator()] == ["Quick Capture…", "Show Mnemo", "Quit"]
    assert not tray.icon.icon().isNull()
    for action, signal in ((tray.capture_action, tray.capture_requested),
                           (tray.show_action, tray.show_requested),
                           (tray.quit_action, tray.quit_requested)):
        with qtbot.waitSignal(signal, timeout=1000):
            action.trigger()
