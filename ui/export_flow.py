"""File ▸ Export… (Ctrl+E) and File ▸ Export as Markdown…: everything in one archive —
plain, encrypted with the key in the system keyring, or with a passphrase — or one readable
Markdown file per day."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import MnemoError
from core.transfer.crypto import Passphrase

from .display import error_text
from .workers import MnemoBridge

if TYPE_CHECKING:
    from .shell import Shell

PLAIN, KEYRING, PASSPHRASE = "plain", "keyring", "passphrase"


class ExportDialog(QDialog):
    """How to protect the archive. `secret()` is None, "keyring" or a Passphrase."""

    def __init__(self, keyring_problem: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export Memory")
        self.setObjectName("exportDialog")
        intro = QLabel("Everything Mnemo remembers — memories, their history, summaries, your portrait, "
                       "the guard's lessons and the memory settings — in one archive file.")
        intro.setWordWrap(True)
        self.plain = QRadioButton("Not encrypted")
        self.keyring = QRadioButton("Encrypted with a key kept in this computer's keyring")
        self.passphrase = QRadioButton("Encrypted with a passphrase (to open it on another computer)")
        self.choice = QButtonGroup(self)
        for button in (self.plain, self.keyring, self.passphrase):
            self.choice.addButton(button)
        short = (keyring_problem or "").split(";")[0].rstrip(".")
        self.keyring_note = QLabel(f"{short}: use a passphrase instead." if keyring_problem else "")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setObjectName("hint")
        self.keyring_note.setVisible(bool(keyring_problem))
        self.keyring.setEnabled(keyring_problem is None)
        (self.passphrase if keyring_problem else self.keyring).setChecked(True)
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password, placeholderText="at least 8 characters")
        self.second = QLineEdit(echoMode=QLineEdit.EchoMode.Password, placeholderText="the same again")
        form = QFormLayout()
        form.addRow("Passphrase:", self.first)
        form.addRow("Again:", self.second)
        self.problem = QLabel("")
        self.problem.setObjectName("error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.plain, self.keyring, self.keyring_note, self.passphrase):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for signal in (self.choice.buttonToggled, self.first.textChanged, self.second.textChanged):
            signal.connect(self._check)
        self._check()

    def mode(self) -> str:
        return PASSPHRASE if self.passphrase.isChecked() else KEYRING if self.keyring.isChecked() else PLAIN

    def secret(self):
        mode = self.mode()
        if mode == PLAIN:
            return None
        return "keyring" if mode == KEYRING else Passphrase(self.first.text())

    def _check(self, *_args) -> None:
        wants = self.mode() == PASSPHRASE
        self.first.setEnabled(wants)
        self.second.setEnabled(wants)
        problem = ""
        if wants:
            if len(self.first.text()) < 8:
                problem = "The passphrase must be at least 8 characters long."
            elif self.first.text() != self.second.text():
                problem = "The two passphrases differ."
        self.problem.setText(problem if wants and self.first.text() else "")
        self.export_button.setEnabled(not problem)


class ExportFlow(QObject):
    def __init__(self, bridge: MnemoBridge, window: "Shell"):
        super().__init__(window)
        self.bridge = bridge
        self.window = window
        self.dialog: ExportDialog | None = None
        self.action = QAction("Export…", window)
        self.action.setShortcut(QKeySequence("Ctrl+E"))
        self.action.setStatusTip("Write everything Mnemo remembers to one archive file")
        self.action.triggered.connect(self.choose)
        self.markdown_action = QAction("Export as Markdown…", window)
        self.markdown_action.setStatusTip("Write one readable Markdown file per day, with its summary")
        self.markdown_action.triggered.connect(self.choose_markdown)
        for action in (self.action, self.markdown_action):
            action.setToolTip(action.statusTip())
            action.setEnabled(bridge.can_move_data)

    def choose(self) -> None:
        self.dialog = ExportDialog(self.bridge.keyring_problem(), self.window)
        if self.dialog.exec() != QDialog.DialogCode.Accepted:
            return
        start = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        path, _ = QFileDialog.getSaveFileName(self.window, "Export Memory",
                                              str(start / f"mnemo-{date.today().isoformat()}.mnemo"),
                                              "Mnemo archives (*.mnemo);;All files (*)")
        if path:
            self.export(path, self.dialog.secret())

    def export(self, path: str | Path, secret) -> None:
        self.action.setEnabled(False)
        self.window.notify(f"Exporting to {Path(path).name}…")
        self.bridge.export_file(path, secret, self._done, self._failed)

    def choose_markdown(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Export as Markdown into…")
        if folder:
            self.export_markdown(folder)

    def export_markdown(self, folder: str | Path) -> None:
        self.markdown_action.setEnabled(False)
        self.bridge.export_markdown(folder, self._markdown_done, self._failed)

    def _done(self, summary) -> None:
        self.action.setEnabled(True)
        how = "encrypted" if summary.encrypted else "not encrypted"
        self._tell("Export finished", f"Exported {summary.memories:,} memories and {summary.history:,} history "
                   f"entries to {summary.path.name} ({how}, {summary.bytes / 1e6:.1f} MB).", str(summary.path))

    def _markdown_done(self, files) -> None:
        self.markdown_action.setEnabled(True)
        self._tell("Export finished", f"Wrote {len(files) - 1} day files and index.md.", str(files[0].parent))

    def _failed(self, exc: BaseException) -> None:
        self.action.setEnabled(True)
        self.markdown_action.setEnabled(True)
        box = QMessageBox(QMessageBox.Icon.Warning, "Nothing was exported", error_text(exc),
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("exportError")
        box.open()

    def _tell(self, title: str, text: str, where: str) -> None:
        self.window.notify(text)
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setInformativeText(where)
        box.setObjectName("exportDone")
        folder = Path(where) if Path(where).is_dir() else Path(where).parent
        box.show_button = box.addButton("Show in Folder", QMessageBox.ButtonRole.ActionRole)
        box.show_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        box.open()
        self.done_box = box


__all__ = ["ExportDialog", "ExportFlow", "MnemoError"]
