"""The bridge's calls for taking the memory out and bringing history in: import (with
progress and cancel), export (archive or Markdown), backups.

Mixed into `MnemoBridge` (ui/workers.py). The file formats, passphrases, keyring and
settings handling are the app's (app/data_io.py), injected as `data_ops`; ui only asks."""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


Callback = Callable[..., Any] | None


class ImportHandle:
    """A running import: `cancel()` stops it; the store is then left exactly as it was."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def cancel(self) -> None:
        self.event.set()

    @property
    def cancelled(self) -> bool:
        return self.event.is_set()


class DataCalls:
    """Needs from its host: call(), _post(), memories_changed, data_ops (or None)."""

    @property
    def can_move_data(self) -> bool:
        return getattr(self, "data_ops", None) is not None

    def import_file(self, path: str | Path, format: str | None, passphrase, on_progress: Callback,
                    on_done: Callback, on_error: Callback, me: str | None = None) -> ImportHandle:
        """Read and validate, then import; on_progress(stage, done, total) along the way,
        on_done(ImportReport) or on_error(exc) (a Cancelled error after cancel(); WhoIsMe when a
        chat app's export needs `me`, the speaker who is the user)."""
        handle = ImportHandle()
        ops = self.data_ops
        path = Path(path)

        def run(mnemo):
            parsed = ops.read_for_import(mnemo, path, format, (lambda: passphrase) if passphrase else None, me=me)
            return ops.run_import(mnemo, parsed, path.name,
                                  lambda stage, done, total: self._post(on_progress, stage, done, total),
                                  handle.event)

        def done(report) -> None:
            if report.imported:
                self.memories_changed.emit()
            on_done(report)

        self.call(run, done, on_error)
        return handle

    def keyring_problem(self) -> str | None:
        """None when a secure keyring can hold the export key, else why not."""
        return self.data_ops.keyring_ready()

    def export_file(self, path: str | Path, secret, on_done: Callback, on_error: Callback) -> None:
        """secret: None (plain), "keyring", or a core.archive_crypto.Passphrase."""
        ops = self.data_ops

        def run(mnemo):
            key = ops.export_secret(None) if secret == "keyring" else secret
            return ops.export_to(mnemo, Path(path), key)

        self.call(run, on_done, on_error)

    def export_markdown(self, folder: str | Path, on_done: Callback, on_error: Callback) -> None:
        self.call(lambda mnemo: mnemo.export_markdown(Path(folder)), on_done, on_error)

    def backups(self, on_done: Callback, on_error: Callback = None) -> None:
        """on_done((backups newest first, the name of a restore waiting for the next start))."""
        from core.memory.backup import list_backups

        ops = self.data_ops
        self.call_folder(lambda folder: (list_backups(folder), ops.pending_restore(folder)), on_done, on_error)

    def backup_now(self, on_done: Callback, on_error: Callback = None) -> None:
        self.call(lambda mnemo: mnemo.backup("manual"), on_done, on_error)

    def request_restore(self, name: str | None, on_done: Callback, on_error: Callback = None) -> None:
        """Restore backup `name` when Mnemo next starts (None: do not)."""
        ops = self.data_ops

        def run(folder):
            if name is None:
                ops.cancel_restore(folder)
            else:
                ops.request_restore(folder, name)
            return name
        self.call_folder(run, on_done, on_error)

    def connected_apps(self, on_done: Callback, on_error: Callback = None) -> None:
        """on_done(list of allowed programs, with their access and last use)."""
        ops = self.data_ops
        self.call_folder(lambda folder: ops.allowed_clients(folder), on_done, on_error)

    def allow_client(self, name: str, write: bool, on_done: Callback = None, on_error: Callback = None) -> None:
        ops = self.data_ops
        self.call_folder(lambda folder: ops.allow_client(folder, name, write), on_done, on_error)

    def revoke_client(self, name: str, on_done: Callback = None, on_error: Callback = None) -> None:
        ops = self.data_ops
        self.call_folder(lambda folder: ops.revoke_client(folder, name), on_done, on_error)

    def delete_backup(self, name: str, on_done: Callback, on_error: Callback = None) -> None:
        """Delete a backup for good (asked first by the dialog); on_done(its name)."""
        ops = self.data_ops
        self.call_folder(lambda folder: ops.delete_backup(folder, name), on_done, on_error)

    def call_folder(self, fn: Callable, on_done: Callback, on_error: Callback = None) -> None:
        """fn(data folder) on a worker, also when the memory could not be opened (its backups)."""
        folder = getattr(self, "data_dir", None)
        if folder is None:  # no folder given: the open memory's
            self.call(lambda mnemo: fn(mnemo.data_dir), on_done, on_error)
            return
        self._free(lambda: fn(folder), on_done, on_error)
