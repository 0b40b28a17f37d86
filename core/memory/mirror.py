"""The in-memory mirror of the memories table: every record (without its vector), the vectors
as one matrix (row i belongs to ids[i]), and per-row columns for vectorised passes such as the
decay sweep. The store keeps it in step with every write it makes, so reads and exact vector
search need no disk round-trip.

Three counters let readers cache what they derive: `version` changes on every write,
`content_version` when texts or the set of rows change (the keyword index), `vector_epoch`
when rows move or a stored vector is replaced (the vector index; appends keep it)."""
from __future__ import annotations

import threading
from typing import Iterable

import numpy as np

from .decay import DECAYING_KINDS
from .records import Memory, State

# Small integer codes for the states a decay sweep moves between (0 = any other state).
STATE_CODES = {State.ACTIVE: 1, State.FADING: 2, State.FORGOTTEN: 3}
# A code for every state (the "state_id" column: which rows may take part in a search).
STATE_IDS = {str(state): i for i, state in enumerate(State, start=1)}


class Mirror:
    def __init__(self, dim: int):
        self.dim = dim
        self.lock = threading.RLock()
        self.records: dict[str, Memory] = {}
        self.row: dict[str, int] = {}
        self.ids: list[str] = []
        self.vectors = np.zeros((0, dim), dtype=np.float32)
        self.version = 0
        self.content_version = 0
        self.vector_epoch = 0
        self.columns_cache: tuple[int, dict] | None = None

    # ---------------------------------------------------------------- filling
    def load(self, records: list[Memory], vectors: np.ndarray) -> None:
        """Start from these records (in table order) and their vectors (one row each)."""
        n = len(records)
        matrix = np.zeros((max(n, 16), self.dim), dtype=np.float32)
        matrix[:n] = vectors[:n]
        with self.lock:
            self.vectors = matrix
            for i, record in enumerate(records):
                self.records[record.id] = record
                self.row[record.id] = i
                self.ids.append(record.id)
            self.version += 1

    def append(self, written: list[Memory]) -> None:
        """Records just written to the table (each with its vector) join the mirror."""
        with self.lock:
            self._grow(len(self.ids) + len(written))
            for m in written:
                row = len(self.ids)
                self.vectors[row] = np.asarray(m.vector, dtype=np.float32)
                self.ids.append(m.id)
                self.row[m.id] = row
                self.records[m.id] = m.with_changes(vector=None)
            self.version += 1
            self.content_version += 1
            self._columns_changed(written, appended=True)

    def replace(self, records: list[Memory], vectors: dict[str, np.ndarray] | None = None) -> None:
        """Whole records rewritten in the table (and, for those in `vectors`, their vector)."""
        vectors = vectors or {}
        with self.lock:
            for m in records:
                old = self.records[m.id]
                self.records[m.id] = m.with_changes(vector=None)
                if m.id in vectors:
                    self.vectors[self.row[m.id]] = vectors[m.id]
                    self.vector_epoch += 1
                if old.text != m.text or m.id in vectors:
                    self.content_version += 1
            self.version += 1
            self._columns_changed([self.records[m.id] for m in records])

    def remove(self, gone: set[str]) -> None:
        """Rows deleted from the table: the others move up (the row order stays the table's)."""
        with self.lock:
            keep = [i for i in self.ids if i not in gone]
            rows = [self.row[i] for i in keep]
            vectors = np.zeros((max(len(keep), 16), self.dim), dtype=np.float32)
            vectors[: len(keep)] = self.vectors[rows]
            self.vectors, self.ids = vectors, keep
            self.row = {memory_id: row for row, memory_id in enumerate(keep)}
            for memory_id in gone:
                self.records.pop(memory_id, None)
            self.version += 1
            self.vector_epoch += 1
            self.columns_cache = None
            self.content_version += 1

    def with_vectors(self, records: list[Memory], vectors: dict[str, np.ndarray] | None = None) -> list[Memory]:
        """The records with their vector attached (the given one, else the mirror's)."""
        vectors = vectors or {}
        with self.lock:
            return [m.with_changes(vector=vectors.get(m.id, self.vectors[self.row[m.id]])) for m in records]

    def _grow(self, needed: int) -> None:
        if needed > self.vectors.shape[0]:
            grown = np.zeros((max(needed, 2 * self.vectors.shape[0]), self.dim), dtype=np.float32)
            grown[: len(self.ids)] = self.vectors[: len(self.ids)]
            self.vectors = grown

    # ---------------------------------------------------------------- reads
    def all(self, states: Iterable[str] | None = None, kinds: Iterable[str] | None = None) -> list[Memory]:
        wanted_states = set(states) if states is not None else None
        wanted_kinds = set(kinds) if kinds is not None else None
        with self.lock:
            records = [self.records[i] for i in self.ids]
        return [r for r in records
                if (wanted_states is None or r.state in wanted_states)
                and (wanted_kinds is None or r.kind in wanted_kinds)]

    def find_by_hash(self, digest: str, kinds: Iterable[str]) -> Memory | None:
        wanted = set(kinds)
        with self.lock:
            for memory_id in self.ids:
                record = self.records[memory_id]
                if record.content_hash == digest and record.kind in wanted and record.state != State.DELETED:
                    return record
        return None

    def snapshot(self) -> tuple[list[str], np.ndarray, int]:
        """The ids, their vectors and the content version they belong to: a consistent triple."""
        with self.lock:
            n = len(self.ids)
            return list(self.ids), self.vectors[:n], self.content_version

    def vector(self, memory_id: str) -> np.ndarray:
        with self.lock:
            return self.vectors[self.row[memory_id]].copy()

    # ---------------------------------------------------------------- columns
    def columns(self) -> dict[str, np.ndarray]:
        """Per-row arrays aligned with `snapshot()` (ids, strength, anchor time, kind, state).
        Patched for the rows a write changed; rebuilt only after a purge."""
        with self.lock:
            cached = self.columns_cache
            if cached is not None and cached[0] == self.version:
                return cached[1]
            records = [self.records[i] for i in self.ids]
            cols = {"ids": np.array([m.id for m in records], dtype=object), **column_values(records),
                    "content_version": self.content_version}
            self.columns_cache = (self.version, cols)
            return cols

    def _columns_changed(self, records: list[Memory], appended: bool = False) -> None:
        """After a write (lock held, version already bumped): patch or extend the cached
        columns instead of rebuilding them from every record. Copies, so a reader holding
        the previous arrays is never changed under its feet."""
        cached = self.columns_cache
        if cached is None:
            return
        old = cached[1]
        values = column_values(records)
        if appended:
            cols = {k: np.concatenate([old[k], values[k]]) for k in values}
            cols["ids"] = np.concatenate([old["ids"], np.array([m.id for m in records], dtype=object)])
        else:
            rows = np.fromiter((self.row[m.id] for m in records), dtype=np.int64, count=len(records))
            cols = {k: old[k].copy() for k in values}
            for k in values:
                cols[k][rows] = values[k]
            cols["ids"] = old["ids"]
        cols["content_version"] = self.content_version
        self.columns_cache = (self.version, cols) if len(cols["ids"]) == len(self.ids) else None


def column_values(records: list[Memory]) -> dict[str, np.ndarray]:
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
        "state_id": np.fromiter((STATE_IDS.get(m.state, 0) for m in records), dtype=np.int8, count=n),
        "when": np.fromiter((m.event_at if m.event_at is not None else m.created_at for m in records),
                            dtype=np.float64, count=n),
        # a fact a newer statement replaced: kept (with its "until"), out of ordinary answers
        "superseded": np.fromiter((m.valid_until is not None for m in records), dtype=bool, count=n),
    }
