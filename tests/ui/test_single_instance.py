"""One Mnemo per data directory: a second start finds the first and asks it to show itself."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from ui.single_instance import SingleInstance, server_name

ROOT = Path(__file__).resolve().parents[2]


def test_the_name_depends_on_the_resolved_data_directory(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    assert server_name(Path("data")) == server_name(tmp_path / "data")
    assert server_name(tmp_path / "data" / ".." / "data") == server_name(tmp_path / "data")
    assert server_name(tmp_path / "data") != server_name(tmp_path / "other")


def test_second_instance_for_the_same_directory_pokes_the_first(qtbot, tmp_path):
    first = SingleInstance(tmp_path / "data")
    second = SingleInstance(tmp_path / "data")
    try:
        assert first.claim()
        with qtbot.waitSignal(first.message_received, timeout=3000) as received:
            assert not second.claim()
        assert received.args == [b"show"]
        assert second.server is None
    finally:
        first.release()
        second.release()


def test_instances_for_different_directories_do_not_meet(tmp_path):
    one, two = SingleInstance(tmp_path / "one"), SingleInstance(tmp_path / "two")
    try:
        assert one.claim()
        assert two.claim()
    finally:
        one.release()
        two.release()


def test_after_the_first_quits_the_next_start_is_first_again(tmp_path):
    first = SingleInstance(tmp_path / "data")
    assert first.claim()
    first.release()
    again = SingleInstance(tmp_path / "data")
    try:
        assert again.claim()
    finally:
        again.release()


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets only")
def test_a_socket_left_by_a_crashed_instance_is_reclaimed(tmp_path):
    name = server_name(tmp_path / "data")
    path = Path(QDir.tempPath()) / name
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # a socket file nobody listens on, as after a crash
    stale.close()
    try:
        instance = SingleInstance(tmp_path / "data")
        assert instance.claim()
        instance.release()
    finally:
        path.unlink(missing_ok=True)


def test_second_start_of_the_app_exits_zero_and_shows_the_first(qtbot, tmp_path):
    data = tmp_path / "data"
    first = SingleInstance(data)
    assert first.claim()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    try:
        with qtbot.waitSignal(first.message_received, timeout=30_000) as received:
            process = subprocess.Popen([sys.executable, "-m", "app.gui", "--data-dir", str(data)],
                                       cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 30
            while process.poll() is None and time.monotonic() < deadline:
                qtbot.wait(50)  # the first instance answers from its event loop
        assert received.args == [b"show"]
        assert process.wait(timeout=30) == 0
        assert "already running" in process.stderr.read().decode()
        assert not (data / "store").exists()  # the second start never opened the store
    finally:
        if process.poll() is None:
            process.kill()
        first.release()


def test_quick_capture_from_a_second_start_opens_the_running_apps_capture(qtbot, tmp_path, make_window):
    """`mnemo-gui --quick-capture` (bound to a desktop shortcut) opens Quick Capture in the running
    app, whose window stays hidden in the tray; a plain second start shows the window."""
    from ui.single_instance import on_message

    data = tmp_path / "data"
    window = make_window(has_tray=True)
    window.hide()
    first = SingleInstance(data)
    assert first.claim()
    first.message_received.connect(lambda message: on_message(window, message))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "app.gui", "--data-dir", str(data), "--quick-capture"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        qtbot.waitUntil(lambda: window.quick_capture.isVisible(), timeout=30_000)
        assert not window.isVisible()
        assert process.wait(timeout=30) == 0 and "opened its Quick Capture" in process.stderr.read().decode()
        window.quick_capture.close()
        on_message(window, b"show")
        assert window.isVisible()
    finally:
        if process.poll() is None:
            process.kill()
        first.release()
