"""One Mnemo per data directory. The first instance listens on a local socket named after
a hash of the resolved data directory; a second one finds it there, asks it to show its
window (or, started with --quick-capture, to open Quick Capture), and exits."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

SHOW = b"show\n"
CAPTURE = b"capture\n"  # `mnemo-gui --quick-capture`: open Quick Capture, leave the window as it is
CONNECT_TIMEOUT_MS = 500


def server_name(data_dir: Path) -> str:
    resolved = str(Path(data_dir).expanduser().resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:24]
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    return f"mnemo-{user}-{digest}"


class SingleInstance(QObject):
    """`claim()` is True for the first instance; later ones get False after poking the first,
    whose `message_received` then fires (e.g. with b"show")."""

    message_received = Signal(bytes)

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.server: QLocalServer | None = None

    def claim(self, message: bytes = SHOW) -> bool:
        if self._send(message):
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A socket file left by a crashed instance: nobody answered on it, so reclaim it.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                raise OSError(f"Mnemo could not watch for a second start ({server.errorString()}).")
        server.newConnection.connect(self._accept)
        self.server = server
        return True

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _send(self, message: bytes) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(message)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return True

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            # The sender writes one short line right after connecting: read it here, briefly
            # blocking, rather than keep the socket alive across the event loop.
            if socket.bytesAvailable() or socket.waitForReadyRead(CONNECT_TIMEOUT_MS):
                data = bytes(socket.readAll().data()).strip()
                if data:
                    self.message_received.emit(data)
            socket.abort()


def on_message(window, message: bytes) -> None:
    """What a second start asked the running app for: Quick Capture, or its window."""
    if message.strip() == CAPTURE.strip():
        window.open_quick_capture()
    else:
        window.activate()
