"""Opening the store: check the tables against the ledger, finish what a crash cut short,
migrate an older store, load the records (each against its checksum), and after a crash
read everything back before anything is written.

What a crash cut short is put right under the ledger's protocol too: the ledger stays
pending (with the versions to go back to) until the store is recorded as it now is, so a
crash during the recovery itself is recovered again on the next open."""
from __future__ import annotations

import logging

from ..errors import StoreError
from .backup import backup_store
from .check import holds_records, inspect, record_problems
from .encryption import check_key_file
from .history import HistoryLog
from .integrity import LedgerState, compare
from .schema import SCHEMA_VERSION
from .writer import disk_full

log = logging.getLogger(__name__)


class StoreOpening:
    """Mixed into MemoryStore (core/memory/store.py)."""

    def _verify_and_load(self) -> None:
        try:
            recorded = self._ledger.load()
        except (ValueError, KeyError, TypeError):
            recorded = None
            self.damage.append("its integrity record (integrity.json) cannot be read")
        version, fresh = self._tables.open(has_ledger=self._ledger.exists())
        check_key_file(self._tables, self._tables.db_dir)
        self._history = HistoryLog(self._tables.history, self._tables)
        legacy = version < SCHEMA_VERSION
        actual = self._tables.states()
        if recorded is not None:
            self.damage += compare(recorded, actual)
        elif not legacy and not fresh and not self.damage and holds_records(actual):
            self.damage.append("its integrity record (integrity.json) is missing")
        recovered = False
        if not self.damage:
            recovered = self._recover(recorded)
            if recovered:  # the rollback may have taken a migration cut short back with it
                version = self._tables.reread_version()
            if version < SCHEMA_VERSION:
                self._migrate(version)
        records, vectors, broken, unsigned = self._tables.read_memories()
        self.damage += record_problems(broken, unsigned)
        self._mirror.load(records, vectors)
        self._history.rows = self._tables.history.count_rows()
        if not self.damage:
            if recovered:  # what the unfinished write left on disk goes with the old versions
                try:
                    self._compact_now()
                except StoreError as exc:  # e.g. a full disk: the files stay, the next compaction takes them
                    log.warning("could not compact after the recovery: %s", exc)
            self._commit_on_open()
            if recorded is not None and not recorded.closed and not self.damage:
                # the last Mnemo did not close it (a crash, a kill): read everything back before going on
                log.info("the store was not closed cleanly; checking it whole")
                self.damage = inspect(self._tables.db_dir, self.dim, self._tables.cipher)
        if self.damage:
            self.mark_damaged(self.damage)
            log.info("%s", self._damage_text)
        else:
            try:
                self._ledger.set_closed(False)
            except OSError as exc:
                if not disk_full(exc):
                    raise

    def _recover(self, recorded: LedgerState | None) -> bool:
        """A write or an import that did not finish (the process died half-way): the tables go
        back to the versions from before it. True when there was one."""
        pending = recorded.pending if recorded is not None else None
        if pending is None and not self._journal.pending():
            return False
        if pending is not None:
            log.info("rolling back a write that did not finish (tables back to %s)", pending)
            self._tables.roll_back(pending)
        else:  # an import's own mark: the ledger keeps the versions with the mark until it is undone
            self._ledger.begin(self._tables.versions())
        self._journal.recover()
        return True

    def _commit_on_open(self) -> None:
        try:
            self._ledger.commit(self._tables.states(self._history.rows, len(self._mirror.ids)), count=False)
        except OSError as exc:
            if not disk_full(exc):
                raise
            log.warning("the disk is full: the store is open, and each write will say so")

    def _migrate(self, version: int) -> None:
        """Upgrade an older store in place, after copying it to backups/. A migration cut short
        is rolled back on the next open (the ledger is pending meanwhile) and run again."""
        self.last_backup = backup_store(self.data_dir, f"before-schema-v{SCHEMA_VERSION}", self.clock.now())
        self._ledger.begin(self._tables.versions())
        self._tables.migrate(version, self.clock.now().timestamp())
        self._ledger.commit(self._tables.states())
