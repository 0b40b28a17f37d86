"""Taking everything out: a Mnemo archive (optionally encrypted), or Markdown to read."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..clock import Clock, from_epoch
from ..days import day_of
from ..errors import InvalidInputError, MnemoError
from ..memory.records import Kind, State
from ..memory.store import MemoryStore
from ..memory.writer import disk_full
from . import archive
from . import crypto as archive_crypto


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    memories: int
    history: int
    encrypted: bool
    bytes: int


def export_archive(store: MemoryStore, clock: Clock, path: Path, settings: dict,
                   secret: archive_crypto.Passphrase | archive_crypto.KeyringKey | None = None) -> ExportSummary:
    """Write the archive to `path` (readable by the user only), atomically: an existing file
    is replaced only once the new one is complete."""
    memories, history, vectors = store.consistent_copy()
    data = archive.build(memories, history, settings, vectors, clock.now())
    if secret is not None:
        data = archive_crypto.encrypt(data, secret)
    write_private(Path(path), data)
    return ExportSummary(Path(path), len(memories), len(history), secret is not None, len(data))


def write_private(path: Path, data: bytes) -> None:
    path = path.expanduser()
    if path.is_dir():
        raise InvalidInputError(f"{path} is a folder; give a file name for the archive.")
    if not path.parent.is_dir():
        raise InvalidInputError(f"The folder {path.parent} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".part")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise MnemoError(f"Could not write {path} ({exc.strerror or exc}); nothing was exported. "
                         "Check the free space and that the folder is writable.") from exc


WHO = {"user": "You", "assistant": "Assistant"}
MARKS = {State.FORGOTTEN: " *(faded)*", State.QUARANTINED: " *(held back by the guard)*",
         State.PINNED: " *(pinned)*"}


def export_markdown(store: MemoryStore, folder: Path) -> list[Path]:
    """One file per day (its summary, notes and conversations) and index.md (overview and
    portrait). Deleted memories and lessons are left out.

    All or nothing: the files are written (0600) into a hidden folder first, in the target
    folder when it exists (its other files are left alone) or beside it; only when every file
    is complete do they take their places (a new folder is renamed into place, 0700). A full
    disk or any other failure leaves the target as it was and removes what was written."""
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"{folder} is a file; give a folder for the Markdown export.")
    pages = _pages(store)
    for name, _ in pages:
        if (folder / name).is_dir():
            raise InvalidInputError(f"{folder / name} is a folder, where the export would write a file; nothing was "
                                    "written.")
    made: list[Path] = []  # folders above the target that this export creates
    staging: Path | None = None
    try:
        existed = folder.is_dir()
        if not existed:
            made = [p for p in (folder.parent, *folder.parent.parents) if not p.exists()][::-1]
            folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        staging = Path(tempfile.mkdtemp(dir=folder if existed else folder.parent, prefix=".mnemo-markdown-",
                                        suffix=".part"))  # 0700
        for name, text in pages:
            _write(staging / name, text)
        if existed:
            for name, _ in pages:
                os.replace(staging / name, folder / name)
            staging.rmdir()
        else:
            os.rename(staging, folder)  # a new folder is the user's alone, like the memory
        staging = None
    except OSError as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for parent in reversed(made):
            try:
                parent.rmdir()
            except OSError:
                break
        if disk_full(exc):
            raise MnemoError(f"The disk is full: the Markdown export to {folder} was not written, and nothing was "
                             "changed. Free some disk space and try again.") from None
        raise MnemoError(f"Could not write the Markdown export to {folder} ({exc.strerror or exc}); nothing was "
                         "changed. Check that the folder is writable.") from None
    return [folder / name for name, _ in pages]


def _pages(store: MemoryStore) -> list[tuple[str, str]]:
    """(file name, text): index.md first, then one file per day."""
    records = [m for m in store.all() if m.state != State.DELETED and m.kind != Kind.LESSON]
    by_day = defaultdict(list)
    for m in records:
        if m.kind in (Kind.TURN, Kind.NOTE, Kind.DAY_SUMMARY):
            by_day[day_of(m.when)].append(m)
    days = []
    for day, items in sorted(by_day.items()):
        lines = [f"# {day.isoformat()}", ""]
        for summary in (m for m in items if m.kind == Kind.DAY_SUMMARY):
            lines += ["## Summary", "", summary.text, ""]
        notes = sorted((m for m in items if m.kind == Kind.NOTE), key=lambda m: m.when)
        if notes:
            lines += ["## Notes", ""] + [f"- {_time(m.when)} {_one_line(m.text)}{MARKS.get(m.state, '')}"
                                         for m in notes] + [""]
        turns = defaultdict(list)
        for m in sorted((m for m in items if m.kind == Kind.TURN), key=lambda m: (m.when, m.created_at)):
            turns[m.conversation_id].append(m)
        for conversation, said in turns.items():
            lines += [f"## Conversation {conversation or '(chat)'}", ""]
            for m in said:
                who = m.speaker or WHO.get(m.role, m.role or "?")
                lines.append(f"**{who}** ({_time(m.when)}): {m.text}{MARKS.get(m.state, '')}")
                lines.append("")
        days.append((f"{day.isoformat()}.md", "\n".join(lines)))
    index = ["# Mnemo export", ""]
    for kind, title in ((Kind.GLOBAL_SUMMARY, "Overview"), (Kind.PORTRAIT, "Portrait")):
        for m in (r for r in records if r.kind == kind):
            index += [f"## {title}", "", m.text, ""]
    index += ["## Days", ""] + [f"- [{name[:-3]}]({name})" for name, _ in days]
    return [("index.md", "\n".join(index) + "\n"), *days]


def _write(path: Path, text: str) -> None:
    """A new file readable by the user only (0600, whatever the umask says), on disk before it counts."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _time(seconds: float) -> str:
    return from_epoch(seconds).astimezone().strftime("%H:%M")


def _one_line(text: str) -> str:
    return " ".join(text.split())
