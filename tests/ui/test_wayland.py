"""The desktop app on Wayland, for real: a headless Weston compositor (Debian's `weston`), Qt's
wayland platform, and a screenshot of Weston's screen before and after the window appears (when
weston-screenshooter is there); meanwhile the app registers Quick Capture with the desktop's
GlobalShortcuts portal (a stand-in on a private D-Bus session) and closes that session on quit."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_global_shortcut import Portal, bus  # noqa: F401 (bus: a private D-Bus session, a fixture)

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1366, 850)

pytestmark = pytest.mark.skipif(shutil.which("weston") is None,
                                reason="weston is not installed (apt-get install weston): no Wayland compositor here")


def clean_env(runtime: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")}
    return dict(env, XDG_RUNTIME_DIR=str(runtime), **extra)


@pytest.fixture
def weston(tmp_path):
    """A headless Weston (pixman renderer, so its screen can be captured; --debug lets
    weston-screenshooter in): the WAYLAND_DISPLAY name and its environment."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    log = (tmp_path / "weston.log").open("w")
    process = subprocess.Popen(["weston", "--backend=headless-backend.so", "--use-pixman", "--debug", "--idle-time=0",
                                f"--width={SIZE[0]}", f"--height={SIZE[1]}", "--socket=wayland-mnemo"],
                               env=clean_env(runtime), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 20
    while not (runtime / "wayland-mnemo").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail("weston did not start: " + (tmp_path / "weston.log").read_text()[-2000:])
        time.sleep(0.1)
    time.sleep(1.0)  # its desktop shell (panel, background) draws
    yield clean_env(runtime, WAYLAND_DISPLAY="wayland-mnemo")
    os.killpg(process.pid, signal.SIGTERM)  # weston and the shell clients it started
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    log.close()


def screenshot(env: dict, folder: Path) -> Path | None:
    if shutil.which("weston-screenshooter") is None:
        return None
    folder.mkdir(exist_ok=True)
    subprocess.run(["weston-screenshooter"], cwd=folder, env=env, timeout=30, check=True, capture_output=True)
    shots = sorted(folder.glob("wayland-screenshot-*.png"))
    assert shots, "weston-screenshooter wrote no picture"
    return shots[-1]


def changed_share(before: Path, after: Path) -> float:
    """The share of the screen's pixels that changed (sampled on a grid)."""
    from PySide6.QtGui import QImage

    a, b = QImage(str(before)), QImage(str(after))
    assert (a.width(), a.height()) == SIZE and (b.width(), b.height()) == SIZE
    points = [(x, y) for x in range(0, SIZE[0], 8) for y in range(40, SIZE[1], 8)]  # below Weston's panel
    return sum(a.pixel(x, y) != b.pixel(x, y) for x, y in points) / len(points)


def test_the_window_shows_on_wayland_and_quick_capture_is_registered_with_the_desktop(weston, bus, tmp_path):
    portal = Portal(bus)  # the desktop's GlobalShortcuts portal (a stand-in) on the session bus
    before = screenshot(weston, tmp_path / "before")
    env = dict(weston, QT_QPA_PLATFORM="wayland", MNEMO_REPORT_STARTUP="1", PYTHONPATH=str(ROOT),
               DBUS_SESSION_BUS_ADDRESS=bus)
    app = subprocess.Popen([sys.executable, "-m", "app.gui", "--data-dir", str(tmp_path / "data"),
                            "--model", str(tmp_path / "missing.gguf")], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, said = time.monotonic() + 60, []
        while time.monotonic() < deadline:
            line = app.stderr.readline()
            said.append(line)
            if "window shown after" in line or not line:
                break
        assert re.search(r"window shown after \d+\.\d+ s", said[-1]), "".join(said)
        assert app.poll() is None, "".join(said)
        deadline, share, after = time.monotonic() + 20, 1.0, None
        while before is not None and time.monotonic() < deadline:  # the first frame may take a moment
            after = screenshot(weston, tmp_path / "after")
            share = changed_share(before, after)
            if share > 0.2:
                break
            time.sleep(0.5)
        assert share > 0.2, f"only {share:.0%} of Weston's screen changed: no window to see ({after})"
        deadline = time.monotonic() + 20
        while not portal.called("BindShortcuts") and time.monotonic() < deadline:
            time.sleep(0.1)
        (bind,) = portal.called("BindShortcuts")
        assert bind["body"][1][0][0] == "quick-capture"
        app.terminate()  # quitting closes the shortcut session
        app.wait(timeout=30)
        deadline = time.monotonic() + 5
        while not portal.called("Close") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert portal.called("Close")[0]["path"] == bind["body"][0]
    finally:
        portal.stop()
        if app.poll() is None:
            app.kill()
            app.wait(timeout=30)


def test_the_bootstraps_qt_check_accepts_wayland(weston):
    """scripts/bootstrap.sh runs scripts/check_qt.py with the desktop's own environment: on a
    Wayland desktop (no X), Qt's choice and an explicit QT_QPA_PLATFORM=wayland both pass."""
    for extra in ({}, {"QT_QPA_PLATFORM": "wayland"}):
        done = subprocess.run([sys.executable, "scripts/check_qt.py"], cwd=ROOT, env=dict(weston, **extra),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and done.stdout.strip() == "Qt ok: wayland", done.stderr
