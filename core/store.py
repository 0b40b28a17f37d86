"""The memory store: LanceDB tables in one data directory.

Tables: `memories` (the records, with their embedding), `history` (every change: who,
when, why) and `meta` (the schema version). All writes go through one SerialWriter. An
in-memory mirror of the records and their vectors is kept in step with every write, so
reads and exact vector search need no disk round-trip."""
from __future__ import annotations

import json
import logging
import threading
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pyarrow as pa

from .clock import Clock
from .errors import MnemoError, NotFoundError, StoreError, StoreVersionError
from .records import HistoryEntry, Memory, State, new_id
from .store_schema import (
    HISTORY,
    HISTORY_SCHEMA,
    MEMORIES,
    META,
    META_SCHEMA,
    SCALAR_FIELDS,
    SCHEMA_VERSION,
    from_columns,
    memory_schema,
    migrate,
    to_row,
)
from .writer import SerialWriter

log = logging.getLogger(__name__)


# Set in `meta` while an import is being written: the table versions to go back to if the
# import does not finish (an error, a cancel, or the process killed half-way).
PENDING_IMPORT = "pending_import"
LOCK_FILE = "store.lock"


class Cancelled(MnemoError):
    """The user cancelled; nothing was changed."""


# Small integer codes for the states a decay sweep moves between (0 = any other state).
STATE_CODES = {State.ACTIVE: 1, State.FADING: 2, State.FORGOTTEN: 3}


Guard = Callable[[Memory], bool] | None


