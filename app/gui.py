"""`mnemo-gui`: the desktop app. The window shows first; the store opens and the models load
in the background (see ui/workers.py). Only one instance runs per data directory.

Set MNEMO_REPORT_STARTUP=1 to print how long the window took to appear and when start-up
finished (store open, both models loaded)."""
from __future__ import annotations

import time

_STARTED = time.perf_counter()  # before the heavy imports below

import argparse  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

from core.clock import Clock, FixedClock, SystemClock, parse_instant  # noqa: E402

from .paths import default_data_dir, followed  # noqa: E402


OPEN_WAIT = 15.0  # seconds to wait for a command (or an MCP call) that has the memory open to finish


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mnemo-gui", description="Mnemo: a private memory assistant.")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="the memory's folder (default: your user data folder, or $MNEMO_DATA_DIR)")
    parser.add_argument("--now", default=None, metavar="ISO-8601",
                        help="act as if the clock read this time (e.g. 2026-05-01T09:00)")
    parser.add_argument("--model", type=Path, default=None, metavar="PATH",
                        help="a GGUF language model file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--background", action="store_true",
                        help="start in the tray without showing the window (as at login); where there is no tray "
                             "the window is shown")
    parser.add_argument("--quick-capture", action="store_true",
                        help="open Quick Capture (in the running Mnemo, else in a new one): bind this command to a "
                             "key in your desktop's keyboard settings for a capture shortcut that works everywhere")
    return parser


def make_clock(now: str | None) -> Clock:
    return FixedClock(parse_instant(now)) if now else SystemClock()


def conversation_id(clock: Clock) -> str:
    return f"gui-{clock.now().strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"


def seconds_since_process_start() -> float:
    try:
        import psutil

        return time.time() - psutil.Process().create_time()
    except Exception:  # psutil is optional: fall back to the time this module was imported
        return time.perf_counter() - _STARTED


def quit_on_signals(app) -> None:
    """Ctrl+C in the terminal or SIGTERM quit cleanly (the store is closed)."""
    from PySide6.QtCore import QSettings, QTimer

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.quit())
    heartbeat = QTimer(app)  # gives Python a moment to run its signal handlers
    heartbeat.start(300)
    heartbeat.timeout.connect(lambda: None)


def build_bridge(data_dir: Path, clock: Clock, model_path: Path | None = None, passphrase=None):
    """The bridge the window talks to, wired to the real parts. The heavy imports (numpy,
    LanceDB, torch, llama.cpp) happen in its workers, never on the GUI thread. `passphrase`:
    the one typed to unlock an encrypted memory (ask_passphrase)."""
    from ui.workers import MnemoBridge

    def factory():
        from .wiring import build_mnemo

        return build_mnemo(data_dir, clock, model_path, wait=OPEN_WAIT,
                           passphrase=(lambda: passphrase) if passphrase is not None else None)

    def switch(mnemo, path: Path) -> Path:  # File ▸ Choose Language Model…
        from .wiring import switch_model

        return switch_model(mnemo, path)

    bridge = MnemoBridge(factory, model_switcher=switch, data_ops=_Lazy("app.data_io"), data_dir=data_dir,
                         clock=clock, model_ops=_Lazy("app.model_library"))
    bridge.prefs_ops = _Lazy("app.preferences_io")  # Preferences ▸ Importance, Schedule, Backups
    bridge.privacy_ops = _Lazy("app.privacy")  # Preferences ▸ Privacy
    return bridge


def ask_passphrase(data_dir: Path):
    """An encrypted memory's passphrase, before it opens: $MNEMO_PASSPHRASE when it is right, else
    asked in a dialog (None: the user chose Quit). A memory without one: "" (nothing to ask)."""
    from . import privacy

    if not privacy.needs_passphrase(data_dir):
        return ""
    given = os.environ.pop("MNEMO_PASSPHRASE", None)  # not passed on to programs this one starts
    if given:
        try:
            return privacy.check_passphrase(data_dir, given)
        except Exception as exc:  # a wrong one in the environment: ask instead
            print(f"mnemo-gui: $MNEMO_PASSPHRASE does not unlock the memory ({exc})", file=sys.stderr)
    from ui.unlock import UnlockDialog

    dialog = UnlockDialog(lambda text: privacy.check_passphrase(data_dir, text), str(data_dir))
    return dialog.passphrase if dialog.exec() else None


