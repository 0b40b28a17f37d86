"""Compaction: every write leaves a table version and a small file behind; compacting merges
the small files and drops the old versions (with them the words a purge deleted).

It is safe against a crash at any moment because the ledger never names a version that is
gone (core/memory/integrity.py):
1. *merge*, as one write: the ledger is marked pending with the versions from before, the
   tables' small files are merged into new versions (the old versions stay), and the ledger
   records the merged versions. A crash here is rolled back like any write: the versions it
   goes back to are still there.
2. *drop*: the ledger is marked `compacting`, the versions older than the merged ones are
   deleted, and the ledger records the tables again. The ledger already names the merged
   versions, so a crash here leaves nothing to roll back (the next compaction drops what is
   left); should the drop itself have made a newer version, it holds the same rows, and the
   records are checked against their checksums on open as always.

The store compacts when enough writes have piled up: the app's upkeep job, or, for a
command that wrote, when the store is closed (`compaction_due`)."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

COMPACT_EVERY = 200  # writes between compactions


class Compaction:
    """Mixed into MemoryStore (core/memory/store.py), which provides the tables, the ledger,
    the writer and `_transaction`."""

    compact_every: int = COMPACT_EVERY

    def compact(self) -> None:
        """Merge the tables' small files and drop their old versions (what a purge deleted
        leaves the disk with them)."""
        self._refuse_if_damaged()
        self._writer.run(self._compact_now)

    def compaction_due(self, every_writes: int | None = None) -> bool:
        """Have enough writes piled up versions and small files since the last compaction?"""
        state = self._ledger.state
        every = self.compact_every if every_writes is None else every_writes
        return not self.damage and state is not None and state.writes - state.compacted >= every

    def _compact_now(self) -> None:
        """Writer thread (or the open, before anyone else can write)."""
        tables = self._tables.all()

        def merge() -> None:
            for table in tables:
                self._tables.merge_files(table)
        self._transaction(merge, "the compaction")
        try:  # the merge is saved; what follows only frees space, and a failure is logged
            self._ledger.dropping_old_versions()
            for table in tables:
                self._tables.drop_old_versions(table)
            self._ledger.commit(self._tables.states(self._history.rows, len(self._mirror.ids)), compacted=True)
        except OSError as exc:  # e.g. a full disk: the ledger still names the merged versions
            log.warning("could not drop the tables' old versions: %s", exc)

    def _compact_on_close(self) -> None:
        """Closing after enough writes (a command that wrote, the app quitting): compact now,
        so versions and small files do not pile up where no upkeep job runs. A failure is
        logged: the next open finds the store as the last acknowledged write left it."""
        if not self.compaction_due():
            return
        try:
            self.compact()
        except Exception as exc:  # e.g. a full disk: nothing is lost, the files stay as they were
            log.warning("could not compact the store on closing: %s", exc)
