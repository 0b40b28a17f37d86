"""Knowing that the store holds what was saved.

- Every record carries a checksum of its content and its vector (`record_checksum`, in the
  `checksum` column); vectors must be finite and of unit length (`bad_vectors`).
- The ledger (DATA_DIR/store/integrity.json) records what the store must contain: the
  version and row count of the memories, history and meta tables after the last acknowledged
  write. Before each write it is marked `pending` with the versions from before, so a write
  cut short (a crash, a full disk) is rolled back as a whole on the next open, and a table
  that went back in time (a deleted manifest), lost rows or vanished is noticed instead of
  being served, or written over, silently. While a compaction drops old versions it is
  marked `compacting` (core/memory/compaction.py).

Checksums guard against damage, not against someone who rewrites the files on purpose
(they could recompute them). Encryption at rest (core/memory/encryption.py) keys the checksums
of sealed records and authenticates their sealed contents; what stays in the clear (states,
verdicts, times, this ledger) says nothing of the content, but is not tamper-proof."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

LEDGER = "integrity.json"
LEDGER_FORMAT = 1
NORM_TOLERANCE = 1e-3
CHECKED_FIELDS = ("id", "text", "kind", "source", "role", "speaker", "conversation_id", "created_at", "event_at",
                  "content_hash")


def record_checksum(values: dict, vector, key: bytes = b"") -> str:
    """A checksum of the record's content (the fields that are written once) and its vector;
    keyed (`key`) for a sealed record, so that in the clear it cannot confirm a guessed text."""
    h = hashlib.blake2b(digest_size=16, key=key)
    h.update("\x1f".join(_canonical(values.get(name)) for name in CHECKED_FIELDS).encode("utf-8", "surrogatepass"))
    h.update(np.ascontiguousarray(vector, dtype="<f4").tobytes())
    return h.hexdigest()


def record_checksums(columns: dict[str, list], vectors: np.ndarray, key: bytes = b"",
                     keyed: list[bool] | None = None) -> list[str]:
    """`record_checksum` of every row at once (the same values; columns by name, vectors n x d);
    the rows marked in `keyed` are keyed with `key`."""
    n = len(vectors)
    canon = [[_canonical(v) for v in columns[name]] if name in ("created_at", "event_at")
             else ["\x00" if v is None else str(v) for v in columns[name]] for name in CHECKED_FIELDS]
    raw = np.ascontiguousarray(vectors, dtype="<f4").view(np.uint8).reshape(n, -1)
    out = []
    blake = hashlib.blake2b
    for i, parts in enumerate(zip(*canon)):
        h = blake("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16,
                  key=key if keyed is not None and keyed[i] else b"")
        h.update(raw[i])
        out.append(h.hexdigest())
    return out


def _canonical(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))  # 5 and 5.0 are the same time
    return str(value)


def bad_vectors(vectors: np.ndarray) -> np.ndarray:
    """Rows that are not finite or not of unit length."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=bool)
    finite = np.isfinite(vectors).all(axis=1)
    norms = np.linalg.norm(np.where(np.isfinite(vectors), vectors, 0.0), axis=1)
    return ~finite | (np.abs(norms - 1.0) > NORM_TOLERANCE)


class DamageFound(Exception):
    """What is wrong with a store (phrases); `fatal` when nothing of it can be served."""

    def __init__(self, problems: list[str], fatal: bool = False):
        super().__init__("; ".join(problems))
        self.problems = list(problems)
        self.fatal = fatal


@dataclass
class TableState:
    version: int
    rows: int

    def as_json(self) -> dict:
        return {"version": self.version, "rows": self.rows}


@dataclass
class LedgerState:
    tables: dict[str, TableState] = field(default_factory=dict)
    pending: dict[str, int] | None = None  # versions before a write that has not finished
    writes: int = 0
    compacted: int = 0  # `writes` when the tables were last compacted
    closed: bool = True  # False while a Mnemo has the store open: still False on open = it crashed
    compacting: bool = False  # old versions are being dropped: a newer version with the same rows is no damage


class Ledger:
    """The record of what the store must contain, written atomically (temp file, rename)."""

    def __init__(self, db_dir: Path):
        self.path = Path(db_dir) / LEDGER
        self.state: LedgerState | None = None

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> LedgerState | None:
        """The ledger on disk; None when there is none. Raises ValueError when unreadable."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != LEDGER_FORMAT:
            raise ValueError("not a ledger")
        tables = {name: TableState(int(t["version"]), int(t["rows"])) for name, t in data["tables"].items()}
        pending = data.get("pending")
        self.state = LedgerState(tables, {k: int(v) for k, v in pending.items()} if pending else None,
                                 int(data.get("writes", 0)), int(data.get("compacted", 0)),
                                 bool(data.get("closed", True)), bool(data.get("compacting", False)))
        return self.state

    def begin(self, versions: dict[str, int]) -> None:
        """A write starts; `versions` are the tables' versions before it."""
        state = self.state or LedgerState()
        state.pending = dict(versions)
        self.state = state
        self._save()

    def commit(self, tables: dict[str, TableState], compacted: bool = False, count: bool = True) -> None:
        """The write is done (or nothing was written): the tables as they are now.
        `compacted`: it was a compaction (its old versions are gone now); `count`: a write
        that added table versions (an open that only looked does not)."""
        state = self.state or LedgerState()
        state.tables = dict(tables)
        state.pending = None
        state.compacting = False
        state.writes += int(count)
        if compacted:
            state.compacted = state.writes
        self.state = state
        self._save()

    def dropping_old_versions(self) -> None:
        """A compaction's files are merged and committed; its old versions are being dropped."""
        self.state.compacting = True
        self._save()

    def set_closed(self, closed: bool) -> None:
        if self.state is not None and self.state.closed != closed:
            self.state.closed = closed
            self._save()

    def _save(self) -> None:
        state = self.state
        data = {"format": LEDGER_FORMAT, "tables": {k: v.as_json() for k, v in state.tables.items()},
                "pending": state.pending, "writes": state.writes, "compacted": state.compacted,
                "closed": state.closed, "compacting": state.compacting}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".integrity-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def compare(recorded: LedgerState, actual: dict[str, TableState]) -> list[str]:
    """What does not match between the ledger and the tables, as phrases ("" list when all is well)."""
    problems = []
    for name, want in recorded.tables.items():
        have = actual.get(name)
        if have is None:
            problems.append(f"the {name} table is missing")
            continue
        if recorded.pending is not None:
            if have.version < recorded.pending.get(name, want.version):
                problems.append(f"the {name} table went back to an older version ({have.version}; a write began "
                                f"at {recorded.pending.get(name)})")
            continue
        if have.version < want.version:
            lost = want.version - have.version
            problems.append(f"the {name} table went back to an older version: {lost} saved "
                            f"{'change is' if lost == 1 else 'changes are'} missing")
        elif have.version > want.version and not (recorded.compacting and have.rows == want.rows):
            problems.append(f"the {name} table was changed outside Mnemo (version {have.version}, "
                            f"{want.version} expected)")
        elif have.rows != want.rows:
            problems.append(f"the {name} table holds {have.rows:,} rows where {want.rows:,} were saved")
    return problems
