"""The bridge's calls for Preferences: the importance defaults, the upkeep schedule and its
backups (read and changed through app/preferences_io.py, injected as `prefs_ops`), and moving
the data folder (app/data_move.py, through `data_ops`).

Mixed into `MnemoBridge` (ui/workers.py). A schedule saved here is announced on
`schedule_changed`, which the app's scheduler follows without a restart."""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal

Callback = Callable[..., Any] | None


class MoveHandle:
    """A running move: `cancel()` stops it before the switch (the copy is then removed)."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def cancel(self) -> None:
        self.event.set()


class PreferenceCalls:
    """Needs from its host: call(), call_folder(), _post(), prefs_ops and data_ops (or None)."""

    schedule_changed = Signal(object)  # the whole app.settings.Schedule, after it was saved

    prefs_ops: Any = None  # app/preferences_io.py (set by the app; None: these preferences are hidden)

    @property
    def has_preferences(self) -> bool:
        return self.prefs_ops is not None

    def importance_defaults(self, on_done: Callback, on_error: Callback = None) -> None:
        ops = self.prefs_ops
        self.call_folder(ops.importance_defaults, on_done, on_error)

    def set_importance_defaults(self, changes: dict, on_done: Callback = None, on_error: Callback = None) -> None:
        ops = self.prefs_ops
        self.call(lambda mnemo: ops.set_importance_defaults(mnemo, dict(changes)), on_done, on_error)

    def schedule(self, on_done: Callback, on_error: Callback = None) -> None:
        ops = self.prefs_ops
        self.call_folder(ops.schedule, on_done, on_error)

    def set_schedule(self, changes: dict, on_done: Callback = None, on_error: Callback = None) -> None:
        ops = self.prefs_ops

        def done(schedule) -> None:
            self.schedule_changed.emit(schedule)
            if on_done is not None:
                on_done(schedule)

        self.call(lambda mnemo: ops.set_schedule(mnemo, dict(changes)), done, on_error)

    # ------------------------------------------------------------------ moving the data folder
    def check_move(self, target: str | Path, on_done: Callback, on_error: Callback) -> None:
        """on_done(bytes to copy) when `target` can take the memory, else on_error(why)."""
        ops = self.data_ops
        self.call(lambda mnemo: ops.check_move(mnemo.data_dir, Path(target)), on_done, on_error)

    def move_data(self, target: str | Path, on_progress: Callback, on_done: Callback,
                  on_error: Callback) -> MoveHandle:
        """Copy the memory to `target` between two writes, check the copy, and point Mnemo at it
        for its next start: on_progress(done bytes, total bytes), on_done(the new folder) or
        on_error(exc) (a Cancelled error after cancel(); nothing changed then)."""
        handle = MoveHandle()
        ops = self.data_ops

        def run(mnemo):
            return ops.move_memory(mnemo, Path(target), lambda done, total: self._post(on_progress, done, total),
                                   handle.event)

        self.call(run, on_done, on_error)
        return handle