class MemoryStore:
    """Open with `MemoryStore.open(data_dir, clock, dim)`; close with `close()`."""

    def __init__(self, data_dir: Path, clock: Clock, dim: int):
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.dim = dim
        self._writer = SerialWriter()
        self._lock = threading.RLock()
        self._records: dict[str, Memory] = {}
        self._row: dict[str, int] = {}
        self._ids: list[str] = []
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._db = None
        self._mem = None
        self._hist = None
        self._meta = None
        self._version = 0  # bumps on every write; lets readers cache derived indexes
        self._content_version = 0  # bumps when texts or the set of rows change (not states)
        self._vector_epoch = 0  # bumps when rows move or a stored vector is replaced (not on appends)
        self.last_backup: Path | None = None  # the backup taken by a migration on open
        self._columns_cache: tuple[int, dict] | None = None

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, data_dir: Path, clock: Clock, dim: int = 384) -> "MemoryStore":
        store = cls(data_dir, clock, dim)
        store._open()
        return store

    def _open(self) -> None:
        db_dir = self.data_dir / "store"
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"Cannot create the data directory {self.data_dir}: {exc.strerror}.") from exc
        self._take_lock()
        try:
            from .backup import finish_interrupted_restore

            finish_interrupted_restore(self.data_dir)
            db_dir.mkdir(exist_ok=True, mode=0o700)
            self._open_tables(db_dir)
        except BaseException:
            self._release_lock()
            raise

    def _take_lock(self) -> None:
        """One process at a time per data directory: two would each keep their own copy of
        the records and overwrite each other's changes."""
        from filelock import FileLock, Timeout

        self._file_lock = FileLock(str(self.data_dir / LOCK_FILE), timeout=0.5)
        try:
            self._file_lock.acquire()
        except Timeout:
            raise StoreError(
                f"The memory in {self.data_dir} is in use by another Mnemo (the app or a command still running). "
                "Close it and try again.") from None

    def _release_lock(self) -> None:
        lock = getattr(self, "_file_lock", None)
        if lock is not None:
            lock.release()
            self._file_lock = None

    def _open_tables(self, db_dir: Path) -> None:
        import lancedb

        try:
            self._db = lancedb.connect(str(db_dir))
            existing = set(self._table_names())
            self._meta = self._open_or_create(META, META_SCHEMA, existing)
            version = self._check_version(fresh=MEMORIES not in existing)
            self._mem = self._open_or_create(MEMORIES, memory_schema(self.dim), existing)
            self._hist = self._open_or_create(HISTORY, HISTORY_SCHEMA, existing)
            self._recover_import()
            if version < SCHEMA_VERSION:
                self._migrate(version)
            self._load_mirror()
        except StoreError:
            raise
        except Exception as exc:  # lance raises a variety of OSError/ValueError/RuntimeError
            raise StoreError(
                f"The memory store in {db_dir} could not be read ({type(exc).__name__}: {exc}). "
                "It may be damaged; restore a backup or choose another data directory."
            ) from exc

    def _table_names(self) -> list[str]:
        lister = getattr(self._db, "list_tables", None)
        if lister is not None:
            result = lister()
            names = getattr(result, "tables", result)
            return list(names)
        return list(self._db.table_names())

    def _open_or_create(self, name: str, schema: pa.Schema, existing: set[str]):
        if name in existing:
            return self._db.open_table(name)
        return self._db.create_table(name, schema=schema)

    def _check_version(self, fresh: bool) -> int:
        rows = self._meta.to_arrow().to_pylist()
        meta = {r["key"]: r["value"] for r in rows}
        if "schema_version" not in meta:
            if not fresh:
                raise StoreError(
                    f"The memory store in {self.data_dir} has no schema version; it was not written by Mnemo."
                )
            self._meta.add([{"key": "schema_version", "value": str(SCHEMA_VERSION)}])
            return SCHEMA_VERSION
        version = int(meta["schema_version"])
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"The memory store in {self.data_dir} was written by a newer Mnemo (schema {version}; "
                f"this version reads up to {SCHEMA_VERSION}). Update Mnemo to open it."
            )
        return version

    def _migrate(self, version: int) -> None:
        """Upgrade an older store in place, after copying it to backups/."""
        from .backup import backup_store
        from .decay import DecayPolicy

        self.last_backup = backup_store(self.data_dir, f"before-schema-v{SCHEMA_VERSION}", self.clock.now())
        policy = DecayPolicy()
        strength_sql = (f"{policy.min_strength_days} + importance * "
                        f"{policy.max_strength_days - policy.min_strength_days}")
        migrate(self._mem, version, strength_sql, self.clock.now().timestamp())
        self._meta.update(where="key = 'schema_version'", values={"value": str(SCHEMA_VERSION)})

    def _load_mirror(self) -> None:
        table = self._mem.to_arrow()
        n = table.num_rows
        vectors = np.zeros((max(n, 16), self.dim), dtype=np.float32)
        if n:
            flat = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
            vectors[:n] = flat.reshape(n, self.dim)
        columns = {name: table.column(name).to_pylist() for name in SCALAR_FIELDS}
        with self._lock:
            self._vectors = vectors
            for i in range(n):
                record = from_columns(columns, i)
                self._records[record.id] = record
                self._row[record.id] = i
                self._ids.append(record.id)
            self._version += 1

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION

    def close(self) -> None:
        self._writer.close()
        self._release_lock()

    def _recover_import(self) -> None:
        """An import that did not finish (the process was killed half-way) is undone."""
        pending = self.meta(PENDING_IMPORT)
        if not pending:
            return
        versions = json.loads(pending)
        log.warning("undoing an import that did not finish (tables back to %s)", versions)
        for table, key in ((self._mem, "memories"), (self._hist, "history")):
            if table.version != versions[key]:
                table.restore(versions[key])
        self._meta.delete(f"key = '{PENDING_IMPORT}'")

    # ---------------------------------------------------------------- reads
    def __len__(self) -> int:
        return len(self._ids)

    @property
    def version(self) -> int:
        return self._version

    @property
    def vector_epoch(self) -> int:
        """Changes when rows of `snapshot()` move or a vector is replaced; appends keep it."""
        return self._vector_epoch

    @property
    def content_version(self) -> int:
        """Changes only when memories are added, purged or rewritten (keyword index key)."""
        return self._content_version

    def meta(self, key: str, default: str | None = None) -> str | None:
        rows = self._meta.search().where(f"key = '{_quote(key)}'").limit(1).to_arrow().to_pylist()
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        def write() -> None:
            self._meta.merge_insert("key").when_matched_update_all().when_not_matched_insert_all().execute(
                pa.Table.from_pylist([{"key": key, "value": value}], schema=META_SCHEMA))
        self._writer.run(write)

    def get(self, memory_id: str) -> Memory:
        record = self._records.get(memory_id)
        if record is None:
            raise NotFoundError(f"There is no memory with id {memory_id}.")
        return record

    def find(self, memory_id: str) -> Memory | None:
        return self._records.get(memory_id)

    def all(self, states: Iterable[str] | None = None, kinds: Iterable[str] | None = None) -> list[Memory]:
        wanted_states = set(states) if states is not None else None
        wanted_kinds = set(kinds) if kinds is not None else None
        with self._lock:
            records = [self._records[i] for i in self._ids]
        return [
            r
            for r in records
            if (wanted_states is None or r.state in wanted_states)
            and (wanted_kinds is None or r.kind in wanted_kinds)
        ]

    def find_by_hash(self, digest: str, kinds: Iterable[str]) -> Memory | None:
        wanted = set(kinds)
        with self._lock:
            for memory_id in self._ids:
                record = self._records[memory_id]
                if record.content_hash == digest and record.kind in wanted and record.state != State.DELETED:
                    return record
        return None

    def snapshot(self) -> tuple[list[str], np.ndarray]:
        """The ids and their vectors (row i of the matrix is ids[i]); a consistent pair."""
        with self._lock:
            n = len(self._ids)
            return list(self._ids), self._vectors[:n]

    def versioned_snapshot(self) -> tuple[list[str], np.ndarray, int]:
        """`snapshot()` plus the content version it belongs to (rows move only when that changes)."""
        with self._lock:
            n = len(self._ids)
            return list(self._ids), self._vectors[:n], self._content_version

    def row_of(self, memory_id: str) -> int | None:
        """The memory's row in `snapshot()`'s matrix."""
        return self._row.get(memory_id)

    def vector(self, memory_id: str) -> np.ndarray:
        with self._lock:
            return self._vectors[self._row[memory_id]].copy()

    def history(self, memory_id: str | None = None) -> list[HistoryEntry]:
        query = self._hist.search()
        if memory_id is not None:
            query = query.where(f"memory_id = '{_quote(memory_id)}'")
        rows = query.limit(None).to_arrow().to_pylist() if memory_id else self._hist.to_arrow().to_pylist()
        entries = [HistoryEntry(**row) for row in rows]
        return sorted(entries, key=lambda e: e.at)

    # ---------------------------------------------------------------- writes
    def add(self, memories: list[Memory], actor: str, reason: str) -> list[Memory]:
        """Store new memories (each must carry a vector) and record their creation."""
        if not memories:
            return []
        for m in memories:
            if m.vector is None or np.asarray(m.vector).shape != (self.dim,):
                raise ValueError(f"memory {m.id} has no {self.dim}-dimensional vector")
        return self._writer.run(lambda: self._add(memories, actor, reason))

    def _add(self, memories: list[Memory], actor: str, reason: str) -> list[Memory]:
        now = self.clock.now().timestamp()
        stamped = [m.with_changes(updated_at=now) for m in memories]
        rows = [to_row(m) for m in stamped]
        table = pa.Table.from_pylist(rows, schema=self._mem.schema)
        self._mem.add(table)
        self._append_history(
            [
                HistoryEntry(new_id(), m.id, now, actor, "created", "", m.state, reason)
                for m in stamped
            ]
        )
        self._mirror_append(stamped)
        return stamped

    def apply_import(self, memories: list[Memory], history: list[HistoryEntry], cancel=None,
                     progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> list[Memory]:
        """Write validated records (each with its vector, stored exactly as given) and their
        history as one unit: after an error, a cancel (`cancel.is_set()`) or a crash half-way
        the store is as it was before. Nothing else is written meanwhile (one writer)."""
        for m in memories:
            if m.vector is None or np.asarray(m.vector).shape != (self.dim,):
                raise ValueError(f"memory {m.id} has no {self.dim}-dimensional vector")
        return self._writer.run(lambda: self._apply_import(memories, history, cancel, progress, batch))

    def _apply_import(self, memories, history, cancel, progress, batch) -> list[Memory]:
        start = {"memories": self._mem.version, "history": self._hist.version}
        self._meta.add([{"key": PENDING_IMPORT, "value": json.dumps(start)}])
        try:
            for i in range(0, len(memories), batch):
                if cancel is not None and cancel.is_set():
                    raise Cancelled("The import was cancelled; nothing was changed.")
                chunk = memories[i:i + batch]
                self._mem.add(pa.Table.from_pylist([to_row(m) for m in chunk], schema=self._mem.schema))
                if progress is not None:
                    progress(i + len(chunk), len(memories))
            for i in range(0, len(history), 10 * batch):
                self._append_history(history[i:i + 10 * batch])
            if cancel is not None and cancel.is_set():
                raise Cancelled("The import was cancelled; nothing was changed.")
        except MnemoError:
            self._undo_import(start)
            raise
        except Exception as exc:
            self._undo_import(start)
            raise StoreError(f"The import could not be written ({type(exc).__name__}: {exc}); nothing was changed. "
                             "Check the free disk space and try again.") from exc
        except BaseException:
            self._undo_import(start)
            raise
        self._meta.delete(f"key = '{PENDING_IMPORT}'")
        self._mirror_append(memories)
        return memories

    def _mirror_append(self, written: list[Memory]) -> None:
        """Records just written to the table join the in-memory mirror (rows, vectors, columns)."""
        with self._lock:
            self._grow(len(self._ids) + len(written))
            for m in written:
                row = len(self._ids)
                self._vectors[row] = np.asarray(m.vector, dtype=np.float32)
                self._ids.append(m.id)
                self._row[m.id] = row
                self._records[m.id] = m.with_changes(vector=None)
            self._version += 1
            self._content_version += 1
            self._columns_changed(written, appended=True)

    def _undo_import(self, start: dict) -> None:
        try:
            for table, key in ((self._mem, "memories"), (self._hist, "history")):
                if table.version != start[key]:
                    table.restore(start[key])
            self._meta.delete(f"key = '{PENDING_IMPORT}'")
        except Exception as exc:  # the journal stays: the next open undoes it
            log.error("could not undo an unfinished import now (%s); it is undone when the store opens next", exc)

    def _grow(self, needed: int) -> None:
        if needed > self._vectors.shape[0]:
            grown = np.zeros((max(needed, 2 * self._vectors.shape[0]), self.dim), dtype=np.float32)
            grown[: len(self._ids)] = self._vectors[: len(self._ids)]
            self._vectors = grown

    def consistent_copy(self) -> tuple[list[Memory], list[HistoryEntry], dict[str, np.ndarray]]:
        """Every record, all history and the lessons' vectors, read between two writes."""
        def read():
            from .records import Kind

            with self._lock:
                records = [self._records[i] for i in self._ids]
                lessons = {m.id: self._vectors[self._row[m.id]].copy() for m in records if m.kind == Kind.LESSON}
            return records, self.history(), lessons
        return self._writer.run(read)

    def backup(self, label: str) -> Path:
        """Copy the store to backups/ between two writes (nothing is half-written)."""
        from .backup import backup_store

        return self._writer.run(lambda: backup_store(self.data_dir, label, self.clock.now()))

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
        current = [self._records[i] for i in dict.fromkeys(memory_ids) if i in self._records]
        changing = [m for m in current if m.state != state and (only_if is None or only_if(m))]
        if not changing:
            return []
        self._mem.update(where=_id_filter([m.id for m in changing]), values={"state": str(state), "updated_at": now})
        self._append_history(
            [HistoryEntry(new_id(), m.id, now, actor, "state", m.state, state, reason) for m in changing]
        )
        changed = []
        with self._lock:
            for m in changing:
                updated = m.with_changes(state=str(state), updated_at=now)
                self._records[m.id] = updated
                changed.append(updated)
            self._version += 1
            self._columns_changed(changed)
        return changed

    def reinforce(self, memory_ids: list[str], strengths: dict[str, float], actor: str, reason: str) -> None:
        """These memories were used in an answer: count the recall, set the grown strength
        and restart their forgetting clock."""
        ids = [i for i in dict.fromkeys(memory_ids) if i in self._records]
        if not ids:
            return

        def write() -> None:
            now = self.clock.now().timestamp()
            updated = [
                self._records[i].with_changes(
                    recall_count=self._records[i].recall_count + 1, last_recalled_at=now, reinforced_at=now,
                    strength=float(strengths.get(i, self._records[i].strength)), updated_at=now)
                for i in ids
            ]
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
            old = [self._records[i] for i in dict.fromkeys(memory_ids)
                   if i in self._records and (only_if is None or only_if(self._records[i]))]
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
            old = self._records.get(memory_id)
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
        if memory.vector is None or np.asarray(memory.vector).shape != (self.dim,):
            raise ValueError(f"memory {memory.id} has no {self.dim}-dimensional vector")

        def write() -> Memory:
            old = self._records.get(memory.id)
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
            ids = [i for i in dict.fromkeys(memory_ids)
                   if i in self._records and (only_if is None or only_if(self._records[i]))]
            if not ids:
                return 0
            now = self.clock.now().timestamp()
            self._mem.delete(_id_filter(ids))
            self._compact(self._mem)
            self._append_history([HistoryEntry(new_id(), i, now, actor, "purged", self._records[i].state, "", reason)
                                  for i in ids])
            gone = set(ids)
            with self._lock:
                keep = [i for i in self._ids if i not in gone]
                rows = [self._row[i] for i in keep]
                vectors = np.zeros((max(len(keep), 16), self.dim), dtype=np.float32)
                vectors[: len(keep)] = self._vectors[rows]
                self._vectors, self._ids = vectors, keep
                self._row = {memory_id: row for row, memory_id in enumerate(keep)}
                for memory_id in gone:
                    self._records.pop(memory_id, None)
                self._version += 1
                self._vector_epoch += 1
                self._columns_cache = None
                self._content_version += 1
            return len(ids)
        return self._writer.run(write)

    def columns(self) -> dict[str, np.ndarray]:
        """Per-row arrays aligned with `snapshot()` (ids, strength, anchor time, kind, state),
        for vectorised passes such as the decay sweep. Kept in step with every write (patched
        for the rows a write changed; rebuilt only after a purge)."""
        with self._lock:
            cached = self._columns_cache
            if cached is not None and cached[0] == self._version:
                return cached[1]
            records = [self._records[i] for i in self._ids]
            cols = {"ids": np.array([m.id for m in records], dtype=object), **_column_values(records),
                    "content_version": self._content_version}
            self._columns_cache = (self._version, cols)
            return cols

    def _columns_changed(self, records: list[Memory], appended: bool = False) -> None:
        """After a write (lock held, version already bumped): patch or extend the cached
        columns instead of rebuilding them from every record. Copies, so a reader holding
        the previous arrays is never changed under its feet."""
        cached = self._columns_cache
        if cached is None:
            return
        old = cached[1]
        values = _column_values(records)
        if appended:
            cols = {k: np.concatenate([old[k], values[k]]) for k in values}
            cols["ids"] = np.concatenate([old["ids"], np.array([m.id for m in records], dtype=object)])
        else:
            rows = np.fromiter((self._row[m.id] for m in records), dtype=np.int64, count=len(records))
            cols = {k: old[k].copy() for k in values}
            for k in values:
                cols[k][rows] = values[k]
            cols["ids"] = old["ids"]
        cols["content_version"] = self._content_version
        self._columns_cache = (self._version, cols) if len(cols["ids"]) == len(self._ids) else None

    def _rewrite(self, records: list[Memory], history: list[HistoryEntry],
                 vectors: dict[str, np.ndarray] | None = None) -> None:
        """Replace whole records (one atomic merge on the id). Writer thread only."""
        vectors = vectors or {}
        with self._lock:
            full = [m.with_changes(vector=vectors.get(m.id, self._vectors[self._row[m.id]])) for m in records]
        table = pa.Table.from_pylist([to_row(m) for m in full], schema=self._mem.schema)
        # update only: a record another process purged meanwhile must not come back
        self._mem.merge_insert("id").when_matched_update_all().execute(table)
        self._append_history(history)
        with self._lock:
            for m in records:
                old = self._records[m.id]
                self._records[m.id] = m.with_changes(vector=None)
                if m.id in vectors:
                    self._vectors[self._row[m.id]] = vectors[m.id]
                    self._vector_epoch += 1
                if old.text != m.text or m.id in vectors:
                    self._content_version += 1
            self._version += 1
            self._columns_changed([self._records[m.id] for m in records])

    def _compact(self, table) -> None:
        """Drop the table versions older than this write, so deleted rows leave the disk."""
        try:
            with warnings.catch_warnings():  # "other readers of old versions will fail": one process writes here
                warnings.simplefilter("ignore", UserWarning)
                table.optimize(cleanup_older_than=timedelta(0), delete_unverified=True)
        except Exception as exc:  # the purge itself is done; the space is reclaimed next time
            log.warning("could not compact %s after a purge: %s", table.name, exc)

    def _append_history(self, entries: list[HistoryEntry]) -> None:
        if entries:
            columns = {name: [getattr(e, name) for e in entries] for name in HISTORY_SCHEMA.names}
            self._hist.add(pa.Table.from_pydict(columns, schema=HISTORY_SCHEMA))


def _column_values(records: list[Memory]) -> dict[str, np.ndarray]:
    from .decay import DECAYING_KINDS

    n = len(records)
    return {
        "strength": np.fromiter((m.strength for m in records), dtype=np.float64, count=n),
        "anchor": np.fromiter((m.reinforced_at if m.reinforced_at is not None else m.created_at
                               for m in records), dtype=np.float64, count=n),
        "state": np.array([m.state for m in records], dtype=object).reshape(n),
        # kinds that fade, and not pinned: what the decay curve applies to
        "decays": np.fromiter((m.kind in DECAYING_KINDS and m.state != State.PINNED for m in records),
                              dtype=bool, count=n),
        # active or fading: what a sweep may move
        "swept": np.fromiter((m.state == State.ACTIVE or m.state == State.FADING for m in records),
                             dtype=bool, count=n),
        "state_code": np.fromiter((STATE_CODES.get(m.state, 0) for m in records), dtype=np.int8, count=n),
    }


def _quote(value: str) -> str:
    return value.replace("'", "''")


def _id_filter(ids: list[str]) -> str:
    return "id IN (" + ", ".join(f"'{_quote(i)}'" for i in ids) + ")"


