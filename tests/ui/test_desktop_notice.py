"""Notices worth a desktop notification (memories due for review, what happened while Mnemo was
closed): MainWindow.desktop_notice carries them, and the desktop app shows them from its tray."""
from __future__ import annotations

import math
import threading
from types import SimpleNamespace
from typing import ClassVar

import pytest
from PySide6 import QtWidgets
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication as REAL_APPLICATION

import ui.assets
import ui.main_window
import ui.single_instance  # imported before main() runs with the stand-in QApplication
import ui.tray
from app import gui
from core.lifecycle.maintenance import JobResult
from tests.fakes import HashEmbedder, ScriptedModel
from ui.workers import MnemoBridge

from .helpers import memories_of

READY_MS = 15_000
KEY = "The spare key is in the blue flowerpot"
REVIEW = "1 memory will be forgotten this week: keep it? They are under Memory health > To review."


def plain(job: str = "decay", notice: str | None = None) -> JobResult:
    return JobResult(job, True, 0, 0.01, "checked 1 memory: none moved", notice)


def test_a_sweep_that_finds_memories_due_for_review_is_a_desktop_notice(qtbot, make_window, clock, monkeypatch):
    window = make_window(notes=[KEY])
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)  # the user is in another window
    note = next(m for m in memories_of(window) if m.kind == "note")
    clock.advance(days=note.strength * math.log(10) - 2)  # two days before it is forgotten
    with qtbot.waitSignal(window.desktop_notice, timeout=5000) as notice:
        window.bridge.run_job("decay")
    assert notice.args == [REVIEW]
    assert window.statusBar().currentMessage() == REVIEW  # also in the window, until the next notice

    # The same memories are announced once: the next sweep does not nag.
    with qtbot.assertNotEmitted(window.desktop_notice, wait=300):
        finished = []
        window.bridge.run_job("decay", finished.append)
        qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert finished[0].notice is None


def test_while_the_user_is_in_the_window_the_review_is_said_there_not_on_the_desktop(qtbot, make_window, clock,
                                                                                     monkeypatch):
    window = make_window(notes=[KEY])
    monkeypatch.setattr(window, "isActiveWindow", lambda: True)
    note = next(m for m in memories_of(window) if m.kind == "note")
    clock.advance(days=note.strength * math.log(10) - 2)
    with qtbot.assertNotEmitted(window.desktop_notice, wait=300):
        finished = []
        window.bridge.run_job("decay", finished.append)
        qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert finished[0].notice == REVIEW and window.statusBar().currentMessage() == REVIEW


def test_only_results_with_a_notice_reach_the_desktop_even_from_the_schedulers_thread(qtbot, make_window,
                                                                                      monkeypatch):
    window = make_window()
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)
    seen = []
    window.desktop_notice.connect(seen.append)
    worker = threading.Thread(target=lambda: (window.bridge.job_finished(plain()),
                                              window.bridge.job_finished(plain(notice="Welcome back."))))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: seen == ["Welcome back."], timeout=5000)
    qtbot.wait(50)
    assert seen == ["Welcome back."]


class FakeTray(QObject):
    """Stands in for ui.tray.Tray (there is no system tray offscreen): records notifications."""

    capture_requested = Signal()
    show_requested = Signal()
    quit_requested = Signal()
    pause_toggled = Signal(bool)
    notice_clicked = Signal()
    lock_requested = Signal()
    made: ClassVar[list] = []

    def __init__(self, _parent=None):
        super().__init__()
        self.notified: list[tuple[str, str]] = []
        self.shown = False
        FakeTray.made.append(self)

    def show(self) -> None:
        self.shown = True

    def hide(self) -> None:
        self.shown = False

    def notify(self, title: str, message: str) -> None:
        self.notified.append((title, message))

    def set_paused(self, paused: bool) -> None:
        self.paused = paused

    def set_lockable(self, lockable: bool) -> None:
        self.lockable = lockable

    def set_locked(self, locked: bool) -> None:
        self.locked = locked


