"""When the memory is damaged: what is wrong (the store's own sentence), and the two ways out —
put a good backup in its place (File ▸ Backups…), or keep what is readable (a repair, after
the damaged store is saved as a backup as it is)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from .display import error_text


def in_app_words(message: str, readable: bool) -> str:
    """The store's sentence, with the ways out named as the app's buttons instead of commands."""
    head = message
    for cut in (" The newest good backup", " No good backup"):
        head = head.split(cut, 1)[0]
    good = message.split("The newest good backup is ", 1)[1].split(":", 1)[0] if "newest good backup" in message \
        else None
    ways = (f"Restore a Backup… puts a good copy in its place (the newest good one is {good}); the damaged memory "
            "is kept as a backup first." if good else "No good backup was found; File ▸ Backups… lists them all.")
    if readable:
        ways += " Keep What Is Readable keeps every memory that passed its checks."
    return f"{head} {ways}"


def repaired_text(report) -> str:
    kept = f"{report.kept:,} {'memory' if report.kept == 1 else 'memories'}"
    left = len(report.dropped)
    out = ("nothing was left out" if not left else
           f"{left:,} damaged {'memory was' if left == 1 else 'memories were'} left out")
    return (f"The memory was repaired: {kept} kept, {out}. The memory as it was is saved as the backup "
            f"{report.backup.name}; it takes new memories again.")


class DamageDialog(QDialog):
    def __init__(self, bridge, message: str, open_backups, parent: QWidget | None = None):
        """`open_backups()`: shows the Backups dialog."""
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle("The memory needs attention")
        self.setObjectName("damageDialog")
        text = QLabel(in_app_words(message, bridge.mnemo is not None))
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
        self.repaired = repaired_text(report)
        show_info = getattr(getattr(self.parentWidget(), "chat", None), "show_info", None)
        if show_info is not None:
            show_info(self.repaired)
        self._tell(QMessageBox.Icon.Information, "Memory repaired", repaired_text(report), self.parentWidget())

    def _failed(self, exc: BaseException) -> None:
        self.keep_button.setEnabled(True)
        self._tell(QMessageBox.Icon.Warning, "Nothing was repaired", error_text(exc), self)

    @staticmethod
    def _tell(icon, title: str, text: str, parent) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("repairReport")
        box.open()  # not exec(): the app keeps running while it is shown
        return box
