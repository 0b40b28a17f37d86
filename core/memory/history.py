"""The history table: one row for every change to a memory (who, when, what, why), so the
user can always see why a memory changed. Rows are only ever appended."""
from __future__ import annotations

import pyarrow as pa

from ..errors import StoreDamagedError
from .keys import DecryptError, LockedError
from .records import HistoryEntry
from .schema import HISTORY_SCHEMA
from .sealing import is_sealed_text
from .tables import file_problem, quote


class HistoryLog:
    def __init__(self, table, tables=None):
        self.table = table
        self.tables = tables  # core/memory/tables.Tables: its cipher seals and opens the reasons (encrypted store)
        self.rows = 0  # kept by the store: counted on open, then followed (the ledger records it)

    def append(self, entries: list[HistoryEntry]) -> None:
        """Writer thread only."""
        if entries:
            columns = {name: [getattr(e, name) for e in entries] for name in HISTORY_SCHEMA.names}
            cipher = self.tables.write_cipher if self.tables is not None else None
            if cipher is not None:
                columns["reason"] = [cipher.seal_text(r, i) for r, i in zip(columns["reason"], columns["id"])]
            self.table.add(pa.Table.from_pydict(columns, schema=HISTORY_SCHEMA))
            self.rows += len(entries)

    def reason(self, token: str | None, row_id: str) -> str | None:
        """A reason as written (opened when it was sealed; one changed on disk says so, and never
        stops the history being shown, or a purge scrubbing it: `mnemo check` names it)."""
        if not is_sealed_text(token):
            return token
        cipher = self.tables.cipher if self.tables is not None else None
        if cipher is None:
            raise LockedError("The memory is encrypted and locked: unlock it first.")
        try:
            return cipher.open_text(token, row_id)
        except DecryptError:
            return UNREADABLE

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
        for row in rows:
            row["reason"] = self.reason(row["reason"], row["id"])
        return sorted((HistoryEntry(**row) for row in rows), key=lambda e: e.at)


PURGED_WORDS = "[words removed by a purge]"
UNREADABLE = "[this entry was changed on disk and cannot be read]"


def unreadable_entries(table, cipher) -> int:
    """How many sealed reasons in the history table do not open with `cipher` (changed on disk)."""
    from .sealing import is_sealed_text

    rows = table.to_arrow().select(["id", "reason"])
    bad = 0
    for row_id, token in zip(rows.column("id").to_pylist(), rows.column("reason").to_pylist()):
        if is_sealed_text(token):
            try:
                cipher.open_text(token, row_id)
            except DecryptError:
                bad += 1
    return bad


def scrub(log: HistoryLog, memory_ids: list[str], quotes: list[str]) -> int:
    """Keep the events, drop the words (writer thread): the reasons of the purged memories'
    own entries are blanked, and any other entry quoting one of `quotes` (a question quoted
    in "used to answer: …") has the quote replaced. Returns the entries changed."""
    import pyarrow.compute as pc

    table = log.table.to_arrow().select(["id", "memory_id", "reason"])
    if table.num_rows == 0:
        return 0
    reasons = table.column("reason")
    if any(is_sealed_text(r) for r in reasons.to_pylist()):  # sealed: the quotes are looked for in the opened words
        opened = [log.reason(r, i) for r, i in zip(reasons.to_pylist(), table.column("id").to_pylist())]
        reasons = pa.chunked_array([pa.array(opened, pa.string())])
        table = table.set_column(2, "reason", reasons)
    hit = pc.is_in(table.column("memory_id"), value_set=pa.array(list(memory_ids), pa.string()))
    for quote in quotes:
        hit = pc.or_(hit, pc.fill_null(pc.match_substring(reasons, quote), False))
    rows = table.filter(hit).to_pylist()
    if not rows:
        return 0
    gone = set(memory_ids)
    changed = []
    for row in rows:
        reason = row["reason"] or ""
        if row["memory_id"] in gone:
            reason = PURGED_WORDS
        for quote in quotes:
            reason = reason.replace(quote, PURGED_WORDS)
        cipher = log.tables.write_cipher if log.tables is not None else None
        changed.append({"id": row["id"], "reason": cipher.seal_text(reason, row["id"]) if cipher else reason})
    log.table.merge_insert("id").when_matched_update_all().execute(
        pa.Table.from_pylist(changed, schema=pa.schema([("id", pa.string()), ("reason", pa.string())])))
    return len(changed)
