"""Locking the window of an encrypted memory: Memory ▸ Lock Now (Ctrl+L), the tray's Lock Mnemo,
or no keyboard or mouse input for the minutes chosen in Preferences ▸ Privacy (window.ini,
`privacy/lock_after_minutes`; 0: never). While locked the lock screen covers the window, the
menus are off, Quick Capture waits for the unlock, and other programs are refused (the app's
owner server asks `locked`). The passphrase unlocks it again (UnlockPanel, ui/unlock.py)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from .unlock import Check, LockScreen

LOCK_AFTER_KEY = "privacy/lock_after_minutes"
LOCK_CHOICES = [("Never", 0), ("After 5 minutes", 5), ("After 15 minutes", 15), ("After 30 minutes", 30),
                ("After 1 hour", 60)]
INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class PrivacyLock(QObject):
    locked_changed = Signal(bool)
    lockable_changed = Signal(bool)  # encryption with a passphrase was turned on or off

    def __init__(self, window, check: Check, enabled: bool):
        """`enabled`: the memory is encrypted with a passphrase (a keyring key would unlock itself)."""
        super().__init__(window)
        self.window = window
        self.enabled = enabled
        self.locked = False
        self._minutes = 0.0  # (where the window keeps no settings)
        self._waiting: list[Callable[[], None]] = []
        self.screen = LockScreen(check, window)
        self.screen.unlocked.connect(self.unlock)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.action = QAction("Lock Now", window)
        self.action.setShortcut(QKeySequence("Ctrl+L"))
        self.action.setEnabled(enabled)
        self.action.triggered.connect(self.lock)
        window.addAction(self.action)
        menu = getattr(window, "memory_menu", None)
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.action)
        self._watching = False
        self._arm()

    def minutes(self) -> float:
        settings = getattr(self.window, "settings", None)
        try:
            return float(settings.value(LOCK_AFTER_KEY, 0)) if settings is not None else self._minutes
        except (TypeError, ValueError):
            return 0

    def set_minutes(self, minutes: float) -> None:
        """Lock after this many idle minutes (0: never); kept in window.ini."""
        settings = getattr(self.window, "settings", None)
        if settings is not None:
            settings.setValue(LOCK_AFTER_KEY, minutes)
        self._minutes = minutes
        self._arm()

    def _arm(self) -> None:
        """The idle timer, as the chosen minutes say (nothing is written)."""
        minutes = self.minutes()
        self.timer.stop()
        if self.enabled and minutes > 0 and not self.locked:
            self.timer.start(int(minutes * 60_000))
        watch = self.enabled  # every event of the app passes the filter: only while there is something to lock
        if watch != self._watching:
            app = QApplication.instance()
            app.installEventFilter(self) if watch else app.removeEventFilter(self)
            self._watching = watch

    def set_enabled(self, enabled: bool) -> None:
        """Encryption with a passphrase was turned on (or off) while the app runs."""
        self.enabled = enabled
        self.action.setEnabled(enabled)
        self.lockable_changed.emit(enabled)
        if not enabled and self.locked:
            self.unlock()
        self._arm()

    def lock(self) -> None:
        if not self.enabled or self.locked:
            return
        self.locked = True
        self.timer.stop()
        for dialog in self.window.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()  # Preferences, Quick Capture...: nothing of the memory stays on screen
        self.window.centralWidget().setEnabled(False)
        self.window.menuBar().setEnabled(False)
        self.screen.cover()
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        if not self.locked:
            return
        self.locked = False
        self.screen.hide()
        self.window.centralWidget().setEnabled(True)
        self.window.menuBar().setEnabled(True)
        self._arm()
        self.locked_changed.emit(False)
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

    def guarded(self, action: Callable[[], None]) -> None:
        """Run `action` now, or (locked) once unlocked, showing the lock screen meanwhile."""
        if not self.locked:
            action()
            return
        self._waiting.append(action)
        self.window.activate()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in INPUT and self.timer.isActive():
            self.timer.start()  # input: the idle time starts again
        elif event.type() == QEvent.Type.Resize and watched is self.window and self.locked:
            self.screen.cover()
        return False
