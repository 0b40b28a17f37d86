"""The store's LanceDB tables in DATA_DIR/store: `memories` (the records with their vectors),
`history` (every change) and `meta` (the schema version and a few marks). Opening checks the
schema version: an older store is migrated (after a backup), a newer one refused."""
from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..errors import StoreError, StoreVersionError
from .integrity import DamageFound, TableState, bad_vectors, record_checksums
from .records import Memory
from .schema import (
    CHECKSUMS_SINCE,
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
)

log = logging.getLogger(__name__)
KEEP_VERSIONS = timedelta(days=36500)  # "drop the versions older than a century": none


class Tables:
    def __init__(self, db_dir: Path, dim: int):
        self.db_dir = Path(db_dir)
        self.dim = dim
        self.db = None
        self.memories = None
        self.history = None
        self.meta = None
        self.schema_version = SCHEMA_VERSION  # of the tables as they are (older until migrated)
        self.cipher = None  # RowCipher (core/memory/sealing.py) when the store is encrypted: reads sealed rows
        self.sealing = False  # and new rows are written sealed

    @property
    def write_cipher(self):
        """The cipher rows are sealed with as they are written (None: written in the clear)."""
        return self.cipher if self.sealing else None

    def open(self, has_ledger: bool, create: bool = True) -> tuple[int, bool]:
        """Connect and open the three tables; returns (schema version found, fresh). A new
        store gets its tables here; an older one gets those its version lacked. In a store
        of this version a missing table is damage (DamageFound), never silently recreated.
        With `create` False nothing is written (a backup being checked)."""
        import lancedb

        self.db = lancedb.connect(str(self.db_dir))
        existing = set(self._names())
        fresh = not existing and not has_ledger
        if fresh and not create:
            raise DamageFound(["it holds no memory store"], fatal=True)
        if META not in existing and not fresh:
            raise DamageFound(["the meta table (it holds the schema version) is missing"], fatal=True)
        self.meta = self._open_or_create(META, META_SCHEMA, existing)
        version = self._check_version(fresh)
        self.schema_version = version
        legacy = version < SCHEMA_VERSION
        for name in (MEMORIES, HISTORY):
            if name not in existing and not (fresh or legacy):
                raise DamageFound([f"the {name} table is missing"], fatal=True)
        if create or MEMORIES in existing:
            self.memories = self._open_or_create(MEMORIES, memory_schema(self.dim), existing)
        if create or HISTORY in existing:
            self.history = self._open_or_create(HISTORY, HISTORY_SCHEMA, existing)
        return version, fresh

    def _names(self) -> list[str]:
        lister = getattr(self.db, "list_tables", None)
        if lister is not None:
            result = lister()
            return list(getattr(result, "tables", result))
        return list(self.db.table_names())

    def _open_or_create(self, name: str, schema: pa.Schema, existing: set[str]):
        if name in existing:
            return self.db.open_table(name)
        return self.db.create_table(name, schema=schema)

    def reread_version(self) -> int:
        """The schema version in the meta table now (after a rollback took it back, say)."""
        self.schema_version = self._check_version(fresh=False)
        return self.schema_version

    def _check_version(self, fresh: bool) -> int:
        meta = {r["key"]: r["value"] for r in self.meta.to_arrow().to_pylist()}
        if "schema_version" not in meta:
            if not fresh:
                raise DamageFound(["the meta table holds no schema version"], fatal=True)
            self.meta.add([{"key": "schema_version", "value": str(SCHEMA_VERSION)}])
            return SCHEMA_VERSION
        try:
            version = int(meta["schema_version"])
        except ValueError:
            raise DamageFound(["the schema version in the meta table is not a number"], fatal=True) from None
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"The memory store in {self.db_dir.parent} was written by a newer Mnemo (schema {version}; "
                f"this version reads up to {SCHEMA_VERSION}). Update Mnemo to open it.")
        return version

    def states(self, history_rows: int | None = None, memory_rows: int | None = None) -> dict[str, TableState]:
        """The tables' versions and row counts now (counted when not given)."""
        history = (TableState(self.history.version, self.history.count_rows() if history_rows is None else history_rows)
                   if self.history is not None else TableState(0, 0))
        return {MEMORIES: TableState(self.memories.version,
                                     self.memories.count_rows() if memory_rows is None else memory_rows),
                HISTORY: history, META: TableState(self.meta.version, self.meta.count_rows())}

    def all(self) -> list:
        return [self.memories, self.history, self.meta]

    def versions(self) -> dict[str, int]:
        return {MEMORIES: self.memories.version, HISTORY: self.history.version, META: self.meta.version}

    def roll_back(self, versions: dict[str, int]) -> None:
        """Put the tables back to these versions (as new versions)."""
        for name, table in ((MEMORIES, self.memories), (HISTORY, self.history), (META, self.meta)):
            want = versions.get(name)
            if want is not None and table.version != want:
                table.restore(want)

    def migrate(self, version: int, now: float) -> None:
        """Upgrade an older store in place (the caller has backed it up)."""
        from .decay import DecayPolicy

        policy = DecayPolicy()
        ratio = policy.max_strength_days / policy.min_strength_days
        strength_sql = f"{policy.min_strength_days} * power({ratio}, importance)"  # DecayPolicy.initial_strength
        migrate(self.memories, version, strength_sql, now)
        self.meta.update(where="key = 'schema_version'", values={"value": str(SCHEMA_VERSION)})
        self.schema_version = SCHEMA_VERSION

    # ---------------------------------------------------------------- reading everything
    def read_memories(self, require_key: bool = True) -> tuple[list[Memory], np.ndarray, list[str], list[str]]:
        """Every sound record in table order (without vectors), their vectors as one matrix,
        the ids of the records left out because their checksum or vector is wrong, and of
        those left out because they have no checksum although their schema version has one
        (before the migration to it, records have none). Sealed records are opened with the
        cipher (LockedError without it, unless `require_key` is False: a backup checked without
        its key, whose sealed records are then left out unread)."""
        try:
            table = self.memories.to_arrow()
        except Exception as exc:  # lance's decoders: name the table, not the library's source file
            raise DamageFound([file_problem("memories", exc)], fatal=True) from None
        n = table.num_rows
        columns, vectors, sealed, undecryptable = self.decode(table, require_key)
        sums = table.column("checksum").to_pylist() if "checksum" in table.schema.names else [None] * n
        bad = bad_vectors(vectors)
        key = self.cipher.checksum_key if self.cipher is not None else b""
        expected = record_checksums(columns, vectors, key, sealed) if n else []
        signed = self.schema_version >= CHECKSUMS_SINCE
        good, broken, unsigned = [], [], []
        for i in range(n):
            if sealed[i] and self.cipher is None:
                continue  # unread: no key to open it with (require_key False)
            if i in undecryptable:
                broken.append(columns["id"][i])
            elif not sums[i] and signed:
                unsigned.append(columns["id"][i])
            elif bad[i] or (sums[i] and sums[i] != expected[i]):
                broken.append(columns["id"][i])
            else:
                good.append(i)
        records = [from_columns(columns, i) for i in good]
        return records, vectors[good] if len(good) < n else vectors, broken, unsigned

    def decode(self, table: pa.Table, require_key: bool = True) -> tuple[dict, np.ndarray, list[bool], set[int]]:
        """The records' columns (SCALAR_FIELDS), their vectors (n x dim), which rows were sealed,
        and the rows whose sealed message could not be opened: each sealed row opened."""
        from .keys import LockedError
        from .sealing import SEALED_FIELDS

        n = table.num_rows
        columns = {name: table.column(name).to_pylist() for name in SCALAR_FIELDS}
        vectors = np.zeros((n, self.dim), dtype=np.float32)
        if n:
            chunk = table.column("vector").combine_chunks()
            if chunk.null_count == 0:
                flat = chunk.flatten().to_numpy(zero_copy_only=False)
            else:  # sealed rows have no vector in the clear: their slots are zeroed, then filled when opened
                flat = chunk.values.slice(chunk.offset * self.dim, n * self.dim).to_numpy(zero_copy_only=False)
            vectors[:] = flat.reshape(n, self.dim)
        blobs = table.column("sealed").to_pylist() if "sealed" in table.schema.names else [None] * n
        sealed = [blob is not None for blob in blobs]
        undecryptable: set[int] = set()
        if any(sealed):
            vectors[np.asarray(sealed)] = 0.0
            if self.cipher is None:
                if require_key:
                    raise LockedError("The memory is encrypted and locked: unlock it first.")
                return columns, vectors, sealed, undecryptable
            rows, values, matrix, undecryptable = self.cipher.unseal_rows(columns["id"], blobs, self.dim)
            vectors[rows] = matrix
            in_order = rows == list(range(n))  # every row sealed and opened, in table order
            for name in SEALED_FIELDS:
                if in_order:
                    columns[name] = values[name]
                    continue
                column = columns[name]
                for i, value in zip(rows, values[name]):
                    column[i] = value
        return columns, vectors, sealed, undecryptable

    # ---------------------------------------------------------------- meta
    def meta_value(self, key: str, default: str | None = None) -> str | None:
        rows = self.meta.search().where(f"key = '{quote(key)}'").limit(1).to_arrow().to_pylist()
        if not rows:
            return default
        from .sealing import is_sealed_text

        value = rows[0]["value"]
        if is_sealed_text(value):
            if self.cipher is None:
                from .keys import LockedError

                raise LockedError("The memory is encrypted and locked: unlock it first.")
            return self.cipher.open_text(value, "meta:" + key)
        return value

    def set_meta(self, key: str, value: str) -> None:
        """Writer thread only. A value that quotes the memory (SEALED_META) is sealed in an encrypted store."""
        from .sealing import SEALED_META

        if key in SEALED_META and self.write_cipher is not None:
            value = self.write_cipher.seal_text(value, "meta:" + key)
        self.meta.merge_insert("key").when_matched_update_all().when_not_matched_insert_all().execute(
            pa.Table.from_pylist([{"key": key, "value": value}], schema=META_SCHEMA))

    def delete_meta(self, key: str) -> None:
        self.meta.delete(f"key = '{quote(key)}'")

    # ---------------------------------------------------------------- housekeeping
    def compact(self, table) -> None:
        """Merge the table's small files and drop its older versions, so deleted rows leave the
        disk, in one go (a backup's tables; the live store compacts in two steps, see
        core/memory/compaction.py)."""
        self._optimize(table, timedelta(0))

    def merge_files(self, table) -> None:
        """Merge the table's small files into a new version; the older versions stay."""
        self._optimize(table, KEEP_VERSIONS)

    def drop_old_versions(self, table) -> None:
        """Delete every version but the newest, with the files only they used."""
        self._optimize(table, timedelta(0))

    @staticmethod
    def _optimize(table, older_than: timedelta) -> None:
        try:
            with warnings.catch_warnings():  # "other readers of old versions will fail": one process writes here
                warnings.simplefilter("ignore", UserWarning)
                table.optimize(cleanup_older_than=older_than, delete_unverified=older_than == timedelta(0))
        except Exception as exc:  # the write itself is done; the space is reclaimed next time
            log.warning("could not compact %s: %s", table.name, exc)


def open_error(db_dir: Path, exc: Exception) -> StoreError:
    return StoreError(
        f"The memory store in {db_dir} could not be read ({type(exc).__name__}: {exc}). "
        "It may be damaged; restore a backup or choose another data directory.")


def quote(value: str) -> str:
    return value.replace("'", "''")


def id_filter(ids: list[str]) -> str:
    return "id IN (" + ", ".join(f"'{quote(i)}'" for i in ids) + ")"



def file_problem(table: str, exc: BaseException) -> str:
    """A phrase for a table that could not be read, naming its file when the error gives it."""
    import re

    match = re.search(r"((?:memories|history|meta)\.lance/[\w./-]+)", str(exc))
    if match:
        return f"its file {match.group(1).rstrip('.')} is missing or damaged"
    if "not found" in str(exc).lower() or isinstance(exc, FileNotFoundError):
        return f"a data file of the {table} table is missing"
    return f"a data file of the {table} table is damaged (it cannot be decoded)"
