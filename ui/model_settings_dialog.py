"""A model's settings (Language Models ▸ Settings…): context, threads, temperature and answer
length, each defaulting from the model's own GGUF metadata and this computer; what the user
changes is kept per model, and the model that answers is loaded again with it."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .display import error_text


class ModelSettingsDialog(QDialog):
    def __init__(self, bridge, path: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.path = path
        self.setWindowTitle(f"Settings of {title}")
        self.setObjectName("modelSettingsDialog")
        self.context = QSpinBox()
        self.context.setRange(512, 131072)
        self.context.setSingleStep(512)
        self.context.setToolTip("Tokens the prompt and the answer share; more costs memory")
        self.threads = QSpinBox()
        self.threads.setRange(1, 256)
        self.threads.setToolTip("CPU threads the model uses (default: this computer's physical cores)")
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setToolTip("0 gives the same answer to the same question; higher varies the wording")
        self.answer_tokens = QSpinBox()
        self.answer_tokens.setRange(16, 2048)
        self.answer_tokens.setToolTip("The longest answer, in tokens")
        self.note = QLabel("Reading the model's defaults…")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Context (tokens):", self.context)
        form.addRow("Threads:", self.threads)
        form.addRow("Temperature:", self.temperature)
        form.addRow("Longest answer (tokens):", self.answer_tokens)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.reset_button = QPushButton("Use the Model's Defaults")
        self.buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.reset_button.clicked.connect(lambda: self.save(reset=True))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.buttons.setEnabled(False)
        bridge.model_settings(path, self._show, self._failed)

    def _show(self, result) -> None:
        settings, changed = result
        self.context.setValue(settings.context)
        self.threads.setValue(settings.threads)
        self.temperature.setValue(settings.temperature)
        self.answer_tokens.setValue(settings.answer_tokens)
        self.shown = settings
        self.note.setText("Changed by you: " + ", ".join(sorted(changed)) if changed else
                          "These are the defaults read from the model's file and this computer.")
        self.buttons.setEnabled(True)

    def values(self) -> dict:
        return {"context": self.context.value(), "threads": self.threads.value(),
                "temperature": round(self.temperature.value(), 2), "answer_tokens": self.answer_tokens.value()}

    def save(self, reset: bool = False) -> None:
        shown = getattr(self, "shown", None)
        changes = {} if reset else {k: v for k, v in self.values().items()
                                    if shown is None or getattr(shown, k) != v}
        if not reset and not changes:
            self.accept()
            return
        self.buttons.setEnabled(False)
        self.note.setText("Saving…")
        self.bridge.change_model_settings(self.path, changes, reset, lambda _s: self.accept(), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.note.setText(error_text(exc))
        self.buttons.setEnabled(True)
