"""Edit…: a small box with a memory's words to change. Enter saves (Shift+Enter adds a line),
Esc cancels; what Mnemo refuses (empty words) is said in the box, which stays open."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from .display import kind_name, when_text
from .text_entry_dialog import TextEntryDialog
from .workers import MnemoBridge

HINT = "Enter saves · Shift+Enter adds a line · Esc cancels"


class EditMemoryDialog(TextEntryDialog):
    edited = Signal(object, object)  # (the memory before, after)

    def __init__(self, bridge: MnemoBridge, memory, parent: QWidget | None = None):
        super().__init__(parent, f"What this {kind_name(memory.kind)} of {when_text(memory.created_at)} should say. "
                         "Its history keeps the old words; the facts drawn from it follow.", HINT, lines=6,
                         input_name="editInput", save_tip="Save the new words (Enter)",
                         cancel_tip="Close without changing it (Esc)", width=520)
        self.bridge = bridge
        self.memory = memory
        self.setWindowTitle("Edit Memory — Mnemo")
        self.setModal(True)
        self.input.setAccessibleName("Memory text")
        self.input.setToolTip(HINT)
        self.input.setPlainText(memory.text)

    def open_editing(self) -> None:
        self.open()
        self.input.setFocus()
        self.input.selectAll()

    def save(self) -> None:
        if self._saving:
            return
        text = self.input.toPlainText()
        if text.strip() == self.memory.text.strip():
            self.reject()  # nothing changed: nothing to write
            return
        self._begin_saving("Saving…")
        self.bridge.edit(self.memory.id, text, self._saved, self._failed)

    def _saved(self, result) -> None:
        self._saving = False
        self.edited.emit(*result)
        self.accept()
