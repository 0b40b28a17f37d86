"""The one tiny QRunnable the bridge hands to its thread pool (as TagStudio wraps its jobs)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QRunnable


class Job(QRunnable):
    def __init__(self, fn: Callable[[], None]):
        super().__init__()
        self._fn = fn

    def run(self) -> None:
        self._fn()
