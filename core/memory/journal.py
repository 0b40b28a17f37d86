"""Imports as one unit. While an import is being written, `meta` holds a `pending_import`
mark with the table versions from before; when the import finishes the mark goes. After an
error or a cancel the tables go back to those versions at once; after a crash half-way
(the mark is still there) they go back when the store is opened next."""
from __future__ import annotations

import json
import logging

from ..errors import MnemoError
from .tables import Tables

log = logging.getLogger(__name__)

PENDING_IMPORT = "pending_import"


class Cancelled(MnemoError):
    """The user cancelled; nothing was changed."""


class ImportJournal:
    def __init__(self, tables: Tables):
        self.tables = tables

    def begin(self) -> dict:
        """Mark the start of an import; returns the versions to go back to."""
        start = {"memories": self.tables.memories.version, "history": self.tables.history.version}
        self.tables.meta.add([{"key": PENDING_IMPORT, "value": json.dumps(start)}])
        return start

    def finish(self) -> None:
        self.tables.delete_meta(PENDING_IMPORT)

    def undo(self, start: dict) -> None:
        """Back to the versions from before (now); if that fails, the next open does it."""
        try:
            self._restore(start)
            self.tables.delete_meta(PENDING_IMPORT)
        except Exception as exc:  # the journal stays: the next open undoes it
            log.error("could not undo an unfinished import now (%s); it is undone when the store opens next", exc)

    def pending(self) -> bool:
        """Is an import's mark still there (it did not finish)?"""
        return bool(self.tables.meta_value(PENDING_IMPORT))

    def recover(self) -> bool:
        """On open: an import that did not finish (the process was killed half-way) is undone.
        True when there was one."""
        pending = self.tables.meta_value(PENDING_IMPORT)
        if not pending:
            return False
        versions = json.loads(pending)
        log.info("undoing an import that did not finish (tables back to %s)", versions)
        self._restore(versions)
        self.tables.delete_meta(PENDING_IMPORT)
        return True

    def _restore(self, versions: dict) -> None:
        for table, key in ((self.tables.memories, "memories"), (self.tables.history, "history")):
            if table.version != versions[key]:
                table.restore(versions[key])
