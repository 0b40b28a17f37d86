"""A view that reloads from Mnemo when something changed — at once when it is on screen,
otherwise the next time it is shown — and ignores answers to requests it has superseded."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


class LazyRefresh:
    """Mix into a QWidget that has `self.bridge`; implement `_load(request)` which asks the
    bridge and passes `request` to its callbacks, which check `self.is_current(request)`."""

    def init_refresh(self: QWidget) -> None:
        self._stale = True
        self._request = 0
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)  # several changes in a row: one reload
        self._refresh_timer.timeout.connect(self.refresh)

    def _changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self._refresh_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale and self.bridge.is_open:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self._refresh_timer.stop()
        self._request += 1
        self._load(self._request)

    def is_current(self, request: int) -> bool:
        return request == self._request

    def _load(self, request: int) -> None:
        raise NotImplementedError
