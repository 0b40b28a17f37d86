"""The history table: one row for every change to a memory (who, when, what, why), so the
user can always see why a memory changed. Rows are only ever appended."""
from __future__ import annotations

import pyarrow as pa

from .records import HistoryEntry
from .schema import HISTORY_SCHEMA
from ..errors import StoreDamagedError
from .tables import file_problem, quote


class HistoryLog:
    def __init__(self, table):
        self.table = table
        self.rows = 0  # kept by the store: counted on open, then followed (the ledger records it)

    def append(self, entries: list[HistoryEntry]) -> None:
        """Writer thread only."""
        if entries:
            columns = {name: [getattr(e, name) for e in entries] for name in HISTORY_SCHEMA.names}
            self.table.add(pa.Table.from_pydict(columns, schema=HISTORY_SCHEMA))
            self.rows += len(entries)

    def entries(self, memory_id: str | None = None) -> list[HistoryEntry]:
        """Oldest first; all of them, or those of one memory."""
        try:
            if memory_id is not None:
                rows = self.table.search().where(f"memory_id = '{quote(memory_id)}'").limit(None).to_arrow().to_pylist()
            else:
                rows = self.table.to_arrow().to_pylist()
        except Exception as exc:  # a damaged data file: a sentence, not the library's internals
            raise StoreDamagedError(f"The history of the memory store cannot be read: {file_problem('history', exc)}. "
                                    "Run `mnemo check` to see what else is damaged.", [file_problem("history", exc)]) from None
        return sorted((HistoryEntry(**row) for row in rows), key=lambda e: e.at)
