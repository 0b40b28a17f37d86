"""The on-disk shape of the memory store: table schemas, row conversion and the
migrations from older schema versions (each taken only after a backup, see core/memory/backup.py)."""
from __future__ import annotations

import json
from dataclasses import fields

import numpy as np
import pyarrow as pa

from .integrity import CHECKED_FIELDS, record_checksum
from .records import Memory

SCHEMA_VERSION = 4
CHECKSUMS_SINCE = 3  # from this schema version on every record carries its checksum
MEMORIES = "memories"
HISTORY = "history"
META = "meta"

SCALAR_FIELDS = [f.name for f in fields(Memory) if f.name != "vector"]


def memory_schema(dim: int) -> pa.Schema:
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("kind", pa.string(), nullable=False),
            pa.field("source", pa.string(), nullable=False),
            pa.field("created_at", pa.float64(), nullable=False),
            pa.field("role", pa.string()),
            pa.field("speaker", pa.string()),
            pa.field("conversation_id", pa.string()),
            pa.field("event_at", pa.float64()),
            pa.field("importance", pa.float32()),
            pa.field("strength", pa.float32()),
            pa.field("last_recalled_at", pa.float64()),
            pa.field("recall_count", pa.int32()),
            pa.field("state", pa.string()),
            pa.field("guard_verdict", pa.string()),
            pa.field("guard_reason", pa.string()),
            pa.field("content_hash", pa.string()),
            pa.field("updated_at", pa.float64()),
            *V2_FIELDS,
            *V3_FIELDS,
            pa.field("vector", pa.list_(pa.float32(), dim)),
            *V4_FIELDS,
        ]
    )


V2_FIELDS = [pa.field("reinforced_at", pa.float64()), pa.field("links", pa.string())]
# v3: a checksum of each record's content and vector (core/memory/integrity.py), why its importance is
# what it is, and for facts their key and validity (core/lifecycle/facts.py)
V3_FIELDS = [pa.field("checksum", pa.string()), pa.field("importance_reason", pa.string()),
             pa.field("fact_key", pa.string()), pa.field("fact_value", pa.string()), pa.field("valid_from", pa.float64()),
             pa.field("valid_until", pa.float64())]

# v4: a sealed record's words and vector, encrypted (core/memory/sealing.py); null in the clear
V4_FIELDS = [pa.field("sealed", pa.binary())]

HISTORY_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("memory_id", pa.string(), nullable=False),
        pa.field("at", pa.float64(), nullable=False),
        pa.field("actor", pa.string()),
        pa.field("action", pa.string()),
        pa.field("from_state", pa.string()),
        pa.field("to_state", pa.string()),
        pa.field("reason", pa.string()),
    ]
)

META_SCHEMA = pa.schema([pa.field("key", pa.string()), pa.field("value", pa.string())])


def to_row(m: Memory, cipher=None) -> dict:
    """The table row of a record; sealed (core/memory/sealing.py) when a `cipher` is given."""
    row = {name: getattr(m, name) for name in SCALAR_FIELDS}
    row["kind"] = str(m.kind)
    row["state"] = str(m.state)
    row["source"] = str(m.source)
    row["links"] = json.dumps(list(m.links)) if m.links else ""
    vector = np.asarray(m.vector, dtype=np.float32)
    if cipher is not None:
        row["checksum"] = record_checksum(row, vector, cipher.checksum_key)
        return cipher.seal_row(row, vector)
    row["checksum"] = record_checksum(row, vector)
    row["vector"] = vector.tolist()
    row["sealed"] = None
    return row


def from_columns(columns: dict[str, list], i: int) -> Memory:
    values = {name: columns[name][i] for name in SCALAR_FIELDS}
    values["links"] = tuple(json.loads(values["links"])) if values.get("links") else ()
    for name in ("importance_reason", "fact_key", "fact_value"):  # null in rows from before v3
        if values[name] is None:
            values[name] = ""
    return Memory(**values)


def migrate(memories_table, from_version: int, initial_strength_sql: str, now: float) -> None:
    """Bring the memories table from `from_version` up to SCHEMA_VERSION, in place. Each
    step can be run again after an interruption (the version is written only at the end)."""
    if from_version < 2:
        # v2: decay counts from `reinforced_at`; summaries link to what they summarise;
        # strength is now in days, set from importance (v1 stored 1.0 for everything).
        # v1 had no forgetting, so every memory starts its curve at the upgrade: nothing is
        # forgotten merely because Mnemo was updated.
        present = set(memories_table.schema.names)
        missing = [f for f in V2_FIELDS if f.name not in present]
        if missing:
            memories_table.add_columns(missing)
        memories_table.update(values_sql={"strength": initial_strength_sql, "reinforced_at": repr(float(now))})
    if from_version < 3:
        # v3: every record carries the checksum of its content and vector
        present = set(memories_table.schema.names)
        missing = [f for f in V3_FIELDS if f.name not in present]
        if missing:
            memories_table.add_columns(missing)
        if from_version == 2:
            # v2 forgot within weeks (strength 1 to 15 days): memories are kept as long as v3's
            # curve says, and what the old curve forgot is back (the next sweep applies the new one)
            memories_table.update(values_sql={"strength": f"greatest(strength, {initial_strength_sql})"})
            memories_table.update(where="state = 'forgotten'", values={"state": "active"})
        table = memories_table.to_arrow()
        if table.num_rows:
            columns = {name: table.column(name).to_pylist() for name in CHECKED_FIELDS}
            vectors = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
            vectors = vectors.reshape(table.num_rows, -1)
            sums = [record_checksum({name: columns[name][i] for name in CHECKED_FIELDS}, vectors[i])
                    for i in range(table.num_rows)]
            update = pa.table({"id": table.column("id"), "checksum": pa.array(sums, pa.string())})
            memories_table.merge_insert("id").when_matched_update_all().execute(update)
    if from_version < 4:
        present = set(memories_table.schema.names)
        missing = [f for f in V4_FIELDS if f.name not in present]
        if missing:
            memories_table.add_columns(missing)
