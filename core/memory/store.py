"""The memory store: one data directory, its LanceDB tables (core/memory/tables.py), the
in-memory mirror of the records (core/memory/mirror.py), the history of every change
(core/memory/history.py) and the ledger of what it must contain (core/memory/integrity.py).

All writes (core/memory/writes.py) go through one SerialWriter, each as one unit: the ledger
is marked pending, the table, the history and the mirror are updated, and the ledger records
the new state; a write that fails half-way is rolled back. Opening checks the store against
the ledger and every record against its checksum: a damaged store is opened read-only and
says what is wrong (`damage`), and nothing new is written on top of it."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Iterable, TypeVar

import numpy as np
import pyarrow as pa

from ..clock import Clock
from ..errors import MnemoError, NotFoundError, StoreDamagedError, StoreError
from .backup import backup_store, finish_interrupted_restore, mark_store, missing_store, newest_good_backup
from .check import damage_message, inspect, unreadable
from .compaction import COMPACT_EVERY, Compaction
from .encryption import StoreEncryption
from .history import HistoryLog
from .integrity import DamageFound, Ledger
from .journal import PENDING_IMPORT, Cancelled, ImportJournal
from .lock import LOCK_FILE, DirectoryLock, in_use
from .mirror import STATE_CODES, Mirror
from .opening import StoreOpening
from .records import HistoryEntry, Memory
from .schema import SCHEMA_VERSION, to_row
from .tables import Tables
from .writer import SerialWriter, disk_full, write_failure
from .writes import RecordWrites

__all__ = ["COMPACT_EVERY", "Cancelled", "LOCK_FILE", "MemoryStore", "PENDING_IMPORT", "STATE_CODES"]
log = logging.getLogger(__name__)
T = TypeVar("T")


class MemoryStore(StoreOpening, Compaction, RecordWrites, StoreEncryption):
    """Open with `MemoryStore.open(data_dir, clock, dim)`; close with `close()`."""

    def __init__(self, data_dir: Path, clock: Clock, dim: int):
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.dim = dim
        self._writer = SerialWriter()
        self._mirror = Mirror(dim)
        self._tables = Tables(self.data_dir / "store", dim)
        self._ledger = Ledger(self._tables.db_dir)
        self._history: HistoryLog | None = None
        self._journal = ImportJournal(self._tables)
        self._dir_lock: DirectoryLock | None = None
        self.last_backup: Path | None = None  # the backup taken by a migration on open
        self.damage: list[str] = []  # what is wrong with the store (it is read-only while not empty)
        self._damage_text = ""
        self._in_transaction = False

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, data_dir: Path, clock: Clock, dim: int = 384, wait: float = 0.5,
             compact_every: int = COMPACT_EVERY, passphrase=None) -> "MemoryStore":
        """`wait`: seconds to wait for another Mnemo to let go of the data directory;
        `compact_every`: writes between compactions (core/memory/compaction.py);
        `passphrase()`: asked only for a store encrypted with one (core/memory/encryption.py)."""
        store = cls(data_dir, clock, dim)
        store.compact_every = compact_every
        store._open(wait, passphrase)
        return store

    def _open(self, wait: float, passphrase=None) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"Cannot create the data directory {self.data_dir}: {exc.strerror}.") from exc
        self._dir_lock = DirectoryLock(self.data_dir, timeout=wait).acquire(in_use(self.data_dir))
        try:
            finish_interrupted_restore(self.data_dir)
            missing = missing_store(self.data_dir)
            if missing:  # never a new, empty store in place of one that is gone
                raise self._damaged([missing], fatal=True)
            self._tables.db_dir.mkdir(exist_ok=True, mode=0o700)
            self._unlock(passphrase)  # a wrong passphrase is refused before anything is read or written
            self._open_tables()
            mark_store(self.data_dir)
            self._resume_conversion()
        except BaseException:
            self._release_lock()
            raise

    def _open_tables(self) -> None:
        try:
            self._verify_and_load()
        except DamageFound as found:
            raise self._damaged(found.problems, fatal=True) from None
        except (MnemoError, Cancelled):  # sentences already (a key file from another memory, say)
            raise
        except Exception as exc:  # lance raises OSError/ValueError/RuntimeError with its own internals
            if disk_full(exc):
                raise StoreError(f"The disk is full: Mnemo cannot open the memory in {self.data_dir} until some "
                                 "space is freed. Nothing was changed.") from None
            log.debug("opening the store failed", exc_info=True)
            raise self._damaged([unreadable(self._tables.db_dir, exc)], fatal=True) from None

    def _damaged(self, problems: list[str], fatal: bool) -> StoreDamagedError:
        good = newest_good_backup(self.data_dir, self.dim)
        return StoreDamagedError(damage_message(self.data_dir, problems, fatal, good, readable=not fatal),
                                 problems)

    def _release_lock(self) -> None:
        if self._dir_lock is not None:
            self._dir_lock.release()
            self._dir_lock = None

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION

    @property
    def damage_message(self) -> str:
        """The sentence that says what is wrong and what to do ("" when the store is sound)."""
        return self._damage_text

    def close(self) -> None:
        if not self._writer.closed and self._ledger.state is not None and not self.damage:
            self._compact_on_close()
        if not self._writer.closed and self._ledger.state is not None and not self.damage:
            try:
                self._writer.run(lambda: self._ledger.set_closed(True))
            except OSError as exc:  # a full disk: the next open checks the store whole, nothing is lost
                log.warning("could not mark the store closed: %s", exc)
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
        """Keep a mark (the last sweep, a watermark...) in the meta table, as one write."""
        self._write(lambda: self._tables.set_meta(key, value), "the store's bookkeeping")

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

    # ---------------------------------------------------------------- checking and copying
    def check(self) -> list[str]:
        """Read the store back from disk, between two writes, and say what is wrong ([] if
        nothing). What it finds makes the store read-only, as if it had been found on open."""
        problems = self._writer.run(lambda: inspect(self._tables.db_dir, self.dim, self.cipher))
        if problems:
            self.mark_damaged(problems)
        return problems

    def mark_damaged(self, problems: list[str]) -> None:
        self.damage = list(problems)
        self._damage_text = str(self._damaged(problems, fatal=False))

    def backup(self, label: str) -> Path:
        """Copy the store to backups/ between two writes (nothing is half-written), after
        checking it: a copy of a damaged store is refused."""
        self._refuse_if_damaged()

        def copy() -> Path:
            problems = inspect(self._tables.db_dir, self.dim, self.cipher)
            if problems:
                self.mark_damaged(problems)
                raise StoreDamagedError("No backup was taken. " + self._damage_text, problems)
            return backup_store(self.data_dir, label, self.clock.now())
        return self._writer.run(copy)

    def repair(self):
        """Keep what is readable of a damaged store (core/memory/repair.py)."""
        from .repair import repair

        return repair(self)

    # ---------------------------------------------------------------- one write at a time
    def _write(self, fn: Callable[[], T], what: str) -> T:
        """Run `fn` on the writer thread as one unit (see the module docstring)."""
        self._refuse_if_damaged()
        return self._writer.run(lambda: self._transaction(fn, what))

    def _transaction(self, fn: Callable[[], T], what: str) -> T:
        self._refuse_if_damaged()
        if self._in_transaction:  # a write within a write: part of the outer unit
            return fn()
        self._in_transaction = True
        try:
            return self._unit(fn, what)
        finally:
            self._in_transaction = False

    def _unit(self, fn: Callable[[], T], what: str) -> T:
        before = self._tables.versions()
        rows = self._history.rows
        try:
            self._ledger.begin(before)
        except OSError as exc:  # e.g. the disk is full: nothing has been written yet
            raise StoreError(write_failure(what, exc)) from None
        try:
            result = fn()
            self._ledger.commit(self._tables.states(self._history.rows, len(self._mirror.ids)))
        except BaseException as exc:
            self._undo(before, rows)
            if isinstance(exc, MnemoError) or not isinstance(exc, Exception):
                raise
            raise StoreError(write_failure(what, exc)) from None
        return result

    def _undo(self, before: dict[str, int], history_rows: int) -> None:
        try:
            self._tables.roll_back(before)
            self._history.rows = history_rows
            self._ledger.commit(self._tables.states(history_rows, len(self._mirror.ids)))
        except Exception as exc:  # e.g. the disk is still full: the next open rolls it back from the ledger
            log.error("could not roll back a failed write now (%s); it is rolled back when the store opens next", exc)
            self.damage = ["a write failed half-way and could not be undone yet (it is undone when Mnemo "
                           "opens the store next)"]
            self._damage_text = ("The memory store could not finish a write and is read-only until Mnemo opens it "
                                 "again; nothing that was saved is lost. Free some disk space, then restart Mnemo.")

    def _refuse_if_damaged(self) -> None:
        if self.damage:
            raise StoreDamagedError("Nothing was saved. " + (self._damage_text or "The memory store is damaged."),
                                    self.damage)

    def _arrow(self, memories: list[Memory]) -> pa.Table:
        cipher = self._tables.write_cipher
        return pa.Table.from_pylist([to_row(m, cipher) for m in memories], schema=self._tables.memories.schema)

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
