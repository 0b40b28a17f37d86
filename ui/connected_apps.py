"""Other programs and the memory (MCP, `mnemo mcp`): the prompt when one asks to use it (read
only, read and write, or deny; remembered), and Memory ▸ Connected Apps…, which lists the
allowed programs with their last use and takes access away (a page of Preferences). The list lives in the data folder
(app/clients.py); the bridge's data operations read and change it off the GUI thread."""
from __future__ import annotations

from PySide6.QtWidgets import (
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


def ask_consent(parent: QWidget, bridge, name: str) -> QMessageBox:
    """A program asked to use the memory: read only, read and write, or deny (nothing saved)."""
    box = QMessageBox(QMessageBox.Icon.Question, "A program asks to use your memory",
                      f"“{name}” asks to use your memory through Mnemo.", QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText("Read only: it can look things up and ask. Read and write: it can also remember and "
                           "forget (what it writes is marked as its own and checked by the guard). You can take "
                           "access away in Preferences ▸ Connected Apps (Memory ▸ Connected Apps…).")
    box.read_button = box.addButton("Read Only", QMessageBox.ButtonRole.AcceptRole)
    box.write_button = box.addButton("Read and Write", QMessageBox.ButtonRole.AcceptRole)
    box.deny_button = box.addButton("Deny", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(box.deny_button)

    def answered(_result: int) -> None:
        chosen = box.clickedButton()
        if chosen in (box.read_button, box.write_button):
            bridge.allow_client(name, chosen is box.write_button)
    box.finished.connect(answered)
    box.open()
    return box


class ConnectedAppsPanel(QWidget):
    """The programs allowed to use the memory, their access and last use; Take Access Away."""

    def __init__(self, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName("connectedAppsPanel")
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Program", "Access", "Last used"])
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Programs that may use your memory")
        self.list.itemSelectionChanged.connect(lambda: self.revoke_button.setEnabled(bool(self.list.selectedItems())))
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.revoke_button = QPushButton("Take Access Away")
        self.revoke_button.setEnabled(False)
        self.revoke_button.clicked.connect(self.revoke_selected)
        row = QHBoxLayout()
        row.addWidget(self.revoke_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel("Programs on this computer that may use your memory over MCP (`mnemo mcp`). "
                       "A program not listed is refused until you allow it.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        if not self.bridge.can_move_data:  # (a window without the data folder's operations, as in some tests)
            self.note.setText("The programs allowed to use your memory cannot be listed here.")
            return
        self.bridge.connected_apps(self._show, self._failed)

    def _show(self, clients) -> None:
        self.list.clear()
        for c in clients:
            QTreeWidgetItem(self.list, [c.name, "read and write" if c.write else "read only",
                                        (c.last_used or "never").replace("T", " ")[:16]])
        for column in range(3):
            self.list.resizeColumnToContents(column)
        if not clients and not self.note.text():
            self.note.setText("No program may use your memory. When one asks, Mnemo asks you.")

    def revoke_selected(self) -> None:
        items = self.list.selectedItems()
        if items:
            name = items[0].text(0)
            self.bridge.revoke_client(name, lambda _r: (self.note.setText(f"{name} may no longer use your memory."),
                                                        self.refresh()), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.note.setText(error_text(exc))
