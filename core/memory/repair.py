"""Keeping what is readable of a damaged store (`mnemo check --repair`, or "Keep what is
readable" in the app): the damaged store is first copied to backups/ as it is, then the
memories table is rewritten with the records that passed their checks, each record left out
gets a history entry saying why, and the ledger records the store as it now is."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from ..errors import InvalidInputError
from .backup import backup_store
from .records import HistoryEntry, new_id
from .schema import MEMORIES, memory_schema, to_row


@dataclass(frozen=True)
class RepairReport:
    backup: Path  # the damaged store, as it was
    kept: int
    dropped: list[str]  # ids of the records that could not be kept
    problems: list[str]  # what was wrong


def repair(store) -> RepairReport:
    """`store`: a MemoryStore opened read-only because of damage (see MemoryStore.damage)."""
    if not store.damage:
        raise InvalidInputError("The memory store is not damaged; there is nothing to repair.")

    def work() -> RepairReport:
        problems = list(store.damage)
        saved = backup_store(store.data_dir, "damaged", store.clock.now())
        tables, mirror = store._tables, store._mirror
        on_disk = tables.memories.to_arrow().column("id").to_pylist()
        kept = set(mirror.ids)
        dropped = [i for i in dict.fromkeys(on_disk) if i not in kept]
        rows = [to_row(m, tables.write_cipher) for m in mirror.with_vectors(mirror.all())]
        table = pa.Table.from_pylist(rows, schema=memory_schema(store.dim))
        tables.memories = tables.db.create_table(MEMORIES, data=table, mode="overwrite")
        now = store.clock.now().timestamp()
        store._history.table = tables.history
        store._history.rows = tables.history.count_rows()
        store._history.append([HistoryEntry(new_id(), i, now, "repair", "dropped", "", "",
                                            "left out by a repair: the record did not match its checksum")
                               for i in dropped])
        store.damage, store._damage_text = [], ""
        store._ledger.commit(tables.states(store._history.rows, len(mirror.ids)))
        return RepairReport(saved, len(mirror.ids), dropped, problems)
    return store._writer.run(work)
