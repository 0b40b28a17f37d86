"""Preferences ▸ Data Folder ▸ Move…: the user picks an empty folder; Mnemo says at once if it
cannot take the memory (and why), asks before it starts, copies with a progress bar and Cancel
(the copy is checked before anything changes), then restarts in the new folder (the window's
data_moved signal; app/gui.py). The copying and checking are app/data_move.py's, on a worker."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from .display import error_text
from .progress import progress_dialog


def megabytes(n: int) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{max(n, 1) / 1e3:,.0f} KB"


class MoveFlow(QObject):
    """One move, from choosing the folder to the restart. `finished(sentence)` says how it ended."""

    finished = Signal(str)

    def __init__(self, bridge, window, parent: QWidget):
        super().__init__(parent)
        self.bridge, self.window, self.parent_widget = bridge, window, parent
        self.progress: QProgressDialog | None = None
        self.handle = None
        self.box: QMessageBox | None = None
        self.target: Path | None = None

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.parent_widget, "Move your memory to an empty folder",
                                                  str(Path.home()))
        if folder:
            self.check(folder)

    def check(self, folder: str | Path) -> None:
        """Is `folder` fit? Then ask; else say why (nothing changes)."""
        self.target = Path(folder)
        self.bridge.check_move(self.target, self._confirm, self._refused)

    def _refused(self, exc) -> None:
        self._tell(QMessageBox.Icon.Warning, "The memory was not moved", error_text(exc))
        self.finished.emit(error_text(exc))

    def _confirm(self, size: int) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Move your memory",
                          f"Move your memory ({megabytes(size)}) to {self.target}?", QMessageBox.StandardButton.NoButton,
                          self.parent_widget)
        box.setInformativeText("Mnemo copies it there and checks the copy; only then does it use the new folder, "
                               "restarting to do so. Until the copy checks out, your memory stays where it is.")
        self.move_button = box.addButton("Move", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("moveConfirm")
        box.rejected.connect(lambda: self.finished.emit("Nothing was moved."))
        box.buttonClicked.connect(lambda button: self.start() if button is self.move_button else None)
        self.box = box
        box.open()

    def start(self) -> None:
        if self.handle is not None:
            return
        self.progress = progress_dialog(f"Copying your memory to {self.target}…", "Moving your memory",
                                        self.parent_widget, on_cancel=self.cancel, name="moveProgress")
        self.handle = self.bridge.move_data(self.target, self._progress, self._moved, self._failed)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            if self.progress is not None:
                self.progress.setLabelText("Cancelling… (removing the copy)")

    def _progress(self, done: int, total: int) -> None:
        if self.progress is not None and not self.progress.wasCanceled():
            self.progress.setValue(int(1000 * done / max(total, 1)))
            if done >= total:
                self.progress.setLabelText("Checking the copy…")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
        self.handle = None

    def _failed(self, exc) -> None:
        self._close_progress()
        self._tell(QMessageBox.Icon.Warning, "The memory was not moved", error_text(exc))
        self.finished.emit(error_text(exc))

    def _moved(self, new_folder) -> None:
        self._close_progress()
        from . import autostart

        try:
            if autostart.is_enabled():  # start at login in the new folder
                autostart.enable(Path(new_folder))
        except OSError:
            pass  # the old entry still finds it (the old folder's signpost)
        old = str(getattr(self.bridge, "data_dir", None) or self.bridge.mnemo.data_dir)
        sentence = (f"Your memory was copied to {new_folder} and checked. Mnemo now restarts to use it; the old "
                    f"folder {old} is then emptied.")
        self.box = self._tell(QMessageBox.Icon.Information, "Memory moved", sentence)
        self.box.finished.connect(lambda _r: self.window.data_moved.emit(old, str(new_folder)))
        self.finished.emit(sentence)

    def _tell(self, icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.parent_widget)
        box.setObjectName("moveResult")
        box.open()
        self.box = box
        return box
