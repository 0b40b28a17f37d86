"""Backups: on a schedule (the newest N kept), listed, restored (the current one kept)."""
import pytest

from core.errors import InvalidInputError, StoreError
from core.memory.backup import find_backup, finish_interrupted_restore, list_backups, restore_store
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel


def open_mnemo(path, clock, **kw):
    return Mnemo(path, clock, HashEmbedder(), ScriptedModel(), backup_every_hours=24, backups_kept=2, **kw)


def test_scheduled_backups_are_due_daily_and_the_newest_are_kept(tmp_path, clock):
    m = open_mnemo(tmp_path / "d", clock)
    assert "backup" not in m.maintenance.due()  # nothing to back up yet
    m.add_note("first note")
    for day in range(4):
        assert "backup" in m.maintenance.due()
        result = m.run_job("backup")
        assert result.ran and "backed up to" in result.detail
        assert "backup" not in m.maintenance.due()
        clock.advance(hours=25)
    m.backup("manual")
    labels = [b.label for b in list_backups(tmp_path / "d")]
    assert labels == ["manual", "scheduled", "scheduled"]  # only two scheduled ones kept; newest first
    m.close()


def test_restore_brings_back_the_backup_and_keeps_the_current_memory(tmp_path, clock):
    m = open_mnemo(tmp_path / "d", clock)
    m.add_note("before the backup")
    taken = m.backup("manual")
    m.add_note("after the backup")
    with pytest.raises(StoreError, match="open in Mnemo"):
        restore_store(tmp_path / "d", find_backup(tmp_path / "d", taken.name), clock.now())
    m.close()
    clock.advance(minutes=1)
    safety = restore_store(tmp_path / "d", find_backup(tmp_path / "d", taken.name[:10]), clock.now())
    m = open_mnemo(tmp_path / "d", clock)
    assert [x.text for x in m.store.all()] == ["before the backup"]
    m.close()
    restore_store(tmp_path / "d", find_backup(tmp_path / "d", safety.name), clock.now())  # undo the restore
    m = open_mnemo(tmp_path / "d", clock)
    assert sorted(x.text for x in m.store.all()) == ["after the backup", "before the backup"]
    m.close()


def test_unknown_backup_name_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidInputError, match="No single backup is called 'nope'"):
        find_backup(tmp_path, "nope")


def test_a_restore_cut_short_between_its_renames_is_finished_on_open(tmp_path, clock):
    m = open_mnemo(tmp_path / "d", clock)
    m.add_note("kept")
    m.close()
    d = tmp_path / "d"
    (d / "store").rename(d / ".store-replaced")  # the crash: old moved away, new not yet in place
    finish_interrupted_restore(d)
    m = open_mnemo(d, clock)
    assert [x.text for x in m.store.all()] == ["kept"]
    m.close()
