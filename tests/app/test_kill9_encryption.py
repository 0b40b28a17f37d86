"""kill -9 while encryption is turned on or off (real processes, real LanceDB): nothing saved is
lost; the next open finishes the conversion, after which no file holds a memory's words (on) or
no key file is left (off)."""
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.memory.keys import KEY_FILE, Passphrase
from core.mnemo import Mnemo
from tests.app.test_kill9 import read_until
from tests.fakes import HashEmbedder, ScriptedModel

CHILD = Path(__file__).with_name("kill_child_encryption.py")
ROOT = Path(__file__).resolve().parents[2]
SECRET = Passphrase("correct horse battery")
N = 300


def _open(path) -> Mnemo:
    return Mnemo(path, FixedClock(datetime(2026, 6, 1, tzinfo=timezone.utc)), HashEmbedder(), ScriptedModel(),
                 passphrase=lambda: SECRET)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[bool, tuple[Path, dict[str, str]]]:
    """A store of N notes with a backup, in the clear and encrypted (made once, copied per test)."""
    out = {}
    for encrypted in (False, True):
        path = tmp_path_factory.mktemp("template") / "d"
        mnemo = _open(path)
        mnemo.capture.add_turns([(f"Ornithopter number {i} lives at Quillsby lane", "user", "") for i in range(N)],
                                conversation_id="c")
        mnemo.store.backup("manual")
        if encrypted:
            mnemo.store.encrypt(SECRET)
        out[encrypted] = path, {m.id: m.text for m in mnemo.store.all(kinds=["chat_turn"])}
        mnemo.close()
    return out


def _prepared(path: Path, templates, encrypted: bool) -> dict[str, str]:
    source, saved = templates[encrypted]
    shutil.copytree(source, path)
    return saved


def _killed(path: Path, mode: str, point: str, delay: float) -> list[str]:
    proc = subprocess.Popen([sys.executable, str(CHILD), str(path), mode, point], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    lines = read_until(proc, lambda line, seen: line == ("PAUSED" if point else "READY"))
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate()
    return lines + rest.split("\n")


def _leaks(path: Path) -> list[str]:
    return [str(f) for f in path.rglob("*") if f.is_file() and b"Quillsby" in f.read_bytes()]


CASES = [("rows", 0.0), ("compact", 0.0), ("backups", 0.0)] + [("", random.Random(s).uniform(0.05, 1.5))
                                                                for s in range(3)]


@pytest.mark.parametrize(("point", "delay"), CASES)
def test_turning_encryption_on_killed_anywhere_loses_nothing(tmp_path, templates, point, delay):
    saved = _prepared(tmp_path / "d", templates, encrypted=False)
    _killed(tmp_path / "d", "encrypt", point, delay)
    mnemo = _open(tmp_path / "d")  # finishes what was cut short (or finds it never began)
    assert {m.id: m.text for m in mnemo.store.all(kinds=["chat_turn"])} == saved
    assert mnemo.store.check() == []
    state = mnemo.store.encryption().state
    mnemo.close()
    assert state in ("on", "off")
    if state == "on":
        assert _leaks(tmp_path / "d") == []
    else:  # killed before the key file was written: a plain store, untouched
        assert not (tmp_path / "d" / "store" / KEY_FILE).exists()


@pytest.mark.parametrize(("point", "delay"), CASES[:1] + CASES[2:4])
def test_turning_encryption_off_killed_anywhere_loses_nothing(tmp_path, templates, point, delay):
    saved = _prepared(tmp_path / "d", templates, encrypted=True)
    _killed(tmp_path / "d", "decrypt", point, delay)
    mnemo = _open(tmp_path / "d")
    assert {m.id: m.text for m in mnemo.store.all(kinds=["chat_turn"])} == saved
    assert mnemo.store.check() == []
    state = mnemo.store.encryption().state
    mnemo.close()
    assert state in ("on", "off")
    if state == "off":
        assert not list((tmp_path / "d").rglob(KEY_FILE))
    else:
        assert _leaks(tmp_path / "d") == []
