"""The system tray icon and its menu: Quick Capture, Show Mnemo, Pause Remembering Chats, Quit.
Created only where the desktop has a tray (QSystemTrayIcon.isSystemTrayAvailable())."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from .assets import app_icon


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class Tray(QObject):
    capture_requested = Signal()
    show_requested = Signal()
    quit_requested = Signal()
    pause_toggled = Signal(bool)
    notice_clicked = Signal()  # a notification shown by notify() was clicked
    lock_requested = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.menu = QMenu()
        self.capture_action = QAction("Quick Capture…", self.menu)
        self.show_action = QAction("Show Mnemo", self.menu)
        self.quit_action = QAction("Quit", self.menu)
        self.pause_action = QAction("Pause Remembering Chats", self.menu)
        self.pause_action.setCheckable(True)
        self.pause_action.triggered.connect(self.pause_toggled)
        self.capture_action.triggered.connect(self.capture_requested)
        self.show_action.triggered.connect(self.show_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.menu.addAction(self.capture_action)
        self.menu.addAction(self.show_action)
        self.menu.addAction(self.pause_action)
        self.lock_action = QAction("Lock Mnemo", self.menu)
        self.lock_action.triggered.connect(self.lock_requested)
        self.lock_action.setVisible(False)
        self.menu.addAction(self.lock_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)

        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("Mnemo — your private memory")
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.notice_clicked)

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_paused(self, paused: bool) -> None:
        self.pause_action.setChecked(paused)
        self.icon.setToolTip("Mnemo — not remembering chats (paused)" if paused else "Mnemo — your private memory")

    def set_lockable(self, lockable: bool) -> None:
        """The memory is encrypted with a passphrase: Lock Mnemo is offered."""
        self.lock_action.setVisible(lockable)
        self.set_locked(False)

    def set_locked(self, locked: bool) -> None:
        self.lock_action.setEnabled(not locked)
        self.icon.setToolTip("Mnemo — locked (your memory is encrypted)" if locked else
                             "Mnemo — your private memory, encrypted" if self.lock_action.isVisible() else
                             "Mnemo — your private memory")

    def notify(self, title: str, message: str) -> None:
        self.icon.showMessage(title, message, app_icon(), 4000)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()
