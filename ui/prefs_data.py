"""Preferences ▸ Data Folder: where the memory is kept, Show in Folder, and Move… (ui/move_dialog.py)."""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton

from .move_dialog import MoveFlow
from .prefs_common import Page, label, row


class DataFolderPage(Page):
    title = "Data Folder"

    def __init__(self, dialog):
        super().__init__(dialog)
        folder = getattr(self.bridge, "data_dir", None)
        self.folder_label = label(f"Your memory is kept in {folder}. It never leaves this computer unless you "
                                  "export it." if folder is not None else "Your memory is kept on this computer.")
        self.show_folder_button = QPushButton("Show in Folder")
        self.show_folder_button.setEnabled(folder is not None)
        self.show_folder_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        self.move_button = QPushButton("Move…")
        self.move_button.setToolTip("Move your memory to another folder or disk")
        self.move_button.setEnabled(folder is not None and self.bridge.can_move_data)
        self.move_button.clicked.connect(lambda: self.mover().choose())
        self.move_note = label()
        self.add(self.folder_label, row(self.show_folder_button, self.move_button),
                 label("Move… copies your memory to an empty folder you choose, checks the copy, and then "
                       "Mnemo restarts using it."),
                 label("Backups are under File ▸ Backups…; File ▸ Export… writes everything to one "
                       "archive, encrypted if you like."), self.move_note)
        self.end()

    def mover(self) -> MoveFlow:
        """A move of the memory, told on this page when it ends."""
        self.move_flow = MoveFlow(self.bridge, self.window, self.dialog)
        self.move_flow.finished.connect(self.move_note.setText)
        return self.move_flow
