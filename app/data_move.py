"""Moving the memory to another folder (Preferences ▸ Data Folder ▸ Move…).

1. `check_move`: the new folder must be empty (or not exist yet), outside the current one,
   writable, and have room; otherwise a sentence says which.
2. `move_memory`: every file of the data folder is copied between two writes of the open
   memory (so nothing is half-written), then read back and compared with the original; the
   copy is cancellable until then. On a cancel or any failure the copy is removed and nothing
   has changed. When the copy checks out, Mnemo is pointed at it for its next start
   (app/paths.py POINTER); the old folder is still whole.
3. `leave_signpost`: once the app has closed the old folder (on its restart), its files go and
   a signpost to the new folder stays (app/paths.py SIGNPOST)."""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable

from core.errors import InvalidInputError, MnemoError
from core.memory.journal import Cancelled

from .paths import SIGNPOST, pointer_file, write_folder
from .settings import FILE_NAME

LIVE = {"store.lock", "owner.sock"}  # the running app's, made again where it starts
CHUNK = 1 << 20
MARGIN = 16 << 20  # room to spare on the new disk beyond the copy


def files_of(folder: Path) -> list[Path]:
    """The data folder's files (relative), those of the running app aside."""
    return sorted(p.relative_to(folder) for p in folder.rglob("*")
                  if p.is_file() and not p.is_symlink() and p.relative_to(folder).parts[0] not in LIVE)


def size_of(folder: Path) -> int:
    return sum((folder / f).stat().st_size for f in files_of(folder))


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{n / 1e3:,.0f} KB"


def check_move(source: Path, target: Path) -> int:
    """The bytes to copy when `target` can take the memory in `source`; else InvalidInputError
    saying why (nothing is changed either way)."""
    source, target = Path(source).resolve(), Path(target).expanduser().resolve()
    if target == source:
        raise InvalidInputError(f"Your memory is already in {target}.")
    if target.is_relative_to(source):
        raise InvalidInputError(f"{target} is inside the current data folder; choose a folder outside it.")
    if target.exists() and not target.is_dir():
        raise InvalidInputError(f"{target} is a file; choose an empty folder.")
    if target.is_dir() and any(target.iterdir()):
        raise InvalidInputError(f"{target} is not empty; choose an empty folder (or make a new one), so your "
                                "memory is not mixed with other files.")
    existing = target
    while not existing.exists():
        existing = existing.parent
    _probe(existing, target)
    needed = size_of(source)
    free = shutil.disk_usage(existing).free
    if free < needed + MARGIN:
        raise InvalidInputError(f"The disk of {target} is too full: it has {_mb(free)} free and your memory needs "
                                f"{_mb(needed + MARGIN)}. Free some space or choose another disk.")
    return needed


def _probe(existing: Path, target: Path) -> None:
    """Write and remove a small file where the copy will go: a read-only disk or a folder the user
    may not write to is said before anything is copied."""
    try:
        fd, name = tempfile.mkstemp(dir=existing, prefix=".mnemo-probe-")
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise InvalidInputError(f"Mnemo cannot write to {target}: {_why(exc)}. Choose another folder.") from None


def _why(exc: OSError) -> str:
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "you are not allowed to write there"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


def move_memory(mnemo, target: Path, progress: Callable[[int, int], None] | None = None,
                cancel: threading.Event | None = None) -> Path:
    """Copy the open memory's folder to `target`, check the copy, and point Mnemo at it for its
    next start. Returns the new folder. Raises Cancelled or MnemoError with nothing changed."""
    source = Path(mnemo.data_dir).resolve()
    target = Path(target).expanduser().resolve()
    total = check_move(source, target)
    made = not target.exists()
    try:
        mnemo.between_writes(lambda: copy_checked(source, target, total, progress, cancel))
        _follow_paths(target / FILE_NAME, source, target)
        write_folder(pointer_file(), target)
    except BaseException as exc:
        _remove_copy(target, made)
        if isinstance(exc, OSError):
            raise MnemoError(f"Your memory could not be moved to {target}: {_why(exc)}. Nothing was changed; it "
                             f"is still in {source}.") from None
        raise
    return target


def copy_checked(source: Path, target: Path, total: int, progress=None, cancel=None) -> None:
    """Copy every file, then read each copy back and compare it with the original's digest."""
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    digests, done = {}, 0
    for rel in files_of(source):
        to = target / rel
        to.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        with open(source / rel, "rb") as src, open(to, "wb") as dst:
            while chunk := src.read(CHUNK):
                if cancel is not None and cancel.is_set():
                    raise Cancelled("The move was cancelled; your memory stays where it was.")
                digest.update(chunk)
                dst.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            dst.flush()
            os.fsync(dst.fileno())
        shutil.copystat(source / rel, to)
        digests[rel] = digest.hexdigest()
    if set(files_of(target)) != set(digests):
        raise MnemoError(f"The copy in {target} does not hold the same files; nothing was changed.")
    for rel, want in digests.items():
        if cancel is not None and cancel.is_set():
            raise Cancelled("The move was cancelled; your memory stays where it was.")
        if _digest(target / rel) != want:
            raise MnemoError(f"The copy of {rel} in {target} differs from the original; nothing was changed. The "
                             "disk may be failing: try another one.")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _follow_paths(settings: Path, source: Path, target: Path) -> None:
    """Model files kept inside the data folder (downloads) are named by their new place."""
    if not settings.exists():
        return
    text = settings.read_text(encoding="utf-8")
    old, new = str(source) + os.sep, str(target) + os.sep
    if old in text:
        settings.write_text(text.replace(old, new), encoding="utf-8")


def _remove_copy(target: Path, made: bool) -> None:
    """Leave the new folder as it was: removed if the move made it, else emptied."""
    if made:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir() if target.is_dir() else []:
        shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)


def leave_signpost(old: Path, new: Path) -> None:
    """After the app has let go of `old` (its memory now in `new`): its files go, and a signpost to
    `new` stays. Only when `new` holds the memory; a failure leaves the old files (no harm)."""
    old, new = Path(old), Path(new)
    if not (new / "store").is_dir() or old.resolve() == new.resolve():
        return
    write_folder(old / SIGNPOST, new)
    for child in old.iterdir():
        if child.name != SIGNPOST:
            shutil.rmtree(child, ignore_errors=True) if child.is_dir() and not child.is_symlink() \
                else child.unlink(missing_ok=True)
