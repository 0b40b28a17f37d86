"""Taking everything out: a Mnemo archive (optionally encrypted), or Markdown to read."""
from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..clock import Clock, from_epoch
from ..days import day_of
from ..errors import InvalidInputError, MnemoError
from ..memory.records import Kind, State
from ..memory.store import MemoryStore
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
    portrait). Deleted memories and lessons are left out."""
    folder = Path(folder).expanduser()
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)  # a new folder is the user's alone, like the memory
    except OSError as exc:
        raise MnemoError(f"Cannot create the folder {folder} ({exc.strerror or exc}).") from exc
    records = [m for m in store.all() if m.state != State.DELETED and m.kind != Kind.LESSON]
    by_day = defaultdict(list)
    for m in records:
        if m.kind in (Kind.TURN, Kind.NOTE, Kind.DAY_SUMMARY):
            by_day[day_of(m.when)].append(m)
    written = []
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
        written.append(_write(folder / f"{day.isoformat()}.md", "\n".join(lines)))
    index = ["# Mnemo export", ""]
    for kind, title in ((Kind.GLOBAL_SUMMARY, "Overview"), (Kind.PORTRAIT, "Portrait")):
        for m in (r for r in records if r.kind == kind):
            index += [f"## {title}", "", m.text, ""]
    index += ["## Days", ""] + [f"- [{p.stem}]({p.name})" for p in written]
    return [_write(folder / "index.md", "\n".join(index) + "\n"), *written]


def _write(path: Path, text: str) -> Path:
    """Readable by the user only (0600), whatever the umask says."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise MnemoError(f"Could not write {path} ({exc.strerror or exc}).") from exc
    return path


def _time(seconds: float) -> str:
    return from_epoch(seconds).astimezone().strftime("%H:%M")


def _one_line(text: str) -> str:
    return " ".join(text.split())
