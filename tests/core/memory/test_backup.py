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


def test_a_missing_store_folder_with_backups_is_refused_and_the_backup_restores(tmp_path, clock):
    import shutil

    from core.errors import StoreDamagedError

    d = tmp_path / "d"
    m = open_mnemo(d, clock)
    m.add_note("kept in the backup")
    taken = m.backup("manual")
    m.close()
    shutil.rmtree(d / "store")  # settings, the lock file and the backups stay
    with pytest.raises(StoreDamagedError) as refused:
        open_mnemo(d, clock)
    message = str(refused.value)
    assert "store folder is missing" in message and f"mnemo backup restore {taken.name}" in message
    assert not (d / "store").exists(), "an empty store was made in place of the missing one"
    assert restore_store(d, find_backup(d, taken.name), clock.now()) is None  # nothing there to keep
    m = open_mnemo(d, clock)
    assert [x.text for x in m.store.all()] == ["kept in the backup"]
    m.close()


def test_a_missing_store_folder_without_backups_is_refused_until_the_mark_goes(tmp_path, clock):
    import shutil

    from core.errors import StoreDamagedError
    from core.memory.backup import STORE_MARK

    d = tmp_path / "d"
    m = open_mnemo(d, clock)
    m.add_note("a note")
    m.close()
    assert (d / STORE_MARK).is_file()
    shutil.rmtree(d / "store")
    with pytest.raises(StoreDamagedError, match="store folder is missing") as refused:
        open_mnemo(d, clock)
    assert "No good backup was found" in str(refused.value) and str(d / STORE_MARK) in str(refused.value)
    assert not (d / "store").exists()
    (d / STORE_MARK).unlink()  # the person chose to begin again
    m = open_mnemo(d, clock)
    assert len(m.store) == 0
    m.close()
