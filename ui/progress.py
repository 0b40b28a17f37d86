"""The progress dialog of a long job (an import, moving the memory, encrypting it): window-modal,
shown at once, left open until the job says it ended; Cancel calls `on_cancel` (no Cancel button
when there is none: a job that must run to its end)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget


def progress_dialog(text: str, title: str, parent: QWidget, maximum: int = 1000,
                    on_cancel: Callable[[], None] | None = None, name: str = "") -> QProgressDialog:
    dialog = QProgressDialog(text, "Cancel" if on_cancel is not None else "", 0, maximum, parent)
    if name:
        dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if on_cancel is None:
        dialog.setCancelButton(None)
    else:
        dialog.canceled.connect(on_cancel)
    dialog.show()
    return dialog
