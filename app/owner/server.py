"""The app's side: a Unix socket in the data folder (readable by the user only, and checked
to be the user at each connection) on which other programs' `mnemo` commands arrive; each runs
on its own thread against the app's open memory, printing back to its client."""
from __future__ import annotations

import logging
import os
import re
import socket
import threading
from pathlib import Path
from typing import Callable

from .client import connect
from .output import ToClient, install, routed
from .protocol import lines, same_user, send, socket_path

log = logging.getLogger("mnemo.owner")
PROGRESS = re.compile(r"(Reading|Saving|Embedding|Facts): ([\d,]+/[\d,]+)")  # app/cli_data.py's progress lines


class OwnerServer:
    def __init__(self, data_dir: Path, mnemo, on_change: Callable[[], None] | None = None,
                 on_progress: Callable[[str], None] | None = None, on_consent: Callable[[str], None] | None = None,
                 locked: Callable[[], bool] | None = None):
        """`on_change()`: a client's command ran (the memory may have changed); `on_progress(text)`:
        what a client's long command says of its progress ("Reading: 1,200/5,000"), for the app to show too."""
        self.data_dir = Path(data_dir)
        self.mnemo = mnemo
        self.on_change = on_change or (lambda: None)
        self.on_progress = on_progress or (lambda text: None)
        self.on_consent = on_consent or (lambda name: None)  # a program asks to use the memory: ask the user
        self.locked = locked or (lambda: False)  # the app is locked (an encrypted memory): every command is refused
        self.path = socket_path(self.data_dir)
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()

    def start(self) -> "OwnerServer":
        install()
        other = connect(self.data_dir)
        if other is not None:  # (cannot happen while the store's lock is ours; never take a live socket)
            other.close()
            raise OSError(f"another program already serves {self.path}")
        self.path.unlink(missing_ok=True)  # left by an app that did not close
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            sock.bind(str(self.path))
        finally:
            os.umask(old)
        os.chmod(self.path, 0o600)
        sock.listen(16)
        self._sock = sock
        self._thread = threading.Thread(target=self._accept, name="mnemo-owner", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
            self._sock = None
        self.path.unlink(missing_ok=True)
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), name="mnemo-owner-client", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        from app.cli import run_for_client

        with conn:
            if not same_user(conn):
                log.warning("refused a connection from another user")
                return
            lock = threading.Lock()

            def reply(message: dict) -> None:
                progress = PROGRESS.search(message.get("err", ""))
                if progress:
                    self.on_progress(f"{progress.group(1)} (a command from another program): {progress.group(2)}")
                with lock:
                    send(conn, message)
            try:
                request = next(lines(conn), None)
                if self.locked():  # not even a request for access: nothing reaches the screen over the lock
                    reply({"err": "mnemo: Mnemo is locked; unlock it in the app first.\n"})
                    reply({"exit": 1})
                    return
                if isinstance(request, dict) and isinstance(request.get("consent"), str):
                    self.on_consent(request["consent"][:80])
                    return
                if not isinstance(request, dict) or not isinstance(request.get("argv"), list):
                    return
                tty = request.get("tty") or {}
                out, err = ToClient(reply, "out", bool(tty.get("stdout"))), ToClient(reply, "err", bool(tty.get("stderr")))
                try:
                    with routed(out, err):
                        status = run_for_client([str(a) for a in request["argv"]], self.mnemo)
                finally:
                    self.on_change()  # before the client hears the end, so a view is never behind it
                reply({"exit": status})
                self.on_progress("")
            except (OSError, ValueError) as exc:  # the client went away
                log.info("a client's command ended early: %s", exc)
                return
