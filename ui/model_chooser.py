"""File ▸ Choose Language Model…: pick a GGUF file, load it in the background (questions
asked meanwhile wait for it), and tell the user how it went — in the chat, where the
"model missing" message was, and in the status bar. The loading itself is the bridge's
(MnemoBridge.switch_model, with the switcher app/gui.py injects); this module only asks."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from .chat_view import PLACEHOLDER
from .workers import MnemoBridge

if TYPE_CHECKING:
    from .shell import Shell

FILTERS = "GGUF models (*.gguf);;All files (*)"
NO_MODEL_PLACEHOLDER = ("No language model: answers quote your memories as they are. Choose one with "
                        "File → Choose Language Model…")


class ModelChooser(QObject):
    def __init__(self, bridge: MnemoBridge, window: "Shell"):
        super().__init__(window)
        self.bridge = bridge
        self.window = window
        self._last_dir: str | None = None
        self.action = QAction("Choose Language Model…", window)
        tip = "Answer with another GGUF language model file"
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
        self.action.setEnabled(bridge.can_switch_model)
        self.action.triggered.connect(self.choose)
        window.chat.choose_model_requested.connect(self.choose)
        bridge.model_switching.connect(self._switching)
        bridge.model_switched.connect(self._switched)
        bridge.model_switch_failed.connect(self._failed)

    def choose(self) -> None:
        """Ask for a file; a cancelled dialog changes nothing."""
        if not self.bridge.can_switch_model or self.bridge.switching_model:
            return
        path, _filter = QFileDialog.getOpenFileName(self.window, "Choose a Language Model",
                                                    self._start_dir(), FILTERS)
        if not path:
            return
        self._last_dir = str(Path(path).parent)
        self.bridge.switch_model(path)

    def _start_dir(self) -> str:
        """Where the last chosen file was, else the current model's folder, else Downloads."""
        current = getattr(getattr(self.bridge.mnemo, "model", None), "path", None)
        candidates = [self._last_dir, str(Path(current).parent) if current else None,
                      QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation),
                      str(Path.home())]
        return next((c for c in candidates if c and Path(c).is_dir()), "")

    # ------------------------------------------------------------------ bridge
    def _switching(self, path: str) -> None:
        self.action.setEnabled(False)
        self.window.notify(f"Loading {Path(path).name}…")

    def _switched(self, path: str) -> None:
        self.action.setEnabled(self.bridge.can_switch_model)
        message = f"Answers now use {Path(path).name}"
        self.window.chat.model_fixed()
        self.window.chat.show_info(f"{message}.")
        self.window.set_state_tip(path)
        self.window.notify(message)
        self.window.chat.input.setPlaceholderText(PLACEHOLDER)

    def _failed(self, message: str) -> None:
        self.action.setEnabled(self.bridge.can_switch_model)
        self.window.show_problem(message, offer_model=True)
