"""Preferences ▸ Privacy: encryption at rest. Encrypt… (a passphrase, or a key kept in the system
keyring), Change Passphrase…, Decrypt…, and locking the window after a while without input
(ui/privacy_lock.py). The memory and its backups are converted with a progress dialog; nothing is
lost if it is cut short (the next start finishes it: core/memory/encryption.py)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from core.memory.keys import Passphrase

from .display import error_text
from .prefs_common import Page, label, row
from .progress import progress_dialog
from .privacy_lock import LOCK_CHOICES

OFF = ("Your memory is not encrypted: anyone who can read this computer's disk, or a copy or backup of it, can read "
       "your memories.")
ON = {"passphrase": "Your memory and its backups are encrypted (AES-256). Mnemo asks for your passphrase when it "
                    "starts. Without it nobody can read them — and neither can you: keep it safe.",
      "keyring": "Your memory and its backups are encrypted (AES-256). The key is kept in your system keyring, "
                 "which unlocks it when you log in."}


class PassphraseDialog(QDialog):
    """A new passphrase typed twice; or (`allow_keyring`) the system keyring instead."""

    def __init__(self, title: str, keyring_problem: str | None, allow_keyring: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.secret = None
        self.use_passphrase = QRadioButton("Unlock with a passphrase I type when Mnemo starts")
        self.use_keyring = QRadioButton("Keep the key in the system keyring (no passphrase to type)")
        self.use_passphrase.setChecked(True)
        self.use_keyring.setEnabled(allow_keyring and keyring_problem is None)
        self.first, self.second = QLineEdit(), QLineEdit()
        for field, name in ((self.first, "New passphrase"), (self.second, "New passphrase again")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setPlaceholderText(name)
            field.setAccessibleName(name)
        self.use_keyring.toggled.connect(lambda on: [f.setEnabled(not on) for f in (self.first, self.second)])
        self.problem = label()
        self.problem.setObjectName("errorText")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.use_passphrase)
        layout.addWidget(self.first)
        layout.addWidget(self.second)
        if allow_keyring:
            layout.addWidget(self.use_keyring)
            if keyring_problem:
                layout.addWidget(label(keyring_problem))
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if self.use_keyring.isChecked():
            self.secret = None
            self.accept()
            return
        if self.first.text() != self.second.text():
            self.problem.setText("The two passphrases differ.")
            return
        try:
            self.secret = Passphrase(self.first.text())
        except Exception as exc:  # too short
            self.problem.setText(str(exc))
            return
        self.accept()


class PrivacyPage(Page):
    title = "Privacy"

    def __init__(self, dialog):
        super().__init__(dialog)
        self.status = None
        self.status_label = label("Reading…")
        self.encrypt_button = QPushButton("Encrypt…")
        self.passphrase_button = QPushButton("Change Passphrase…")
        self.decrypt_button = QPushButton("Decrypt…")
        self.encrypt_button.clicked.connect(self.start_encrypting)
        self.passphrase_button.clicked.connect(self.change_passphrase)
        self.decrypt_button.clicked.connect(self.start_decrypting)
        self.lock_box = QComboBox()
        self.lock_box.addItems([text for text, _ in LOCK_CHOICES])
        self.lock_now_button = QPushButton("Lock Now")
        lock = self.lock
        if lock is not None:
            minutes = lock.minutes()
            self.lock_box.setCurrentIndex(next((i for i, (_, m) in enumerate(LOCK_CHOICES) if m == minutes), 0))
            self.lock_now_button.clicked.connect(lock.lock)
        self.lock_box.currentIndexChanged.connect(self._set_lock_after)
        self.note = label()
        self.add(self.status_label, row(self.encrypt_button, self.passphrase_button, self.decrypt_button),
                 row(label("Lock the window:", self.lock_box), self.lock_box, self.lock_now_button),
                 label("Locking covers the window until your passphrase is typed; meanwhile other programs cannot "
                       "use your memory. It needs encryption with a passphrase."), self.note)
        self.end()
        self.refresh()

    @property
    def lock(self):
        return getattr(self.window, "privacy_lock", None)

    def refresh(self) -> None:
        for button in (self.encrypt_button, self.passphrase_button, self.decrypt_button):
            button.setEnabled(False)
        if not self.bridge.can_encrypt:
            self.status_label.setText("Encryption is set up by the Mnemo app.")
            return
        self.bridge.encryption_status(self._show, lambda exc: self.status_label.setText(error_text(exc)))

    def _show(self, status) -> None:
        self.status = status
        self.status_label.setText(ON.get(status.method, OFF) if status.on else OFF)
        self.encrypt_button.setEnabled(not status.on)
        self.passphrase_button.setEnabled(status.on)
        self.decrypt_button.setEnabled(status.on)
        by_passphrase = status.on and status.method == "passphrase"
        self.lock_box.setEnabled(by_passphrase)
        self.lock_now_button.setEnabled(by_passphrase and self.lock is not None)
        if self.lock is not None:
            self.lock.set_enabled(by_passphrase)

    def _set_lock_after(self, index: int) -> None:
        if self.lock is not None:
            self.lock.set_minutes(LOCK_CHOICES[index][1])

    def _keyring_problem(self) -> str | None:
        ops = getattr(self.bridge, "data_ops", None)
        return ops.keyring_ready() if ops is not None else "There is no system keyring here."

    def start_encrypting(self) -> None:
        ask = PassphraseDialog("Encrypt Your Memory", self._keyring_problem(), allow_keyring=True, parent=self)
        if ask.exec() != QDialog.DialogCode.Accepted:
            return
        self._convert("Encrypting your memory and its backups…",
                      lambda progress, done, failed: self.bridge.encrypt(ask.secret, progress, done, failed),
                      "Your memory and its backups are encrypted.")

    def start_decrypting(self) -> None:
        sure = QMessageBox.question(self, "Decrypt Your Memory", "Store your memory and its backups in the clear "
                                    "again? Anyone who can read this computer's disk could then read them.")
        if sure != QMessageBox.StandardButton.Yes:
            return
        self._with_current_passphrase("Decrypt Your Memory", lambda: self._convert(
            "Decrypting your memory and its backups…",
            lambda progress, done, failed: self.bridge.decrypt(progress, done, failed),
            "Your memory and its backups are stored in the clear again."))

    def change_passphrase(self) -> None:
        self._with_current_passphrase("Change Passphrase", self._ask_new_passphrase)

    def _ask_new_passphrase(self) -> None:
        ask = PassphraseDialog("Change Passphrase", self._keyring_problem(), allow_keyring=True, parent=self)
        if ask.exec() != QDialog.DialogCode.Accepted:
            return
        self.bridge.change_passphrase(ask.secret, lambda status: self._done(status, "From now on your memory unlocks "
                                      "with the new passphrase." if ask.secret else "From now on the system keyring "
                                      "unlocks your memory."), self._failed)

    def _with_current_passphrase(self, title: str, then) -> None:
        """Someone at an unlocked window must know the passphrase to change it or turn encryption off."""
        if self.status is None or self.status.method != "passphrase":
            then()
            return
        text, given = QInputDialog.getText(self, title, "Your current passphrase:", QLineEdit.EchoMode.Password)
        if given:
            self.bridge.check_current_passphrase(text, lambda _passphrase: then(), self._failed)

    def _convert(self, title: str, start, said: str) -> None:
        # no Cancel: a conversion cut short would be finished at the next start anyway
        self.progress = progress_dialog(title, "Encryption", self)

        def progress(stage: str, done: int, total: int) -> None:
            self.progress.setLabelText(f"{title}\n{done:,} of {total:,} memories" if stage == "memories"
                                       else f"{title}\nThe backups…")
            self.progress.setValue(int(1000 * done / max(total, 1)))

        def done(status) -> None:
            self.progress.close()
            self._done(status, said)

        def failed(exc) -> None:
            self.progress.close()
            self._failed(exc)
        start(progress, done, failed)

    def _done(self, status, said: str) -> None:
        self._show(status)
        said = f"{said} {status.warning()}".strip()
        self.note.setText(said)
        self.window.notify(said)

    def _failed(self, exc) -> None:
        self.note.setText(error_text(exc))
        self.refresh()
