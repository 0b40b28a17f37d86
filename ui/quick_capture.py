"""Quick Capture: a small always-on-top box to jot a note. It opens prefilled with the
clipboard's text; Enter saves, Shift+Enter adds a line, Esc cancels."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from .text_entry_dialog import TextEntryDialog
from .workers import MnemoBridge

QUICK_CAPTURE = "quick_capture"
CLIPBOARD = "clipboard"
CLOSE_AFTER_MS = 900
HINT = "Enter saves · Esc cancels"


class QuickCaptureDialog(TextEntryDialog):
    saved = Signal(object)  # core CaptureResult

    def __init__(self, bridge: MnemoBridge, parent: QWidget | None = None):
        super().__init__(parent, "Jot down something to remember.", HINT, lines=4, input_name="captureInput",
                         save_tip="Remember this note (Enter)", cancel_tip="Close without saving (Esc)", width=500)
        self.bridge = bridge
        self.prefill = ""
        self.setWindowTitle("Quick Capture — Mnemo")
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setModal(False)
        self.input.setPlaceholderText("e.g. The spare key is in the blue flowerpot")

        self._close_timer = QTimer(self)
        self._close_timer.setSingleShot(True)
        self._close_timer.timeout.connect(self.accept)

    def open_capture(self) -> None:
        """Show the box, prefilled with the clipboard's text when it holds text."""
        self._close_timer.stop()
        self._saving = False
        self.prefill = (QGuiApplication.clipboard().text() or "").strip()
        self.input.setPlainText(self.prefill)
        self.input.selectAll()
        self.input.setEnabled(True)
        self.save_button.setEnabled(True)
        self._feedback(HINT, "muted")
        self.show()
        self.raise_()
        self.activateWindow()
        self.input.setFocus()

    def source(self, text: str) -> str:
        return CLIPBOARD if self.prefill and text == self.prefill else QUICK_CAPTURE

    def save(self) -> None:
        if self._saving:
            return
        text = self.input.toPlainText().strip()
        if not text:
            self._feedback("Type something to remember first.", "feedbackError")
            return
        self._begin_saving("Saving…" if self.bridge.is_open else "Saving… (Mnemo is still opening its memory)")
        self.bridge.add_note(text, self.source(text), self._saved, self._failed)

    def _saved(self, result) -> None:
        self._saving = False
        memory = result.memory
        if memory.state == "quarantined":
            self._feedback(f"Saved, but held back: {memory.guard_reason} See the Guard tab.", "feedbackError")
            self.saved.emit(result)
            return  # stays open so the warning can be read; Esc closes it
        self._feedback("Already remembered" if result.duplicate else "Saved", "feedbackOk")
        self.saved.emit(result)
        self._close_timer.start(CLOSE_AFTER_MS)
