"""Preferences ▸ Importance, Schedule and Backups, as a user changes them: saved in the settings,
and used at once by the open memory (a note captured next, the running scheduler, the backups
taken next). The real store in a temporary data folder; the settings through app/preferences_io."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app import preferences_io
from app.settings import Schedule, Settings
from ui.prefs_upkeep import JUDGED
from ui.preferences import BACKUPS, IMPORTANCE, SCHEDULE

from .helpers import click, memories_of


@pytest.fixture
def prefs_window(make_window, tmp_path):
    """A window on a real memory in tmp_path/memory whose bridge saves Preferences there."""
    def make(**kwargs):
        window = make_window(data_dir=tmp_path / "memory", **kwargs)
        window.bridge.prefs_ops = preferences_io
        return window
    return make


def saved(tmp_path) -> dict:
    path = tmp_path / "memory" / "settings.json"
    return json.loads(path.read_text()) if path.exists() else {}


def choose(box, text: str) -> None:
    box.setCurrentIndex(box.findText(text))


def test_importance_defaults_are_shown_saved_and_used_for_the_next_note(qtbot, prefs_window, tmp_path):
    window = prefs_window()
    dialog = window.open_preferences(IMPORTANCE)
    boxes = dialog.importance_boxes
    qtbot.waitUntil(lambda: all(b.isEnabled() for b in boxes.values()), timeout=5000)
    assert boxes["notes"].currentText() == "As it says, and at least important"  # as Mnemo always weighed them
    assert boxes["chat"].currentText() == JUDGED and boxes["apps"].currentText() == JUDGED
    assert boxes["imports"].currentText() == "As it says, but at most very important"
    qtbot.waitUntil(lambda: dialog.importance_note.text().startswith("If never used, a note you type is kept at "
                                                                     "least about 11 months"), timeout=5000)
    assert saved(tmp_path) == {}  # nothing written until something is changed

    choose(boxes["notes"], "As it says, and at least very important")
    qtbot.waitUntil(lambda: saved(tmp_path).get("importance") == {"notes_at_least": 0.9}, timeout=5000)
    qtbot.waitUntil(lambda: "at least about 2.4 years" in dialog.importance_note.text(), timeout=5000)
    dialog.reject()

    window.open_quick_capture()  # the next note, as a user saves it
    qtbot.keyClicks(window.quick_capture.input, "Had pasta for lunch today")
    with qtbot.waitSignal(window.quick_capture.saved, timeout=5000):
        qtbot.keyClick(window.quick_capture.input, Qt.Key.Key_Return)
    note = next(m for m in memories_of(window) if m.text == "Had pasta for lunch today")
    assert note.importance == 0.9 and "as set in Preferences" in note.importance_reason

    again = window.open_preferences(IMPORTANCE)  # read back when Preferences opens again
    qtbot.waitUntil(again.importance_boxes["notes"].isEnabled, timeout=5000)
    assert again.importance_boxes["notes"].currentText() == "As it says, and at least very important"
    assert Settings.load(tmp_path / "memory").importance.bounds("notes") == (0.9, 1.0)


def test_a_changed_schedule_is_saved_and_the_running_scheduler_follows(qtbot, prefs_window, tmp_path):
    from app.gui import UpkeepStarter

    window = prefs_window()
    upkeep = UpkeepStarter(window.bridge, tmp_path / "memory")  # as the app starts it
    upkeep.start()
    try:
        dialog = window.open_preferences(SCHEDULE)
        sweep = dialog.page(SCHEDULE).spins["sweep_every_hours"]
        qtbot.waitUntil(sweep.isEnabled, timeout=5000)
        assert sweep.value() == 6 and sweep.accessibleName() == "Check what is fading every"
        sweep.setFocus()
        qtbot.keyClick(sweep, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(sweep, "2")
        with qtbot.waitSignal(window.bridge.schedule_changed, timeout=5000):
            pass  # saved shortly after the last key
        assert saved(tmp_path)["schedule"] == {"sweep_every_hours": 2.0}
        due = upkeep.scheduler.jobs()["decay"] - datetime.now(timezone.utc)
        assert timedelta(hours=1, minutes=59) < due <= timedelta(hours=2)  # was 6 hours away, no restart
        assert window.bridge.mnemo.maintenance.sweep_every_hours == 2.0
        qtbot.waitUntil(lambda: dialog.page(SCHEDULE).note.text().startswith("Saved: what is fading is checked "
                                                                              "every 2 hours"), timeout=5000)
    finally:
        upkeep.stop()


def test_backups_keep_as_many_as_asked_and_open_the_backups_dialog(qtbot, prefs_window, tmp_path, clock):
    from app import data_io
    from core.memory.backup import ScheduledBackups

    def daily(mnemo):  # scheduled backups, as app/wiring.py builds the memory
        mnemo.maintenance.backups = ScheduledBackups(mnemo.store, mnemo.clock, 24, 7)

    window = prefs_window(notes=["The spare key is under the blue flowerpot"], setup=daily, data_ops=data_io)
    dialog = window.open_preferences(BACKUPS)
    page = dialog.page(BACKUPS)
    kept, every = page.spins["backups_kept"], page.spins["backup_every_hours"]
    qtbot.waitUntil(kept.isEnabled, timeout=5000)
    assert (every.value(), kept.value()) == (24, 7)
    kept.setValue(2)
    every.setValue(12)
    dialog.reject()  # closing Preferences saves what is pending
    qtbot.waitUntil(lambda: saved(tmp_path).get("schedule") == {"backup_every_hours": 12.0, "backups_kept": 2},
                    timeout=5000)
    assert Settings.load(tmp_path / "memory").schedule == Schedule(backup_every_hours=12, backups_kept=2)
    backups = window.bridge.mnemo.maintenance.backups
    assert (backups.every_hours, backups.keep) == (12, 2)

    def upkeep_after(hours: float) -> list[str]:  # the scheduler's look at what is due, `hours` later
        clock.advance(hours=hours)
        done = []
        window.bridge.call(lambda mnemo: mnemo.catch_up(), done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=10_000)
        return sorted(p.name for p in (tmp_path / "memory" / "backups").iterdir())

    for _ in range(3):  # three scheduled backups, 13 hours apart (due every 12): the oldest is let go
        names = upkeep_after(13)
    assert len(names) == 2 and all(n.endswith("-scheduled") for n in names)
    assert upkeep_after(6) == names  # not due yet: every 12 hours, not 6

    dialog = window.open_preferences(BACKUPS)
    click(qtbot, dialog.page(BACKUPS).open_backups_button)
    backups_dialog = dialog.findChild(QDialog, "backupsDialog")
    assert backups_dialog is not None and backups_dialog.isVisible()
    qtbot.waitUntil(lambda: backups_dialog.list.topLevelItemCount() == 2, timeout=5000)
