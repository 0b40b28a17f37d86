"""The history table: one row for every change to a memory (who, when, what, why), so the
user can always see why a memory changed. Rows are only ever appended."""
from __future__ import annotations

import pyarrow as pa

from .records import HistoryEntry
from .schema import HISTORY_SCHEMA
from .tables import quote


class HistoryLog:
    def __init__(self, table):
        self.table = table

    def append(self, entries: list[HistoryEntry]) -> None:
        """Writer thread only."""
        if entries:
            columns = {name: [getattr(e, name) for e in entries] for name in HISTORY_SCHEMA.names}
            self.table.add(pa.Table.from_pydict(columns, schema=HISTORY_SCHEMA))

    def entries(self, memory_id: str | None = None) -> list[HistoryEntry]:
        """Oldest first; all of them, or those of one memory."""
        if memory_id is not None:
            rows = self.table.search().where(f"memory_id = '{quote(memory_id)}'").limit(None).to_arrow().to_pylist()
        else:
            rows = self.table.to_arrow().to_pylist()
        return sorted((HistoryEntry(**row) for row in rows), key=lambda e: e.at)
