"""The memory store: one data directory, its LanceDB tables (core/memory/tables.py), the
in-memory mirror of the records (core/memory/mirror.py) and the history of every change
(core/memory/history.py). All writes go through one SerialWriter; each updates the table,
the history and the mirror, in that order."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pyarrow as pa

from ..clock import Clock
from ..errors import MnemoError, NotFoundError, StoreError
from .backup import backup_store, finish_interrupted_restore
from .history import HistoryLog
from .journal import PENDING_IMPORT, Cancelled, ImportJournal
from .lock import LOCK_FILE, DirectoryLock, in_use
from .mirror import STATE_CODES, Mirror
from .records import HistoryEntry, Memory, new_id
from .schema import SCHEMA_VERSION, to_row
from .tables import Tables, id_filter, open_error
from .writer import SerialWriter

__all__ = ["Cancelled", "LOCK_FILE", "MemoryStore", "PENDING_IMPORT", "STATE_CODES"]
log = logging.getLogger(__name__)

Guard = Callable[[Memory], bool] | None


class MemoryStore:
    """Open with `MemoryStore.open(data_dir, clock, dim)`; close with `close()`."""

    def __init__(self, data_dir: Path, clock: Clock, dim: int):
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.dim = dim
        self._writer = SerialWriter()
        self._mirror = Mirror(dim)
        self._tables = Tables(self.data_dir / "store", dim)
        self._history: HistoryLog | None = None
        self._journal = ImportJournal(self._tables)
        self._dir_lock: DirectoryLock | None = None
        self.last_backup: Path | None = None  # the backup taken by a migration on open

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, data_dir: Path, clock: Clock, dim: int = 384) -> "MemoryStore":
        store = cls(data_dir, clock, dim)
        store._open()
        return store

    def _open(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"Cannot create the data directory {self.data_dir}: {exc.strerror}.") from exc
        self._dir_lock = DirectoryLock(self.data_dir).acquire(in_use(self.data_dir))
        try:
            finish_interrupted_restore(self.data_dir)
            self._tables.db_dir.mkdir(exist_ok=True, mode=0o700)
            self._open_tables()
        except BaseException:
            self._release_lock()
            raise

    def _open_tables(self) -> None:
        try:
            version = self._tables.open()
            self._history = HistoryLog(self._tables.history)
            self._journal.recover()
            if version < SCHEMA_VERSION:
                self._migrate(version)
            self._mirror.load(*self._tables.read_memories())
        except StoreError:
            raise
        except Exception as exc:  # lance raises a variety of OSError/ValueError/RuntimeError
            raise open_error(self._tables.db_dir, exc) from exc

    def _migrate(self, version: int) -> None:
        """Upgrade an older store in place, after copying it to backups/."""
        from .decay import DecayPolicy

        self.last_backup = backup_store(self.data_dir, f"before-schema-v{SCHEMA_VERSION}", self.clock.now())
        policy = DecayPolicy()
        strength_sql = (f"{policy.min_strength_days} + importance * "
                        f"{policy.max_strength_days - policy.min_strength_days}")
        self._tables.migrate(version, strength_sql, self.clock.now().timestamp())

    def _release_lock(self) -> None:
        if self._dir_lock is not None:
            self._dir_lock.release()
            self._dir_lock = None

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION

    def close(self) -> None:
        self._writer.close()
        self._release_lock()

    # ---------------------------------------------------------------- reads
    def __len__(self) -> int:
        return len(self._mirror.ids)

    @property
    def version(self) -> int:
        return self._mirror.version

    @property
    def vector_epoch(self) -> int:
        """Changes when rows of `snapshot()` move or a vector is replaced; appends keep it."""
        return self._mirror.vector_epoch

    @property
    def content_version(self) -> int:
        """Changes only when memories are added, purged or rewritten (keyword index key)."""
        return self._mirror.content_version

    def meta(self, key: str, default: str | None = None) -> str | None:
        return self._tables.meta_value(key, default)

    def set_meta(self, key: str, value: str) -> None:
        self._writer.run(lambda: self._tables.set_meta(key, value))

    def get(self, memory_id: str) -> Memory:
        record = self._mirror.records.get(memory_id)
        if record is None:
            raise NotFoundError(f"There is no memory with id {memory_id}.")
        return record

    def find(self, memory_id: str) -> Memory | None:
        return self._mirror.records.get(memory_id)

    def all(self, states: Iterable[str] | None = None, kinds: Iterable[str] | None = None) -> list[Memory]:
        return self._mirror.all(states, kinds)

    def find_by_hash(self, digest: str, kinds: Iterable[str]) -> Memory | None:
        return self._mirror.find_by_hash(digest, kinds)

    def snapshot(self) -> tuple[list[str], np.ndarray]:
        """The ids and their vectors (row i of the matrix is ids[i]); a consistent pair."""
        ids, vectors, _ = self._mirror.snapshot()
        return ids, vectors

    def versioned_snapshot(self) -> tuple[list[str], np.ndarray, int]:
        """`snapshot()` plus the content version it belongs to (rows move only when that changes)."""
        return self._mirror.snapshot()

    def row_of(self, memory_id: str) -> int | None:
        """The memory's row in `snapshot()`'s matrix."""
        return self._mirror.row.get(memory_id)

    def vector(self, memory_id: str) -> np.ndarray:
        return self._mirror.vector(memory_id)

    def columns(self) -> dict[str, np.ndarray]:
        """Per-row arrays aligned with `snapshot()` (see Mirror.columns)."""
        return self._mirror.columns()

    def history(self, memory_id: str | None = None) -> list[HistoryEntry]:
        return self._history.entries(memory_id)

    def consistent_copy(self) -> tuple[list[Memory], list[HistoryEntry], dict[str, np.ndarray]]:
        """Every record, all history and the lessons' vectors, read between two writes."""
        def read():
            from .records import Kind

            records = self._mirror.all()
            lessons = {m.id: self._mirror.vector(m.id) for m in records if m.kind == Kind.LESSON}
            return records, self.history(), lessons
        return self._writer.run(read)

    def backup(self, label: str) -> Path:
        """Copy the store to backups/ between two writes (nothing is half-written)."""
        return self._writer.run(lambda: backup_store(self.data_dir, label, self.clock.now()))

    # ---------------------------------------------------------------- writes
    def add(self, memories: list[Memory], actor: str, reason: str) -> list[Memory]:
        """Store new memories (each must carry a vector) and record their creation."""
        if not memories:
            return []
        self._check_vectors(memories)
        return self._writer.run(lambda: self._add(memories, actor, reason))

    def _add(self, memories: list[Memory], actor: str, reason: str) -> list[Memory]:
        now = self.clock.now().timestamp()
        stamped = [m.with_changes(updated_at=now) for m in memories]
        self._tables.memories.add(self._arrow(stamped))
        self._history.append([HistoryEntry(new_id(), m.id, now, actor, "created", "", m.state, reason)
                              for m in stamped])
        self._mirror.append(stamped)
        return stamped

    def apply_import(self, memories: list[Memory], history: list[HistoryEntry], cancel=None,
                     progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> list[Memory]:
        """Write validated records (each with its vector, stored exactly as given) and their
        history as one unit: after an error, a cancel (`cancel.is_set()`) or a crash half-way
        the store is as it was before (core/memory/journal.py). Nothing else is written meanwhile."""
        self._check_vectors(memories)
        return self._writer.run(lambda: self._apply_import(memories, history, cancel, progress, batch))

    def _apply_import(self, memories, history, cancel, progress, batch) -> list[Memory]:
        start = self._journal.begin()
        try:
            for i in range(0, len(memories), batch):
                _check_cancel(cancel)
                chunk = memories[i:i + batch]
                self._tables.memories.add(self._arrow(chunk))
                if progress is not None:
                    progress(i + len(chunk), len(memories))
            for i in range(0, len(history), 10 * batch):
                self._history.append(history[i:i + 10 * batch])
            _check_cancel(cancel)
        except MnemoError:
            self._journal.undo(start)
            raise
        except Exception as exc:
            self._journal.undo(start)
            raise StoreError(f"The import could not be written ({type(exc).__name__}: {exc}); nothing was changed. "
                             "Check the free disk space and try again.") from exc
        except BaseException:
            self._journal.undo(start)
            raise
        self._journal.finish()
        self._mirror.append(memories)
        return memories

    def set_state(self, memory_ids: list[str], state: str, actor: str, reason: str,
                  only_if: Guard = None) -> list[Memory]:
        """Move memories to `state`. `only_if(record)` is checked on the writer thread, against
        the record as it is at the moment of writing: a memory the user changed meanwhile (a
        pin, a delete) is left alone."""
        for memory_id in memory_ids:
            self.get(memory_id)  # raises NotFoundError before anything is written
        return self._writer.run(lambda: self._set_state(memory_ids, state, actor, reason, only_if))

    def _set_state(self, memory_ids: list[str], state: str, actor: str, reason: str,
                   only_if: Guard = None) -> list[Memory]:
        now = self.clock.now().timestamp()
        records = self._mirror.records
        current = [records[i] for i in dict.fromkeys(memory_ids) if i in records]
        changing = [m for m in current if m.state != state and (only_if is None or only_if(m))]
        if not changing:
            return []
        self._tables.memories.update(where=id_filter([m.id for m in changing]),
                                     values={"state": str(state), "updated_at": now})
        self._history.append([HistoryEntry(new_id(), m.id, now, actor, "state", m.state, state, reason)
                              for m in changing])
        changed = [m.with_changes(state=str(state), updated_at=now) for m in changing]
        self._mirror.replace(changed)
        return changed

    def reinforce(self, memory_ids: list[str], strengths: dict[str, float], actor: str, reason: str) -> None:
        """These memories were used in an answer: count the recall, set the grown strength
        and restart their forgetting clock."""
        records = self._mirror.records
        ids = [i for i in dict.fromkeys(memory_ids) if i in records]
        if not ids:
            return

        def write() -> None:
            now = self.clock.now().timestamp()
            updated = [records[i].with_changes(
                recall_count=records[i].recall_count + 1, last_recalled_at=now, reinforced_at=now,
                strength=float(strengths.get(i, records[i].strength)), updated_at=now) for i in ids]
            self._rewrite(updated, [HistoryEntry(new_id(), m.id, now, actor, "recalled", m.state, m.state, reason)
                                    for m in updated])
        self._writer.run(write)

    def restore(self, memory_ids: list[str], state: str, actor: str, reason: str,
                only_if: Guard = None) -> list[Memory]:
        """Set `state` and restart the forgetting clock (restore, unpin). `only_if` as in set_state."""
        for memory_id in memory_ids:
            self.get(memory_id)

        def write() -> list[Memory]:
            now = self.clock.now().timestamp()
            records = self._mirror.records
            old = [records[i] for i in dict.fromkeys(memory_ids)
                   if i in records and (only_if is None or only_if(records[i]))]
            if not old:
                return []
            updated = [m.with_changes(state=str(state), reinforced_at=now, updated_at=now) for m in old]
            self._rewrite(updated, [HistoryEntry(new_id(), m.id, now, actor, "state", m.state, str(state), reason)
                                    for m in old])
            return updated
        return self._writer.run(write)

    def set_guard(self, memory_id: str, verdict: str, reason: str, links: tuple[str, ...] = (),
                  state: str | None = None, actor: str = "guard", only_if: Guard = None) -> Memory | None:
        """Record the guard's verdict on a memory (and optionally move it to `state`): why it
        was quarantined, excluded or released, and the memories it conflicted with."""
        self.get(memory_id)

        def write() -> Memory | None:
            old = self._mirror.records.get(memory_id)
            if old is None or (only_if is not None and not only_if(old)):
                return None
            now = self.clock.now().timestamp()
            new = old.with_changes(guard_verdict=verdict, guard_reason=reason, links=tuple(links),
                                   state=str(state or old.state), updated_at=now)
            self._rewrite([new], [HistoryEntry(new_id(), new.id, now, actor, f"guard:{verdict}", old.state,
                                               new.state, reason)])
            return new
        return self._writer.run(write)

    def upsert(self, memory: Memory, actor: str, reason: str) -> Memory:
        """Store `memory` (with its vector) under its id: add it, or rewrite the record with
        that id (a regenerated summary keeps its id, state and pin)."""
        self._check_vectors([memory])

        def write() -> Memory:
            old = self._mirror.records.get(memory.id)
            if old is None:
                return self._add([memory], actor, reason)[0]
            now = self.clock.now().timestamp()
            new = memory.with_changes(state=old.state, created_at=old.created_at, updated_at=now)
            self._rewrite([new], [HistoryEntry(new_id(), new.id, now, actor, "revised", old.state, new.state, reason)],
                          vectors={new.id: np.asarray(memory.vector, dtype=np.float32)})
            return new
        return self._writer.run(write)

    def purge(self, memory_ids: list[str], actor: str, reason: str, only_if: Guard = None) -> int:
        """Remove memories for good: their rows, and the old table versions that still held
        their text (their history keeps a 'purged' entry without the text)."""
        def write() -> int:
            records = self._mirror.records
            ids = [i for i in dict.fromkeys(memory_ids) if i in records and (only_if is None or only_if(records[i]))]
            if not ids:
                return 0
            now = self.clock.now().timestamp()
            self._tables.memories.delete(id_filter(ids))
            self._tables.compact(self._tables.memories)
            self._history.append([HistoryEntry(new_id(), i, now, actor, "purged", records[i].state, "", reason)
                                  for i in ids])
            self._mirror.remove(set(ids))
            return len(ids)
        return self._writer.run(write)

    # ---------------------------------------------------------------- helpers
    def _rewrite(self, records: list[Memory], history: list[HistoryEntry],
                 vectors: dict[str, np.ndarray] | None = None) -> None:
        """Replace whole records (one atomic merge on the id). Writer thread only."""
        full = self._mirror.with_vectors(records, vectors)
        # update only: a record another process purged meanwhile must not come back
        self._tables.memories.merge_insert("id").when_matched_update_all().execute(self._arrow(full))
        self._history.append(history)
        self._mirror.replace(records, vectors)

    def _arrow(self, memories: list[Memory]) -> pa.Table:
        return pa.Table.from_pylist([to_row(m) for m in memories], schema=self._tables.memories.schema)

    def _check_vectors(self, memories: list[Memory]) -> None:
        for m in memories:
            if m.vector is None or np.asarray(m.vector).shape != (self.dim,):
                raise ValueError(f"memory {m.id} has no {self.dim}-dimensional vector")

    # ---------------------------------------------------------------- for tests and tools
    @property
    def _mem(self):
        return self._tables.memories

    @property
    def _hist(self):
        return self._tables.history

    @property
    def _meta(self):
        return self._tables.meta

    @property
    def _ids(self) -> list[str]:
        return self._mirror.ids

    @property
    def _columns_cache(self):
        return self._mirror.columns_cache

    @_columns_cache.setter
    def _columns_cache(self, value) -> None:
        self._mirror.columns_cache = value


def _check_cancel(cancel) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("The import was cancelled; nothing was changed.")
