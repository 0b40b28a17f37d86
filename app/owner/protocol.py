"""The owner's socket and what goes over it: JSON objects, one per line.

client -> owner: {"argv": [...], "tty": {"stdout": bool, "stderr": bool}}
owner -> client: {"out": text} / {"err": text} as the command prints, then {"exit": status}.
"""
from __future__ import annotations

import json
import os
import socket
import struct
from pathlib import Path

SOCKET_NAME = "owner.sock"
MAX_MESSAGE = 1 << 20  # a request line (a command's arguments) is far smaller


def socket_path(data_dir: Path) -> Path:
    return Path(data_dir) / SOCKET_NAME


def send(sock: socket.socket, message: dict) -> None:
    sock.sendall((json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))


def lines(sock: socket.socket):
    """The JSON objects arriving on `sock`, one at a time, until it closes."""
    buffer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield json.loads(line.decode("utf-8"))
        if len(buffer) > MAX_MESSAGE:
            raise ValueError("a message on the owner's socket is too long")


def peer_uid(sock: socket.socket) -> int | None:
    """The user id of the process at the other end (Linux SO_PEERCRED); None where unknown."""
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except (AttributeError, OSError):
        return None
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid


def same_user(sock: socket.socket) -> bool:
    uid = peer_uid(sock)
    return uid is None or not hasattr(os, "getuid") or uid == os.getuid()
