"""Unlocking an encrypted memory: the passphrase asked before the memory opens (UnlockDialog),
and the lock screen over the window after it was locked (LockScreen: Lock Now, or idle for the
time chosen in Preferences ▸ Privacy). Both check the passphrase with `check(text)`, which returns
the passphrase or raises an error whose message is shown (app/privacy.py: check_passphrase)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

Check = Callable[[str], Any]


class UnlockPanel(QWidget):
    """A passphrase field, an Unlock button and what went wrong; `unlocked(passphrase)` when right."""

    unlocked = Signal(object)

    def __init__(self, check: Check, intro: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = check
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("Passphrase")
        self.field.setAccessibleName("Passphrase")
        self.field.returnPressed.connect(self.attempt)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.attempt)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Why the memory stayed locked")
        for text in (self.intro, self.error):  # room for two lines: a wrapped label is not given it by every layout
            text.setMinimumHeight(2 * text.fontMetrics().lineSpacing() + 4)
        line = QHBoxLayout()
        line.addWidget(self.field, 1)
        line.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(line)
        layout.addWidget(self.error)

    def attempt(self) -> None:
        text = self.field.text()
        if not text:
            self.error.setText("Type your passphrase to unlock the memory.")
            return
        try:
            passphrase = self.check(text)
        except Exception as exc:  # the sentence from the check (wrong, too short, a damaged key file)
            self.error.setText(str(exc))
            self.field.selectAll()
            self.field.setFocus()
            return
        self.field.clear()
        self.error.clear()
        self.unlocked.emit(passphrase)


class UnlockDialog(QDialog):
    """Asked at start, before the memory opens; `passphrase` is set when it was right."""

    def __init__(self, check: Check, folder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Unlock Mnemo")
        self.setObjectName("unlockDialog")
        self.passphrase = None
        self.panel = UnlockPanel(check, f"Your memory in {folder} is encrypted. Type your passphrase to open it.")
        self.panel.unlocked.connect(self._unlocked)
        buttons = QDialogButtonBox()
        quit_button = buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())
        self.panel.field.setFocus()

    def _unlocked(self, passphrase) -> None:
        self.passphrase = passphrase
        self.accept()


class LockScreen(QWidget):
    """Covers the window while Mnemo is locked; `unlocked` when the passphrase was typed."""

    unlocked = Signal()

    def __init__(self, check: Check, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        title = QLabel("Mnemo is locked")
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.panel = UnlockPanel(check, "Your memory is encrypted and locked. Type your passphrase to go on; "
                                 "other programs cannot use it meanwhile.")
        self.panel.setFixedWidth(520)
        self.panel.unlocked.connect(lambda _passphrase: self.unlocked.emit())
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.hide()

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.panel.field.setFocus()
