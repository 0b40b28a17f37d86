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
from .records import Memory
from .schema import (
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


class Tables:
    def __init__(self, db_dir: Path, dim: int):
        self.db_dir = Path(db_dir)
        self.dim = dim
        self.db = None
        self.memories = None
        self.history = None
        self.meta = None

    def open(self) -> int:
        """Connect and open (or create) the three tables; returns the schema version found."""
        import lancedb

        self.db = lancedb.connect(str(self.db_dir))
        existing = set(self._names())
        self.meta = self._open_or_create(META, META_SCHEMA, existing)
        version = self._check_version(fresh=MEMORIES not in existing)
        self.memories = self._open_or_create(MEMORIES, memory_schema(self.dim), existing)
        self.history = self._open_or_create(HISTORY, HISTORY_SCHEMA, existing)
        return version

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

    def _check_version(self, fresh: bool) -> int:
        meta = {r["key"]: r["value"] for r in self.meta.to_arrow().to_pylist()}
        if "schema_version" not in meta:
            if not fresh:
                raise StoreError(
                    f"The memory store in {self.db_dir.parent} has no schema version; it was not written by Mnemo.")
            self.meta.add([{"key": "schema_version", "value": str(SCHEMA_VERSION)}])
            return SCHEMA_VERSION
        version = int(meta["schema_version"])
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"The memory store in {self.db_dir.parent} was written by a newer Mnemo (schema {version}; "
                f"this version reads up to {SCHEMA_VERSION}). Update Mnemo to open it.")
        return version

    def migrate(self, version: int, strength_sql: str, now: float) -> None:
        """Upgrade an older store in place (the caller has backed it up)."""
        migrate(self.memories, version, strength_sql, now)
        self.meta.update(where="key = 'schema_version'", values={"value": str(SCHEMA_VERSION)})

    # ---------------------------------------------------------------- reading everything
    def read_memories(self) -> tuple[list[Memory], np.ndarray]:
        """Every record in table order (without vectors) and the vectors as one matrix."""
        table = self.memories.to_arrow()
        n = table.num_rows
        vectors = np.zeros((n, self.dim), dtype=np.float32)
        if n:
            flat = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
            vectors[:] = flat.reshape(n, self.dim)
        columns = {name: table.column(name).to_pylist() for name in SCALAR_FIELDS}
        return [from_columns(columns, i) for i in range(n)], vectors

    # ---------------------------------------------------------------- meta
    def meta_value(self, key: str, default: str | None = None) -> str | None:
        rows = self.meta.search().where(f"key = '{quote(key)}'").limit(1).to_arrow().to_pylist()
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        """Writer thread only."""
        self.meta.merge_insert("key").when_matched_update_all().when_not_matched_insert_all().execute(
            pa.Table.from_pylist([{"key": key, "value": value}], schema=META_SCHEMA))

    def delete_meta(self, key: str) -> None:
        self.meta.delete(f"key = '{quote(key)}'")

    # ---------------------------------------------------------------- housekeeping
    def compact(self, table) -> None:
        """Drop the table versions older than this write, so deleted rows leave the disk."""
        try:
            with warnings.catch_warnings():  # "other readers of old versions will fail": one process writes here
                warnings.simplefilter("ignore", UserWarning)
                table.optimize(cleanup_older_than=timedelta(0), delete_unverified=True)
        except Exception as exc:  # the purge itself is done; the space is reclaimed next time
            log.warning("could not compact %s: %s", table.name, exc)


def open_error(db_dir: Path, exc: Exception) -> StoreError:
    return StoreError(
        f"The memory store in {db_dir} could not be read ({type(exc).__name__}: {exc}). "
        "It may be damaged; restore a backup or choose another data directory.")


def quote(value: str) -> str:
    return value.replace("'", "''")


def id_filter(ids: list[str]) -> str:
    return "id IN (" + ", ".join(f"'{quote(i)}'" for i in ids) + ")"

