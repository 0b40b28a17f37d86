"""One process at a time per data directory: two would each keep their own copy of the
records and overwrite each other's changes. The lock is a file lock (`filelock`) on
DATA_DIR/store.lock; the operating system releases it when the process dies."""
from __future__ import annotations

from pathlib import Path

from ..errors import StoreError

LOCK_FILE = "store.lock"


class DirectoryLock:
    def __init__(self, data_dir: Path, timeout: float = 0.5):
        from filelock import FileLock

        self.data_dir = Path(data_dir)
        self._lock = FileLock(str(self.data_dir / LOCK_FILE), timeout=timeout)

    def acquire(self, busy: str) -> "DirectoryLock":
        """Take the lock or raise StoreError(`busy`) when another process holds it."""
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(busy) from None
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> "DirectoryLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def in_use(data_dir: Path) -> str:
    return (f"The memory in {data_dir} is in use by another Mnemo (the app or a command still running). "
            "Close it and try again.")
