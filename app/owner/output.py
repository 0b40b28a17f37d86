"""Printing of a command the owner runs for a client goes to that client: sys.stdout and
sys.stderr are routed per thread (the app's own printing, on its threads, stays where it was),
and the command's standard input is empty (it cannot prompt in the app's terminal)."""
from __future__ import annotations

import io
import sys
import threading

_local = threading.local()
_installed = threading.Lock()


class _Routed(io.TextIOBase):
    def __init__(self, name: str, original):
        self.name, self.original = name, original

    def _target(self):
        return getattr(_local, self.name, None) or self.original

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        try:
            self._target().flush()
        except ValueError:  # closed at exit
            pass

    def isatty(self) -> bool:
        return self._target().isatty()

    def readline(self, *args) -> str:
        return self._target().readline(*args)

    def read(self, *args) -> str:
        return self._target().read(*args)

    @property
    def encoding(self):
        return getattr(self.original, "encoding", "utf-8")


class ToClient(io.TextIOBase):
    """Text written by the command, sent to the client as it comes."""

    def __init__(self, send, key: str, tty: bool):
        self._send, self._key, self._tty = send, key, tty

    def write(self, text: str) -> int:
        if text:
            self._send({self._key: text})
        return len(text)

    def isatty(self) -> bool:
        return self._tty


class _NoInput(io.TextIOBase):
    def isatty(self) -> bool:
        return False

    def read(self, *args) -> str:
        return ""

    def readline(self, *args) -> str:
        return ""


def install() -> None:
    """Route the process's standard streams per thread (once)."""
    with _installed:
        if not isinstance(sys.stdout, _Routed):
            sys.stdout = _Routed("stdout", sys.stdout)
        if not isinstance(sys.stderr, _Routed):
            sys.stderr = _Routed("stderr", sys.stderr)
        if not isinstance(sys.stdin, _Routed):
            sys.stdin = _Routed("stdin", sys.stdin)


class routed:
    """Within this block, this thread's printing goes to `out` and `err`; its input is empty."""

    def __init__(self, out, err):
        self.out, self.err = out, err

    def __enter__(self):
        install()  # (again: a test harness may have put its own streams in place meanwhile)
        _local.stdout, _local.stderr, _local.stdin = self.out, self.err, _NoInput()
        return self

    def __exit__(self, *exc):
        _local.stdout = _local.stderr = _local.stdin = None