class FakeSignal:
    def __init__(self):
        self.slots = []

    def connect(self, slot) -> None:
        self.slots.append(slot)

    def emit(self) -> None:
        for slot in self.slots:
            slot()


class FakeApp:
    """The QApplication `app.gui.main` sees: records what it is told; exec() runs `run`."""

    def __init__(self, run):
        self.run = run
        self.aboutToQuit = FakeSignal()
        self.quit_on_last_window_closed = True

    def setQuitOnLastWindowClosed(self, value: bool) -> None:
        self.quit_on_last_window_closed = value

    def style(self):  # the real application's (the light/dark theme reads its name)
        return REAL_APPLICATION.instance().style()

    def __getattr__(self, name):  # setApplicationName, setDesktopFileName, quit...
        return lambda *args: None

    def exec(self) -> int:
        try:
            return self.run()
        finally:
            self.aboutToQuit.emit()  # quitting: the window, the tray and the bridge shut down


@pytest.fixture
def desktop_app(monkeypatch, tmp_path, clock, qtbot):
    """Runs app.gui.main with a tray (FakeTray), a store with fake models and exec() = `run(window, bridge)`."""
    FakeTray.made = []
    windows = []

    class Window(ui.main_window.MainWindow):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            qtbot.addWidget(self)
            windows.append(self)

    def factory():
        from core.mnemo import Mnemo

        return Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel())

    bridge = MnemoBridge(factory)
    monkeypatch.setattr(ui.tray, "tray_available", lambda: True)
    monkeypatch.setattr(ui.tray, "Tray", FakeTray)
    monkeypatch.setattr(ui.assets, "apply_style", lambda _app: None)
    monkeypatch.setattr(ui.main_window, "MainWindow", Window)
    monkeypatch.setattr(gui, "build_bridge", lambda *_args: bridge)
    monkeypatch.setattr(gui, "start_upkeep_when_ready", lambda *_args: SimpleNamespace(stop=lambda: None))
    monkeypatch.setattr(gui, "quit_on_signals", lambda _app: None)
    monkeypatch.delenv("MNEMO_REPORT_STARTUP", raising=False)

    def start(run) -> tuple[int, FakeApp]:
        fake = FakeApp(lambda: run(windows[0], bridge))
        monkeypatch.setattr(QtWidgets, "QApplication", SimpleNamespace(instance=lambda: fake))
        try:
            return gui.main(["--data-dir", str(tmp_path / "data")]), fake
        finally:
            monkeypatch.undo()
            bridge.shutdown()

    return start


def test_the_desktop_app_shows_a_review_notice_from_its_tray(desktop_app, qtbot):
    def run(window, bridge) -> int:
        assert window.has_tray
        qtbot.waitUntil(lambda: bridge.is_ready, timeout=READY_MS)
        tray = FakeTray.made[0]
        assert tray.shown
        window.isActiveWindow = lambda: False  # Mnemo is in the tray, the user elsewhere
        bridge.job_finished(plain())  # a usual sweep: nothing to tell
        bridge.job_finished(plain(notice=REVIEW))
        qtbot.waitUntil(lambda: bool(tray.notified), timeout=5000)
        qtbot.wait(50)
        assert tray.notified == [("Mnemo", REVIEW)]
        assert window.statusBar().currentMessage() == REVIEW
        tray.notice_clicked.emit()  # the user clicks the notification: what to review is in front
        assert window.isVisible() and window.tabs.currentWidget() is window.health
        assert window.health.lists.currentWidget() is window.health.review
        return 0

    code, app = desktop_app(run)
    assert code == 0
    assert len(FakeTray.made) == 1 and not FakeTray.made[0].shown  # hidden when the app quits
    assert app.quit_on_last_window_closed is False  # closing the window leaves Mnemo in the tray