class _Lazy:
    """A module imported on first use (app.data_io pulls in numpy: not before the window shows)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        import importlib

        return getattr(importlib.import_module(self._name), attr)


class UpkeepStarter:
    """Starts the background upkeep (decay sweep, summaries, portrait) once the store is open
    and the models are loaded; catches up at once on what was missed while Mnemo was closed."""

    def __init__(self, bridge, data_dir: Path):
        self.bridge = bridge
        self.data_dir = data_dir
        self.scheduler = None
        bridge.ready.connect(self.start)
        bridge.schedule_changed.connect(self.reschedule)  # Preferences ▸ Schedule and Backups

    def reschedule(self, schedule) -> None:
        if self.scheduler is not None:
            self.scheduler.reschedule(schedule)

    def start(self) -> None:
        mnemo = self.bridge.mnemo
        if mnemo is None or self.scheduler is not None:
            return  # the store could not be opened: nothing to keep up
        from .scheduler import UpkeepScheduler
        from .settings import Settings

        try:
            schedule = Settings.load(self.data_dir).schedule
        except Exception as exc:  # a damaged settings file: defaults, and say so
            print(f"mnemo-gui: {exc} Using the default upkeep schedule.", file=sys.stderr)
            from .settings import Schedule

            schedule = Schedule()
        self.scheduler = UpkeepScheduler(mnemo, schedule, on_result=self.bridge.job_finished,
                                         on_error=self.bridge.job_failed)
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
            self.scheduler = None


def start_upkeep_when_ready(bridge, data_dir: Path) -> UpkeepStarter:
    return UpkeepStarter(bridge, data_dir)


class ClientDoor:
    """While the app has the memory open, `mnemo` commands from other programs come in through
    it (app/owner/): they run on the app's memory, and the app's views refresh after them."""

    def __init__(self, bridge, data_dir: Path):
        self.bridge = bridge
        self.data_dir = data_dir
        self.server = None
        self.locked = lambda: False
        bridge.opened.connect(self.start)

    def start(self) -> None:
        if self.server is not None or self.bridge.mnemo is None:
            return
        from .owner.server import OwnerServer

        try:
            self.server = OwnerServer(self.data_dir, self.bridge.mnemo, on_change=self.bridge.memories_changed.emit,
                                      on_progress=self.bridge.show_outside_progress,
                                      on_consent=self.bridge.consent_requested.emit,
                                      locked=lambda: self.locked()).start()
        except OSError as exc:  # commands then say the memory is in use, as before
            print(f"mnemo-gui: other programs cannot use the memory while the app runs ({exc}).", file=sys.stderr)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def serve_clients_when_open(bridge, data_dir: Path) -> ClientDoor:
    return ClientDoor(bridge, data_dir)


def restart_command(argv: list[str], data_dir: Path) -> list[str]:
    """This program again, as it was started, on `data_dir` (after the memory moved there)."""
    args, skip = [], False
    for arg in argv:
        if skip or arg in ("--background", "--quick-capture") or arg.startswith("--data-dir="):
            skip = False
            continue
        if arg == "--data-dir":
            skip = True
            continue
        args.append(arg)
    program = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app.gui"]
    return program + args + ["--data-dir", str(data_dir)]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        clock = make_clock(args.now)
    except ValueError as exc:
        print(f"mnemo-gui: {exc}", file=sys.stderr)
        return 2
    data_dir = followed(Path(args.data_dir or default_data_dir()).expanduser()).resolve()  # (after a move)

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.assets import apply_style
    from ui.main_window import MainWindow
    from ui.single_instance import CAPTURE, SHOW, SingleInstance, on_message
    from ui.theme import KEY as THEME_KEY
    from ui.theme import SYSTEM, Theme
    from ui.tray import Tray, tray_available

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Mnemo")
    app.setApplicationDisplayName("Mnemo")
    app.setDesktopFileName("mnemo")

    instance = SingleInstance(data_dir)
    try:
        first = instance.claim(CAPTURE if args.quick_capture else SHOW)
    except OSError as exc:
        print(f"mnemo-gui: {exc}", file=sys.stderr)
        first = True  # still usable; a second start just will not be redirected here
    if not first:
        print(f"Mnemo is already running for {data_dir}; " + ("opened its Quick Capture." if args.quick_capture else
                                                              "brought its window to the front."), file=sys.stderr)
        return 0

    apply_style(app)

    passphrase = ask_passphrase(data_dir)
    if passphrase is None:  # Quit, at the unlock dialog
        instance.release()
        return 0
    bridge = build_bridge(data_dir, clock, args.model, passphrase or None)
    has_tray = tray_available()
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    theme = Theme(app, str(settings.value(THEME_KEY, SYSTEM)))
    theme.apply()
    window = MainWindow(bridge, conversation_id(clock), has_tray=has_tray, settings=settings, theme=theme)
    window.quit_requested.connect(app.quit)
    from ui.privacy_lock import PrivacyLock

    from .privacy import check_passphrase, check_unlock, needs_passphrase

    def unlocks(text: str):  # against the key in use (a key file swapped on disk unlocks nothing)
        return check_unlock(bridge.mnemo, text) if bridge.mnemo is not None else check_passphrase(data_dir, text)

    lock = window.privacy_lock = PrivacyLock(window, unlocks, enabled=needs_passphrase(data_dir))
    instance.message_received.connect(lambda message: lock.guarded(lambda: on_message(window, message)))
    from ui.global_shortcut import GlobalShortcut  # Quick Capture from anywhere, through the desktop's portal

    from PySide6.QtGui import QGuiApplication

    shortcut = window.global_shortcut = GlobalShortcut(window)
    shortcut.activated.connect(lambda: lock.guarded(window.open_quick_capture))
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):  # no desktop to bind keys on (tests, CI)
        shortcut.start()

    tray = None
    if has_tray:
        app.setQuitOnLastWindowClosed(False)
        tray = Tray(app)
        tray.capture_requested.connect(lambda: lock.guarded(window.open_quick_capture))
        tray.lock_requested.connect(lock.lock)
        lock.locked_changed.connect(tray.set_locked)
        tray.set_lockable(lock.enabled)
        lock.lockable_changed.connect(tray.set_lockable)
        tray.show_requested.connect(window.activate)
        tray.quit_requested.connect(window.quit)
        tray.pause_toggled.connect(window.set_capture_paused)
        window.capture_paused_changed.connect(tray.set_paused)
        told = []

        def hidden() -> None:
            if not told:
                told.append(True)
                tray.notify("Mnemo is still running", "Quick Capture and Show Mnemo are in the tray menu.")

        window.hidden_to_tray.connect(hidden)
        window.desktop_notice.connect(lambda text: tray.notify("Mnemo", text))
        tray.notice_clicked.connect(window.show_review)  # review before forgetting: Memory Health
        tray.show()

    upkeep = start_upkeep_when_ready(bridge, data_dir)
    owner = serve_clients_when_open(bridge, data_dir)
    owner.locked = lambda: lock.locked  # other programs are refused while the window is locked

    moved: list[tuple[str, str]] = []  # Preferences ▸ Data Folder ▸ Move…: (old, new), once copied and checked

    def restart_in(old: str, new: str) -> None:
        moved.append((old, new))
        import subprocess

        subprocess.Popen(restart_command(sys.argv[1:] if argv is None else argv, Path(new)), start_new_session=True)
        app.quit()

    window.data_moved.connect(restart_in)

    def shut_down() -> None:
        window.hide()
        if tray is not None:
            tray.hide()
        shortcut.stop()
        owner.stop()
        upkeep.stop()
        bridge.shutdown()
        instance.release()
        for old, new in moved:  # the old folder, let go of: a signpost to the new one
            from .data_move import leave_signpost

            leave_signpost(Path(old), Path(new))

    app.aboutToQuit.connect(shut_down)
    quit_on_signals(app)

    if not (args.background and has_tray):
        window.show()
    if args.quick_capture:  # the first start was for a note: Quick Capture over the window
        QTimer.singleShot(0, window.open_quick_capture)
    if os.environ.get("MNEMO_REPORT_STARTUP") == "1":
        def report(what: str) -> None:
            print(f"{what} after {seconds_since_process_start():.3f} s", file=sys.stderr, flush=True)

        QTimer.singleShot(0, lambda: report("window shown"))
        bridge.ready.connect(lambda: report("ready"))
    QTimer.singleShot(0, bridge.start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
