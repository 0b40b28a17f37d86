"""The bridge's calls for a damaged memory (mixed into MnemoBridge, ui/workers.py): the store
that opened read-only or could not be opened says so (`damaged`), and the user can keep what
is readable (a repair) or put a backup in its place at once and open it again."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .job import Job

Callback = Callable[..., Any] | None


class RepairCalls:
    """Needs from its host: call(), _post(), _pool, _startup, data_ops, data_dir, clock, the
    `damaged` signal, and the start-up state it resets (mnemo, open_error, is_ready...)."""

    @property
    def is_damaged(self) -> bool:
        mnemo = getattr(self, "mnemo", None)
        return bool(getattr(self, "open_damaged", False) or (mnemo is not None and mnemo.store.damage))

    def _report_damage(self, mnemo) -> None:
        if mnemo.store.damage:
            self.damaged.emit(mnemo.store.damage_message)

    def keep_readable(self, on_done: Callback = None, on_error: Callback = None) -> None:
        """Repair: the damaged store is backed up as it is, then what passed its checks is kept."""
        def done(report) -> None:
            self.memories_changed.emit()
            self._set_status(self._ready_status())
            if on_done is not None:
                on_done(report)
        self.call(lambda mnemo: mnemo.store.repair(), done, on_error)

    def restore_and_reopen(self, name: str, on_done: Callback = None, on_error: Callback = None) -> None:
        """Close the (damaged or unopened) store, put backup `name` in its place, open it again."""
        ops, data_dir, clock = self.data_ops, self.data_dir, self.clock
        old = self.mnemo or self._built

        def job() -> None:
            try:
                if old is not None:
                    old.close()
                safety = ops.restore_now(Path(data_dir), name, clock)
            except BaseException as exc:  # noqa: BLE001 - shown to the user
                if on_error is not None:
                    self._post(on_error, exc)
                return
            self._post(self._before_reopen)
            self._startup()
            if on_done is not None:
                self._post(on_done, safety)

        self.mnemo, self._built = None, None
        self._pool.start(Job(job))

    def _before_reopen(self) -> None:
        self.open_error, self.open_damaged, self.is_ready = None, False, False
        self._set_status("Opening memory…")
