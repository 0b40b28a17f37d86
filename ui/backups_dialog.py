"""File ▸ Backups…: the store's backups (before upgrades, before restores, daily), "Back up
now", "Restore…", which replaces the memory with a backup the next time Mnemo starts (the
memory as it is then is backed up first, so a restore can be undone), and "Delete…" (for good,
e.g. a damaged backup a purge could not rewrite)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .display import error_text
from .workers import MnemoBridge

LABELS = {"scheduled": "daily", "manual": "made by you", "before-restore": "before a restore"}


class BackupsDialog(QDialog):
    def __init__(self, bridge: MnemoBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle("Backups")
        self.setObjectName("backupsDialog")
        self.resize(620, 360)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Taken", "Size", "Why", "Name"])
        self.list.setRootIsDecorated(False)
        self.list.itemSelectionChanged.connect(self._selection)
        self.pending = QLabel("")
        self.pending.setWordWrap(True)
        self.now_button = QPushButton("Back Up Now")
        self.now_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected backup for good")
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QPushButton("Do Not Restore")
        self.undo_button.clicked.connect(lambda: self.bridge.request_restore(None, lambda _n: self.refresh(),
                                                                             self._failed))
        buttons = QHBoxLayout()
        for button in (self.now_button, self.restore_button, self.delete_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Copies of the whole memory, kept in the data folder. The newest daily copies "
                                "are kept (a week's worth by default); the others stay."))
        layout.addWidget(self.list)
        layout.addWidget(self.pending)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.names: list[str] = []
        self.note = ""  # what the last action did, shown below the list
        self.refresh()

    def refresh(self) -> None:
        self.bridge.backups(self._show, self._failed)

    def _show(self, found) -> None:
        backups, pending = found
        self.list.clear()
        self.names = [b.name for b in backups]
        for b in backups:
            when = b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
            QTreeWidgetItem(self.list, [when, f"{b.bytes / 1e6:.1f} MB", LABELS.get(b.label, b.label), b.name])
        for column in range(4):
            self.list.resizeColumnToContents(column)
        self.pending.setText(f"“{pending}” will be restored when Mnemo next starts." if pending else
                             self.note or ("" if backups else "No backups yet."))
        self.undo_button.setVisible(bool(pending))
        self._selection()

    def _selection(self) -> None:
        self.restore_button.setEnabled(bool(self.list.selectedItems()))
        self.delete_button.setEnabled(bool(self.list.selectedItems()))

    def delete_selected(self) -> None:
        items = self.list.selectedItems()
        if not items:
            return
        name, taken = items[0].text(3), items[0].text(0)
        answer = QMessageBox.question(self, "Delete this backup?", f"Delete the backup taken {taken} for good?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(deleted: str) -> None:
            self.note = f"Deleted the backup {deleted}."
            self.refresh()
        self.bridge.delete_backup(name, done, self._failed)

    def back_up_now(self) -> None:
        self.now_button.setEnabled(False)

        def done(path) -> None:
            self.now_button.setEnabled(True)
            self.refresh()
        self.bridge.backup_now(done, self._failed)

    def restore_selected(self) -> None:
        items = self.list.selectedItems()
        if not items:
            return
        name = items[0].text(3)
        if self.bridge.is_damaged or self.bridge.open_error is not None:
            self._restore_now(name, items[0].text(0))
            return
        answer = QMessageBox.question(
            self, "Restore this backup?",
            f"Replace the memory with the backup taken {items[0].text(0)}?\n\nIt happens when Mnemo next starts. "
            "The memory as it is then is backed up first, so you can go back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.bridge.request_restore(name, lambda _n: self.refresh(), self._failed)

    def _restore_now(self, name: str, taken: str) -> None:
        """A damaged (or unopened) memory is replaced at once, and opened again."""
        answer = QMessageBox.question(
            self, "Restore this backup now?",
            f"Replace the damaged memory with the backup taken {taken}, and open it?\n\nThe damaged memory is kept "
            "as a backup first.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_button.setEnabled(False)

        def done(safety: str) -> None:
            self.note = (f"Restored. The damaged memory is kept as the backup {safety}." if safety else
                         "Restored.")
            self.refresh()
        self.bridge.restore_and_reopen(name, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.now_button.setEnabled(True)
        QMessageBox.warning(self, "Backups", error_text(exc))
