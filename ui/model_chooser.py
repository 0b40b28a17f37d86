"""File ▸ Language Models… (the model library: ui/models_dialog.py), or, when the app has no
library, File ▸ Choose Language Model…: pick a GGUF file. Either way the model loads in the
background (questions asked meanwhile wait for it), and the user is told how it went — in the
chat, where the "model missing" message was, and in the status bar. The loading itself is the
bridge's (MnemoBridge.switch_model, with the switcher app/gui.py injects); this module only asks."""
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
        self.dialog = None  # the open Language Models dialog
        library = bridge.has_model_library
        self.action = QAction("Language Models…" if library else "Choose Language Model…", window)
        tip = ("Download, choose and set up the language model that answers" if library
               else "Answer with another GGUF language model file")
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
        self.action.setEnabled(bridge.can_switch_model)
        self.action.triggered.connect(lambda: self.choose())
        window.chat.choose_model_requested.connect(lambda: self.choose())
        bridge.model_switching.connect(self._switching)
        bridge.model_switched.connect(self._switched)
        bridge.model_switch_failed.connect(self._failed)

    def choose(self, select: str | None = None) -> None:
        """The model library (`select`: the model to show first), or a file; a cancelled
        dialog changes nothing."""
        if self.bridge.has_model_library:
            self.open_library(select)
            return
        if not self.bridge.can_switch_model or self.bridge.switching_model:
            return
        path, _filter = QFileDialog.getOpenFileName(self.window, "Choose a Language Model",
                                                    self._start_dir(), FILTERS)
        if not path:
            return
        self._last_dir = str(Path(path).parent)
        self.bridge.switch_model(path)

    # ------------------------------------------------------------------ first run
    def offer(self) -> None:
        """Once, when this computer could run a better model than the bundled one: say so in the
        chat, with Get It… (opens the library on it; the download starts only on its button) and
        Not Now (asked never again). The bundled model answers meanwhile."""
        if self.bridge.has_model_library and self.bridge.model_error is None:
            self.bridge.model_offer(self._offer, lambda _exc: None)

    def _offer(self, offer) -> None:
        if offer is None:
            return
        from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

        entry = offer.entry
        size = f"{entry.size_bytes / 1024 ** 3:.1f} GB" if entry.size_bytes >= 1024 ** 3 else \
            f"{entry.size_bytes / 1024 ** 2:.0f} MB"
        self.offer_bubble = bubble = self.window.chat.show_info(
            f"The model that came with Mnemo is small: it mostly quotes your notes. This computer can run "
            f"{entry.title} ({size} to download once; it {offer.why}), which reads your notes and answers in "
            f"its own words. It runs here too: nothing you ask leaves this computer.")
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 4, 0, 0)
        bubble.get_button = QPushButton(f"Get {entry.title}…")
        bubble.get_button.setToolTip("Open the model library on it; the download starts when you click Download")
        bubble.get_button.clicked.connect(lambda: self._accept_offer(entry.name))
        bubble.later_button = QPushButton("Not Now")
        bubble.later_button.setToolTip("Keep the bundled model; Mnemo will not ask again")
        bubble.later_button.clicked.connect(lambda: self._decline_offer(bubble))
        buttons.addWidget(bubble.get_button)
        buttons.addWidget(bubble.later_button)
        buttons.addStretch(1)
        bubble.layout().addWidget(row)

    def _accept_offer(self, name: str) -> None:
        self.bridge.answer_model_offer(True)
        self.offer_bubble.hide()
        self.open_library(select=name)

    def _decline_offer(self, bubble) -> None:
        self.bridge.answer_model_offer(False)
        bubble.hide()
        self.window.notify("Mnemo will not ask again; File ▸ Language Models… has them all.")

    def open_library(self, select: str | None = None):
        from .models_dialog import ModelsDialog

        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        self.dialog = ModelsDialog(self.bridge, self.window, select=select)
        self.dialog.open()
        return self.dialog

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
