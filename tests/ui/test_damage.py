"""A damaged memory in the app: it says what is wrong, nothing is written on top, and the user
can keep what is readable or put a good backup in its place and go on."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox

from app import data_io
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel
from ui.workers import MnemoBridge

from .helpers import click


def _damaged_store(folder, clock, damage):
    mnemo = Mnemo(folder, clock, HashEmbedder(), ScriptedModel())
    for text in ("The plumber is called Kowalski.", "My sister Anna lives in Lisbon.", "The garage code is 4417."):
        mnemo.add_note(text)
    mnemo.backup("manual")
    mnemo.close()
    damage(folder / "store")


def _drop_newest_manifest(store):
    sorted((store / "memories.lance" / "_versions").glob("*.manifest"))[0].unlink()


def _bridge(folder, clock):
    return MnemoBridge(lambda: Mnemo(folder, clock, HashEmbedder(), ScriptedModel()), data_ops=data_io,
                       data_dir=folder, clock=clock)


def test_a_read_only_memory_says_why_and_keeping_what_is_readable_repairs_it(qtbot, make_window, tmp_path, clock):
    folder = tmp_path / "data"
    _damaged_store(folder, clock, _drop_newest_manifest)
    window = make_window(bridge=_bridge(folder, clock))
    qtbot.waitUntil(lambda: getattr(window, "damage_dialog", None) is not None and window.damage_dialog.isVisible())
    dialog = window.damage_dialog
    text = dialog.findChild(QLabel, "damageText").text()
    assert "older version" in text and "Restore a Backup… puts a good copy" in text and "20" in text
    assert "`" not in text  # the app's buttons, not commands
    assert window.state_label.text() == "Memory is read-only (damaged)"
    failures = []
    window.bridge.add_note("Written on top of the damage", "user", None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert "Nothing was saved" in str(failures[0])
    click(qtbot, dialog.keep_button)
    qtbot.waitUntil(lambda: not window.bridge.is_damaged, timeout=10_000)
    notes = []
    window.bridge.add_note("Written after the repair", "user", notes.append, failures.append)
    qtbot.waitUntil(lambda: bool(notes))
    texts = {m.text for m in window.bridge.mnemo.memories()}
    assert {"The plumber is called Kowalski.", "Written after the repair"} <= texts
    for box in window.findChildren(QMessageBox):
        box.close()


def test_a_memory_that_cannot_be_opened_is_replaced_by_a_backup_from_the_app(qtbot, make_window, tmp_path, clock,
                                                                             monkeypatch):
    import shutil

    folder = tmp_path / "data"
    _damaged_store(folder, clock, lambda store: shutil.rmtree(store / "memories.lance"))
    window = make_window(bridge=_bridge(folder, clock), wait=False)
    qtbot.waitUntil(lambda: getattr(window, "damage_dialog", None) is not None and window.damage_dialog.isVisible())
    dialog = window.damage_dialog
    assert not dialog.keep_button.isVisible()  # nothing of it is readable
    assert window.state_label.text() == "Memory could not be opened"
    click(qtbot, dialog.restore_button)
    qtbot.waitUntil(lambda: window.findChild(object, "backupsDialog") is not None)
    backups = window.findChild(object, "backupsDialog")
    qtbot.waitUntil(lambda: backups.list.topLevelItemCount() == 1)
    backups.list.setCurrentItem(backups.list.topLevelItem(0))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(qtbot, backups.restore_button)
    qtbot.waitUntil(lambda: window.bridge.is_ready and window.bridge.mnemo is not None, timeout=15_000)
    assert len(window.bridge.mnemo.store.all(kinds=["note"])) == 3 and not window.bridge.is_damaged
    qtbot.waitUntil(lambda: "kept as the backup" in backups.pending.text())
    backups.close()
