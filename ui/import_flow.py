"""File ▸ Import… (Ctrl+I) and File ▸ Import Notes Folder…: choose a file (or a folder of
Markdown or text notes, such as an Obsidian vault), give the passphrase when the archive needs
one, say which speaker is you in a chat between people, watch the progress (Cancel leaves the
memory exactly as it was), read the report."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QProgressDialog, QPushButton

from core.errors import NOBODY, MnemoError, WhoIsMe
from core.transfer.crypto import DecryptError, Passphrase, is_encrypted, needs_passphrase

from .display import error_text
from .progress import progress_dialog
from .workers import MnemoBridge

if TYPE_CHECKING:
    from .shell import Shell

FILTERS = ("Everything Mnemo imports (*.mnemo *.zip *.json *.jsonl *.txt *.md);;Mnemo archives (*.mnemo);;"
           "Assistants' and chat apps' exports (*.zip *.json *.jsonl *.txt);;JSON Lines (*.jsonl);;"
           "Transcripts (*.txt *.md);;All files (*)")
STAGES = {"Reading": "Reading the file", "Saving": "Saving to memory", "Facts": "Finding the facts in what was said"}


class ImportFlow(QObject):
    def __init__(self, bridge: MnemoBridge, window: "Shell"):
        super().__init__(window)
        self.bridge = bridge
        self.window = window
        self.handle = None
        self.progress: QProgressDialog | None = None
        self.last_report = None
        self.action = QAction("Import…", window)
        self.action.setShortcut(QKeySequence("Ctrl+I"))
        tip = ("Bring in a Mnemo archive, another assistant's export (ChatGPT, Claude, Gemini...), a chat "
               "app's (WhatsApp, Telegram...), a transcript or JSON Lines")
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
        self.action.setEnabled(bridge.can_move_data)
        self.action.triggered.connect(self.choose)
        self.folder_action = QAction("Import Notes Folder…", window)
        tip = "Bring in a folder of Markdown or text notes, such as an Obsidian vault: each file becomes a note"
        self.folder_action.setStatusTip(tip)
        self.folder_action.setToolTip(tip)
        self.folder_action.setEnabled(bridge.can_move_data)
        self.folder_action.triggered.connect(self.choose_folder)

    def choose(self) -> None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
        path, _ = QFileDialog.getOpenFileName(self.window, "Import into Mnemo", start, FILTERS)
        if path:
            self.start(path)

    def choose_folder(self) -> None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path = QFileDialog.getExistingDirectory(self.window, "Import a Notes Folder into Mnemo", start)
        if path:
            self.start(path)

    def start(self, path: str | Path, passphrase: Passphrase | None = None, me: str | None = None,
              format: str | None = None) -> bool:
        """Import `path`; asks for a passphrase first when the archive needs one. False when
        the user gave up before it began."""
        path = Path(path)
        if passphrase is None and self._needs_passphrase(path):
            passphrase = self.ask_passphrase(path.name)
            if passphrase is None:
                return False
        self.action.setEnabled(False)
        self.folder_action.setEnabled(False)
        self.progress = progress_dialog(f"Reading {path.name}…", "Importing", self.window, maximum=0,
                                        on_cancel=self.cancel)
        self.handle = self.bridge.import_file(path, format, passphrase, self._progress, self._done,
                                              lambda exc: self._failed(exc, path, passphrase, me, format), me=me)
        return True

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            if self.progress is not None:
                self.progress.setLabelText("Cancelling… nothing will be changed.")

    def ask_passphrase(self, name: str, again: bool = False) -> Passphrase | None:
        prompt = ("That passphrase did not open it. Try again:" if again else
                  f"{name} is encrypted with a passphrase. Passphrase:")
        while True:
            text, ok = QInputDialog.getText(self.window, "Encrypted archive", prompt, QLineEdit.EchoMode.Password)
            if not ok:
                return None
            try:
                return Passphrase(text)
            except MnemoError as exc:
                prompt = f"{exc} Passphrase:"

    def ask_date_order(self, name: str) -> str | None:
        """Day or month first, when the file's dates read both ways; None when the user cancels."""
        choices = {"Day first (31/12/2023)": "whatsapp-dmy", "Month first (12/31/2023)": "whatsapp-mdy"}
        choice, ok = QInputDialog.getItem(self.window, "Which date order?",
                                          f"The dates in {name} can be read day first or month first, and both make "
                                          "sense. How does your phone write the 31st of December?",
                                          list(choices), 0, False)
        if not ok:
            self.window.notify("Import cancelled; nothing was changed")
            return None
        return choices[choice]

    def ask_me(self, name: str, speakers: list[str]) -> str | None:
        """Which speaker is the user; None when the user cancels (nothing is imported)."""
        nobody = "None of them"
        choice, ok = QInputDialog.getItem(self.window, "Which one is you?",
                                          f"Several people wrote in {name}. Which one is you? What you said "
                                          "becomes your own memories; the others' words keep their names.",
                                          [*speakers, nobody], 0, False)
        if not ok:
            self.window.notify("Import cancelled; nothing was changed")
            return None
        return NOBODY if choice == nobody else choice

    @staticmethod
    def _needs_passphrase(path: Path) -> bool:
        try:
            with open(path, "rb") as handle:
                head = handle.read(8192)
            return is_encrypted(head) and needs_passphrase(head)
        except (OSError, MnemoError):
            return False  # the import itself says what is wrong with the file

    # ------------------------------------------------------------------ from the worker
    def _progress(self, stage: str, done: int, total: int) -> None:
        if self.progress is None or (self.handle is not None and self.handle.cancelled):
            return
        if stage == "Facts" and self.progress.findChild(QPushButton) is not None:
            self.progress.setCancelButton(None)  # the import is saved by now: there is nothing to cancel
        self.progress.setLabelText(f"{STAGES.get(stage, stage)}: {done:,} of {total:,}")
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _finish(self) -> None:
        self.action.setEnabled(self.bridge.can_move_data)
        self.folder_action.setEnabled(self.bridge.can_move_data)
        self.handle = None
        if self.progress is not None:
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    def _done(self, report) -> None:
        self._finish()
        self.last_report = report
        lines = report.lines()
        self.window.notify(lines[0])
        if not self.window.isActiveWindow():  # a long import finished while the user was elsewhere
            self.window.desktop_notice.emit(lines[0])
        box = QMessageBox(QMessageBox.Icon.Information, "Import finished", lines[0], QMessageBox.StandardButton.Ok,
                          self.window)
        box.setInformativeText("\n".join(lines[1:]))
        box.setObjectName("importReport")
        box.open()

    def _failed(self, exc: BaseException, path: Path, passphrase, me: str | None = None,
                format: str | None = None) -> None:
        cancelled = self.handle is not None and self.handle.cancelled
        self._finish()
        if cancelled:
            self.window.notify("Import cancelled; nothing was changed")
            return
        if isinstance(exc, WhoIsMe):  # a chat between people: which of them is the user?
            me = self.ask_me(path.name, exc.speakers)
            if me is not None:
                self.start(path, passphrase, me, format)
            return
        if "--format whatsapp-dmy" in str(exc):  # a chat whose dates read both ways: ask which
            order = self.ask_date_order(path.name)
            if order is not None:
                self.start(path, passphrase, me, order)
            return
        if isinstance(exc, DecryptError) and passphrase is not None and "passphrase is wrong" in str(exc):
            again = self.ask_passphrase(path.name, again=True)
            if again is not None:
                self.start(path, again)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Nothing was imported",
                          f"{path.name} could not be imported.", QMessageBox.StandardButton.Ok, self.window)
        box.setInformativeText(f"{error_text(exc)}\n\nYour memory was not changed.")
        box.setObjectName("importError")
        box.open()
