"""The one writer: every store mutation runs on a single dedicated thread, one after the
other, so two captures arriving together can never interleave half-written records."""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")


class SerialWriter:
    def __init__(self, name: str = "mnemo-writer"):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._thread_ident: int | None = None
        self._closed = False

    def submit(self, fn: Callable[[], T]) -> Future:
        if self._closed:
            raise RuntimeError("the store is closed")
        return self._pool.submit(self._run, fn)

    def run(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the writer thread and wait until it has committed."""
        if threading.get_ident() == self._thread_ident:
            return fn()  # already on the writer thread (nested write)
        return self.submit(fn).result()

    def _run(self, fn: Callable[[], T]) -> T:
        self._thread_ident = threading.get_ident()
        return fn()

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.shutdown(wait=True)


def disk_full(exc: BaseException) -> bool:
    text = str(exc)
    return getattr(exc, "errno", None) == 28 or "No space left" in text or "[Errno 28]" in text


def write_failure(what: str, exc: BaseException) -> str:
    """The sentence for a write the disk or the files refused (nothing was changed)."""
    if disk_full(exc):
        return (f"The disk is full: {what} was not saved, and nothing was changed. Free some disk space and "
                "try again.")
    reason = getattr(exc, "strerror", None) or "the store's files refused the write"
    return f"{what[0].upper() + what[1:]} could not be saved ({reason}); nothing was changed."
