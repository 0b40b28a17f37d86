"""The bridge's calls for encryption at rest: its status, turning it on or off (with progress:
the whole memory and its backups are converted) and changing the passphrase. The work is the
app's (app/privacy.py), injected as `privacy_ops`; ui only asks.

Mixed into `MnemoBridge` (ui/workers.py)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

Callback = Callable[..., Any] | None


class PrivacyCalls:
    """Needs from its host: call(), _post(), privacy_ops (or None: the Privacy page says so)."""

    privacy_ops: Any = None

    @property
    def can_encrypt(self) -> bool:
        return self.privacy_ops is not None

    def encryption_status(self, on_done: Callback, on_error: Callback = None) -> None:
        ops = self.privacy_ops
        self.call(lambda mnemo: ops.status(mnemo), on_done, on_error)

    def encrypt(self, passphrase, on_progress: Callback, on_done: Callback, on_error: Callback) -> None:
        """`passphrase`: a Passphrase, or None for a key kept in the system keyring."""
        ops = self.privacy_ops
        self.call(lambda mnemo: ops.encrypt(mnemo, passphrase, self._progress_to(on_progress)), on_done, on_error)

    def decrypt(self, on_progress: Callback, on_done: Callback, on_error: Callback) -> None:
        ops = self.privacy_ops
        self.call(lambda mnemo: ops.decrypt(mnemo, self._progress_to(on_progress)), on_done, on_error)

    def change_passphrase(self, passphrase, on_done: Callback, on_error: Callback) -> None:
        ops = self.privacy_ops
        self.call(lambda mnemo: ops.change_passphrase(mnemo, passphrase), on_done, on_error)

    def check_current_passphrase(self, text: str, on_done: Callback, on_error: Callback) -> None:
        """on_done(passphrase) when `text` unlocks the key in use; else on_error (its sentence)."""
        ops = self.privacy_ops
        self.call(lambda mnemo: ops.check_unlock(mnemo, text), on_done, on_error)

    def _progress_to(self, on_progress: Callback):
        if on_progress is None:
            return None
        return lambda stage, done, total: self._post(on_progress, stage, done, total)
