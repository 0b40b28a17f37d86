"""The Markdown export is all or nothing: a failure midway (a full disk) leaves the target as
it was, with no truncated file and nothing half-written beside it; permissions stay private."""
import errno
import os
import stat
from pathlib import Path

import pytest

from core.errors import InvalidInputError, MnemoError
from core.transfer import exporting


@pytest.fixture
def days(mnemo, clock):
    """Notes on five different days: index.md and five day files."""
    for n in range(5):
        mnemo.add_note(f"Day {n}: I walked the dog along the river")
        clock.advance(days=1)
    return mnemo


def fail_after(monkeypatch, files: int) -> None:
    """The disk fills up while the (files + 1)-th file is written: half of it reaches the disk."""
    real, opened = os.fdopen, []

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

    def fdopen(fd, *args, **kwargs):
        handle = real(fd, *args, **kwargs)
        opened.append(fd)
        return handle if len(opened) <= files else Full(handle)
    monkeypatch.setattr(exporting.os, "fdopen", fdopen)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None, stat.S_IMODE(p.stat().st_mode))
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def root(tmp_path):
    """A folder of its own for the exports (the memory lives in tmp_path/data)."""
    (tmp_path / "exports").mkdir()
    return tmp_path / "exports"


def test_a_new_folder_is_made_private_and_whole(days, root):
    out = root / "deep" / "md"
    files = days.export_markdown(out)
    assert [p.name for p in files][0] == "index.md" and len(files) == 6
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o600}
    assert [p.name for p in root.iterdir()] == ["deep"] and [p.name for p in (root / "deep").iterdir()] == ["md"]
    assert "walked the dog" in files[1].read_text()


def test_a_full_disk_midway_leaves_no_new_folder_and_nothing_beside_it(days, root, monkeypatch):
    fail_after(monkeypatch, 3)
    out = root / "new" / "md"
    with pytest.raises(MnemoError, match="The disk is full: the Markdown export .* nothing was changed"):
        days.export_markdown(out)
    assert list(root.iterdir()) == []  # not the folder, not its parent, not a hidden part


def test_a_full_disk_midway_leaves_an_earlier_export_as_it_was(days, root, monkeypatch):
    out = root / "md"
    days.export_markdown(out)
    (out / "my own notes.txt").write_text("kept")
    before = snapshot(out)
    days.add_note("A sixth day, and longer notes about the river walk")
    fail_after(monkeypatch, 4)
    with pytest.raises(MnemoError, match="disk is full"):
        days.export_markdown(out)
    assert snapshot(out) == before  # every file whole, as it was; no hidden folder left inside


def test_a_second_export_into_the_folder_replaces_its_files_whole(days, root):
    out = root / "md"
    out.mkdir(mode=0o755)
    (out / "my own notes.txt").write_text("kept")
    days.export_markdown(out)
    days.add_note("Later: the river was frozen")
    files = days.export_markdown(out)
    assert "frozen" in "".join(p.read_text() for p in files)
    assert (out / "my own notes.txt").read_text() == "kept"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # the user's own folder keeps its mode
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_file_or_a_folder_in_the_way_is_a_sentence(days, root):
    taken = root / "md"
    taken.write_text("a file")
    with pytest.raises(InvalidInputError, match="is a file"):
        days.export_markdown(taken)
    out = root / "out"
    (out / "index.md").mkdir(parents=True)
    with pytest.raises(InvalidInputError, match="is a folder"):
        days.export_markdown(out)
    assert [p.name for p in out.iterdir()] == ["index.md"]
