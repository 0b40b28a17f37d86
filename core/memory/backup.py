"""Backups of the memory store: a full copy of DATA_DIR/store in DATA_DIR/backups/NAME.
Taken before any schema migration and before a restore (kept), and on a schedule (the
newest N scheduled ones are kept).

A data folder that has held a store (it has backups, or the mark DATA_DIR/.mnemo-store
left when its store was first opened) but has no store/ any more is not given a new,
empty one silently: see `missing_store`."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import InvalidInputError, StoreError
from .lock import DirectoryLock

BACKUPS = "backups"
STORE_MARK = ".mnemo-store"  # "this data folder holds a memory store (in store/)"
SCHEDULED = "scheduled"
STAMP = "%Y%m%dT%H%M%S"


@dataclass(frozen=True)
class Backup:
    name: str
    path: Path
    taken_at: datetime
    label: str
    bytes: int


def backup_store(data_dir: Path, label: str, at: datetime) -> Path:
    """Copy the store folder to backups/<time>-<label>; returns the copy's folder.
    A partial copy (e.g. a full disk) is removed and reported, and the store is not touched."""
    data_dir = Path(data_dir)
    source = data_dir / "store"
    target = data_dir / BACKUPS / f"{at.astimezone(timezone.utc).strftime(STAMP)}-{label}"
    suffix = 1
    while target.exists():
        suffix += 1
        target = target.with_name(f"{target.name.rsplit('~', 1)[0]}~{suffix}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copytree(source, target / "store")
    except (OSError, shutil.Error) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise StoreError(f"Could not back up the memory store to {target} ({copy_failure(exc)}); nothing was "
                         "changed. Free some disk space and try again.") from None
    return target


def copy_failure(exc: BaseException) -> str:
    """Why a copy failed, in a few words: shutil.Error lists every file that failed."""
    errors = exc.args[0] if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) else []
    reasons = [str(e[2]) for e in errors if len(e) == 3] or [getattr(exc, "strerror", None) or str(exc)]
    if any("No space left" in r or "[Errno 28]" in r for r in reasons) or getattr(exc, "errno", None) == 28:
        return "the disk is full"
    first = reasons[0]
    first = first.split("] ", 1)[-1].split(":", 1)[0] if "[Errno" in first else first[:120]
    return first + (f", and {len(errors) - 1:,} more files" if len(errors) > 1 else "")


def missing_store(data_dir: Path) -> str | None:
    """The phrase for a store folder that is gone from a data folder that held one (None when
    the store is there, or the folder never held one)."""
    data_dir = Path(data_dir)
    if (data_dir / "store").exists():
        return None
    kept = bool(list_backups(data_dir))
    if not kept and not (data_dir / STORE_MARK).exists():
        return None
    what = "its store folder is missing, although this data folder held a memory"
    if kept:
        return what + " (its backups are here)"
    return (what + f" (to begin again with an empty memory instead, delete {data_dir / STORE_MARK} and run "
            "Mnemo again)")


def mark_store(data_dir: Path) -> None:
    """Leave the mark that this data folder holds a store (once; a failure is no harm)."""
    mark = Path(data_dir) / STORE_MARK
    if not mark.exists():
        try:
            mark.write_text("Mnemo keeps its memory in store/ beside this file; without it, Mnemo will not start "
                            "an empty one in its place.\n", encoding="utf-8")
        except OSError:
            pass


def newest_good_backup(data_dir: Path, dim: int = 384) -> str | None:
    """The name of the newest backup whose store passes the check (None when there is none)."""
    from .check import inspect

    for backup in list_backups(data_dir):
        if not inspect(backup.path / "store", dim):
            return backup.name
    return None


def list_backups(data_dir: Path) -> list[Backup]:
    """Newest first."""
    folder = Path(data_dir) / BACKUPS
    found = []
    for path in folder.iterdir() if folder.is_dir() else []:
        stamp, _, label = path.name.partition("-")
        try:
            taken = datetime.strptime(stamp, STAMP).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        if (path / "store").is_dir():
            size = sum(f.stat().st_size for f in (path / "store").rglob("*") if f.is_file())
            found.append(Backup(path.name, path, taken, label.split("~")[0], size))
    return sorted(found, key=lambda b: (b.taken_at, b.name), reverse=True)


def find_backup(data_dir: Path, name: str) -> Backup:
    backups = list_backups(data_dir)
    matches = [b for b in backups if b.name == name] or [b for b in backups if b.name.startswith(name)]
    if len(matches) != 1:
        known = ", ".join(b.name for b in backups[:5]) or "none yet"
        raise InvalidInputError(f"No single backup is called '{name}' (backups: {known}).")
    return matches[0]


def prune(data_dir: Path, keep: int, label: str = SCHEDULED) -> list[Path]:
    """Remove all but the newest `keep` backups with this label; the others are kept."""
    old = [b for b in list_backups(data_dir) if b.label == label][keep:]
    for b in old:
        shutil.rmtree(b.path, ignore_errors=True)
    return [b.path for b in old]


def restore_store(data_dir: Path, backup: Backup, at: datetime) -> Path | None:
    """Put `backup` in place of the current store (which is first backed up itself, so a
    restore can be undone). Refused while Mnemo has the store open. Returns the safety backup
    (None when there was no store to keep: its folder was missing)."""
    data_dir = Path(data_dir)
    busy = (f"The memory in {data_dir} is open in Mnemo; quit the app (and any running command) "
            "before restoring a backup.")
    with DirectoryLock(data_dir).acquire(busy):
        return _restore(data_dir, backup, at)


def _restore(data_dir: Path, backup: Backup, at: datetime) -> Path | None:
    present = (data_dir / "store").exists()
    safety = backup_store(data_dir, "before-restore", at) if present else None
    staging = data_dir / ".store-restoring"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(backup.path / "store", staging)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(f"Could not copy the backup ({exc.strerror or exc}); the memory was not changed.") from exc
    old = data_dir / ".store-replaced"
    shutil.rmtree(old, ignore_errors=True)
    if present:
        os.replace(data_dir / "store", old)
    os.replace(staging, data_dir / "store")
    shutil.rmtree(old, ignore_errors=True)
    return safety


def finish_interrupted_restore(data_dir: Path) -> None:
    """A restore stopped between its two renames (a crash): finish it, or put the old back."""
    data_dir = Path(data_dir)
    store, staging, old = data_dir / "store", data_dir / ".store-restoring", data_dir / ".store-replaced"
    if not store.exists() and old.exists():
        os.replace(staging if staging.exists() else old, store)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True) if store.exists() else None


class ScheduledBackups:
    """The backup job: a copy every `every_hours`, the newest `keep` kept."""

    def __init__(self, store, clock, every_hours: float = 24.0, keep: int = 7):
        self.store, self.clock, self.every_hours, self.keep = store, clock, every_hours, keep

    def due(self) -> bool:
        if len(self.store) == 0 or self.store.damage:
            return False  # a backup of a damaged store would push the good ones out
        latest = next((b for b in list_backups(self.store.data_dir) if b.label == SCHEDULED), None)
        return latest is None or (self.clock.now() - latest.taken_at).total_seconds() >= self.every_hours * 3600

    def run(self) -> tuple[int, str]:
        path = self.store.backup(SCHEDULED)
        removed = prune(self.store.data_dir, self.keep)
        return 1, f"backed up to {path.name}" + (f"; {len(removed)} older removed" if removed else "")


def settle(tables, db_dir: Path) -> None:
    """A backup's tables after they were rewritten: their old versions dropped (with whatever
    they held), and its ledger recording them as they now are."""
    from .integrity import Ledger

    for table in tables.all():
        if table is not None:
            tables.compact(table)
    ledger = Ledger(db_dir)
    if ledger.exists():
        ledger.load()
    ledger.commit(tables.states())  # (a backup from before ledgers gets one: its tables are as recorded now)


def purge_from_backups(data_dir: Path, memory_ids: list[str], quotes: list[str], dim: int = 384,
                       cipher=None) -> list[str]:
    """Forgetting for good reaches the backups: in each one, the purged records go, and so do
    the records made from them or quoting them (summaries, the portrait, lessons: the app
    makes them again), the history keeps the events without the words, and the old table
    versions that held them are dropped. `cipher`: the store's, to read sealed backups with.
    Returns the backups that could not be rewritten."""
    from .history import HistoryLog, scrub
    from .keys import KEY_FILE
    from .tables import Tables, id_filter

    failed = []
    for backup in list_backups(data_dir):
        db_dir = backup.path / "store"
        try:
            tables = Tables(db_dir, dim)
            tables.open(has_ledger=(db_dir / "integrity.json").exists(), create=False)
            if tables.memories is None:
                continue
            tables.cipher, tables.sealing = cipher, cipher is not None and (db_dir / KEY_FILE).exists()
            columns = tables.decode(tables.memories.to_arrow())[0]
            rows = [{"id": i, "text": t, "links": k} for i, t, k in zip(columns["id"], columns["text"], columns["links"])]
            gone = set(memory_ids)
            doomed = [r["id"] for r in rows if r["id"] in gone or any(i in (r["links"] or "") for i in gone)
                      or any(q in " ".join((r["text"] or "").split()) for q in quotes)]
            if doomed:
                tables.memories.delete(id_filter(doomed))
            if tables.history is not None:
                scrub(HistoryLog(tables.history, tables), memory_ids, quotes)
            settle(tables, db_dir)
        except Exception:  # a damaged backup stays as it is (and is reported)
            failed.append(backup.name)
    return failed

