"""`mnemo` while the app runs: the command goes to the app, which owns the memory, and what it
prints comes back here as it is printed (an import's progress too). With no app running,
`forward` returns None and the command opens the store itself."""
from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

from core.errors import MnemoError

from .protocol import lines, send, socket_path

CONNECT_TIMEOUT = 2.0


def connect(data_dir: Path) -> socket.socket | None:
    """A connection to the app that owns `data_dir`'s memory, or None when none runs."""
    path = socket_path(data_dir)
    if not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_TIMEOUT)
    try:
        sock.connect(str(path))
    except OSError:  # a socket left by an app that is gone
        sock.close()
        return None
    sock.settimeout(None)
    return sock


def ask_consent(data_dir: Path, name: str) -> bool:
    """Ask the running app to ask the user whether the program `name` may use the memory (the
    answer is saved by the app); False when no app runs."""
    sock = connect(Path(data_dir).expanduser())
    if sock is None:
        return False
    with sock:
        send(sock, {"consent": name})
    return True


def forward(argv: list[str], data_dir: Path, stdout=None, stderr=None) -> int | None:
    """Run `argv` in the app that owns the memory; its exit status, or None when no app runs."""
    sock = connect(Path(data_dir).expanduser())
    if sock is None:
        return None
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    argv, passphrase_file = _passphrase(argv)
    try:
        with sock:
            send(sock, {"argv": argv, "tty": {"stdout": stdout.isatty(), "stderr": stderr.isatty()}})
            for message in lines(sock):
                if "out" in message:
                    stdout.write(message["out"])
                    stdout.flush()
                elif "err" in message:
                    stderr.write(message["err"])
                    stderr.flush()
                elif "exit" in message:
                    return int(message["exit"])
    except (OSError, ValueError) as exc:
        raise MnemoError(f"The app that has this memory open stopped answering ({exc}); try again, or close it "
                         "and run the command again.") from None
    finally:
        if passphrase_file is not None:
            os.unlink(passphrase_file)
    raise MnemoError("The app that has this memory open closed before the command finished; whether it took effect "
                     "shows in `mnemo list`.")


def _passphrase(argv: list[str]) -> tuple[list[str], str | None]:
    """The app cannot read this terminal's environment: a passphrase in $MNEMO_PASSPHRASE travels as a
    file only this user can read, deleted afterwards."""
    from app.data_io import PASSPHRASE_ENV

    secret = os.environ.get(PASSPHRASE_ENV)
    if not secret or "--passphrase-file" in argv or not ({"import", "export"} & set(argv)):
        return argv, None
    handle, name = tempfile.mkstemp(prefix="mnemo-passphrase-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(secret + "\n")
    return [*argv, "--passphrase-file", name], name
