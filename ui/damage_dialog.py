"""When the memory is damaged: what is wrong (the store's own sentence), and the two ways out —
put a good backup in its place (File ▸ Backups…), or keep what is readable (a repair, after
the damaged store is saved as a backup as it is)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from .display import error_text


class DamageDialog(QDialog):
    def __init__(self, bridge, message: str, open_backups, parent: QWidget | None = None):
        """`open_backups()`: shows the Backups dialog."""
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle("The memory needs attention")
        self.setObjectName("damageDialog")
        text = QLabel(message)
        text.setWordWrap(True)
        text.setObjectName("damageText")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = self.buttons.addButton("Restore a Backup…", QDialogButtonBox.ButtonRole.ActionRole)
        self.keep_button = self.buttons.addButton("Keep What Is Readable", QDialogButtonBox.ButtonRole.ActionRole)
        self.keep_button.setVisible(bridge.mnemo is not None)  # nothing is readable when it did not open
        self.restore_button.clicked.connect(lambda: (self.accept(), open_backups()))
        self.keep_button.clicked.connect(self.keep_readable)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.buttons)
        self.resize(560, 220)

    def keep_readable(self) -> None:
        self.keep_button.setEnabled(False)
        self.bridge.keep_readable(self._kept, self._failed)

    def _kept(self, report) -> None:
        self.accept()
        self._tell(QMessageBox.Icon.Information, "Memory repaired",
                   f"Kept {report.kept:,} memories and left out {len(report.dropped):,} that were damaged. The "
                   f"memory as it was is saved as the backup {report.backup.name}.", self.parentWidget())

    def _failed(self, exc: BaseException) -> None:
        self.keep_button.setEnabled(True)
        self._tell(QMessageBox.Icon.Warning, "Nothing was repaired", error_text(exc), self)

    @staticmethod
    def _tell(icon, title: str, text: str, parent) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("repairReport")
        box.open()  # not exec(): the app keeps running while it is shown
        return box
