"""Moving the memory to another folder (app/data_move.py): the copy is checked before Mnemo is
pointed at it, a cancel or a failure leaves everything as it was, a folder that cannot take it
is refused with the reason, and the old folder becomes a signpost once the app let go of it."""
from __future__ import annotations

import errno
import json
import threading
from collections import namedtuple

import pytest

from app import data_move, paths
from core.errors import InvalidInputError, MnemoError
from core.memory.journal import Cancelled


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("MNEMO_DATA_DIR", raising=False)
    return tmp_path / "config"


@pytest.fixture
def mnemo(tmp_path, clock):
    from core.mnemo import Mnemo
    from tests.fakes import HashEmbedder, ScriptedModel

    m = Mnemo(tmp_path / "old", clock, HashEmbedder(), ScriptedModel())
    m.add_note("The spare key is under the blue flowerpot")
    m.backup("manual")
    (tmp_path / "old" / "settings.json").write_text(json.dumps({"model_path": str(tmp_path / "old" / "models" /
                                                                                  "m.gguf")}))
    yield m
    m.close()


def test_the_memory_is_copied_checked_and_chosen_for_the_next_start(mnemo, tmp_path, config):
    seen = []
    new = data_move.move_memory(mnemo, tmp_path / "new", lambda done, total: seen.append((done, total)))
    assert new == (tmp_path / "new").resolve()
    assert seen and seen[-1][0] == seen[-1][1] == data_move.size_of(tmp_path / "old")
    assert {str(f) for f in data_move.files_of(tmp_path / "new")} >= {"settings.json", ".mnemo-store"}
    assert (tmp_path / "new" / "store").is_dir() and (tmp_path / "new" / "backups").is_dir()
    assert json.loads((tmp_path / "new" / "settings.json").read_text())["model_path"] == str(new / "models/m.gguf")
    assert paths.default_data_dir() == new  # remembered for the next start
    assert (tmp_path / "old" / "store").is_dir()  # the old folder is whole until the app let go of it
    mnemo.close()

    from core.mnemo import Mnemo
    from tests.fakes import HashEmbedder, ScriptedModel

    moved = Mnemo(new, mnemo.clock, HashEmbedder(), ScriptedModel())
    try:
        assert [m.text for m in moved.memories() if m.kind == "note"] == ["The spare key is under the blue flowerpot"]
    finally:
        moved.close()
    data_move.leave_signpost(tmp_path / "old", new)
    assert [p.name for p in (tmp_path / "old").iterdir()] == [paths.SIGNPOST]
    assert paths.followed(tmp_path / "old") == new  # an old --data-dir or autostart entry finds it
    with pytest.raises(InvalidInputError, match="was moved to"):
        paths.ensure_private_dir(tmp_path / "old")


def test_a_cancelled_move_leaves_nothing_behind(mnemo, tmp_path, config):
    (tmp_path / "new").mkdir()
    cancel = threading.Event()
    with pytest.raises(Cancelled):
        data_move.move_memory(mnemo, tmp_path / "new", lambda done, total: cancel.set(), cancel)
    assert list((tmp_path / "new").iterdir()) == []  # the empty folder the user chose, still empty
    assert not paths.pointer_file().exists()
    assert mnemo.add_note("Still writable after the cancel").memory.text


@pytest.mark.parametrize("make, why", [
    (lambda t: (t / "new").mkdir() or (t / "new" / "holiday.jpg").write_text("x"), "is not empty"),
    (lambda t: None, "inside the current data folder"),
])
def test_a_folder_that_cannot_take_the_memory_is_refused_with_the_reason(mnemo, tmp_path, make, why):
    make(tmp_path)
    target = tmp_path / "new" if "empty" in why else tmp_path / "old" / "sub"
    with pytest.raises(InvalidInputError, match=why):
        data_move.check_move(tmp_path / "old", target)


def test_a_full_disk_is_said_before_anything_is_copied(mnemo, tmp_path, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(data_move.shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 4000, 4000))
    with pytest.raises(InvalidInputError, match="too full: it has 4 KB free"):
        data_move.check_move(tmp_path / "old", tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_a_read_only_disk_is_said(mnemo, tmp_path, monkeypatch):
    def read_only(**_kw):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(data_move.tempfile, "mkstemp", read_only)
    with pytest.raises(InvalidInputError, match="the disk is read-only"):
        data_move.check_move(tmp_path / "old", tmp_path / "new")


def test_a_disk_that_fills_up_during_the_copy_changes_nothing(mnemo, tmp_path, config, monkeypatch):

    def filling(source, target, total, progress=None, cancel=None):
        (target / "partial").mkdir(parents=True)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(data_move, "copy_checked", filling)
    with pytest.raises(MnemoError, match="the disk is full. Nothing was changed; it is still in"):
        data_move.move_memory(mnemo, tmp_path / "new")
    assert not (tmp_path / "new").exists() and not paths.pointer_file().exists()


def test_a_copy_that_reads_back_differently_is_not_used(mnemo, tmp_path, config, monkeypatch):
    monkeypatch.setattr(data_move, "_digest", lambda path: "not the same")
    with pytest.raises(MnemoError, match="differs from the original"):
        data_move.move_memory(mnemo, tmp_path / "new")
    assert not (tmp_path / "new").exists() and not paths.pointer_file().exists()
