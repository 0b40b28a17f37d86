"""File ▸ Language Models…: the model library, as GPT4All, Jan and LM Studio users expect.

The catalog's well-known models and those on this computer, each with its size, the memory it
needs, its licence and whether this computer runs it well; the recommended one marked. Use
makes a model answer; Download fetches a catalog model (only when clicked: the one network
access Mnemo makes), with progress, speed, time left and Cancel; Remove deletes a downloaded
file (an added one is only forgotten); Add a File… takes any GGUF from disk; Settings… changes
a model's context, threads, temperature and answer length. "Work offline" turns downloads off.
Everything runs through the bridge's model calls (ui/workers_models.py), off the GUI thread."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .display import error_text
from .model_settings_dialog import ModelSettingsDialog
from .workers import MnemoBridge

FILTERS = "GGUF models (*.gguf);;All files (*)"


def size_label(size: int | None) -> str:
    if not size:
        return "?"
    return f"{size / 1024 ** 3:.1f} GB" if size >= 1024 ** 3 else f"{size / 1024 ** 2:.0f} MB"


def status_text(row) -> str:
    if row.in_use:
        return "answers now"
    if row.installed:
        return {"bundled": "comes with Mnemo", "added": "a file you added"}.get(row.kind, "on this computer")
    if row.staged_bytes:
        return f"download paused at {size_label(row.staged_bytes)}"
    if row.recommended:
        return "recommended for this computer"
    return "" if row.runs_well else row.why


class ModelsDialog(QDialog):
    def __init__(self, bridge: MnemoBridge, parent: QWidget | None = None, select: str | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle("Language Models")
        self.setObjectName("modelsDialog")
        self.resize(760, 520)
        self.rows: list = []
        self.download = None  # the running DownloadHandle
        self._select = select
        self._shown_once = False
        self.machine = QLabel("")
        self.machine.setObjectName("muted")
        self.machine.setWordWrap(True)
        self.offline = QCheckBox("Work offline (never download)")
        self.offline.setToolTip("Mnemo makes no network connection at all, not even for a model you ask for")
        self.offline.toggled.connect(self._offline_toggled)
        self.list = QListWidget()
        self.list.setObjectName("modelList")
        self.list.setAccessibleName("Language models")
        self.list.setSpacing(3)
        self.list.currentRowChanged.connect(self._show_row)
        self.title = QLabel("")
        self.title.setObjectName("sectionTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.progress_text = QLabel("")
        self.progress_text.setObjectName("muted")
        self.progress_text.setWordWrap(True)
        self.use_button = self._button("Use", self.use_selected, "Answer with this model from now on")
        self.download_button = self._button("Download", self.download_selected,
                                            "Fetch this model from Hugging Face (the only connection Mnemo makes)")
        self.cancel_button = self._button("Cancel Download", self.cancel_download,
                                          "Stop the download; the next one resumes where it stopped")
        self.remove_button = self._button("Remove…", self.remove_selected, "Delete this model's file")
        self.settings_button = self._button("Settings…", self.open_settings,
                                            "Context, threads, temperature and answer length of this model")
        self.add_button = self._button("Add a File…", self.add_file, "Use a GGUF model file you already have")
        close = self._button("Close", self.reject, "Close the model library")

        side = QVBoxLayout()
        side.addWidget(self.title)
        side.addWidget(self.details)
        side.addStretch(1)
        side.addWidget(self.progress)
        side.addWidget(self.progress_text)
        actions = QHBoxLayout()
        for button in (self.use_button, self.download_button, self.cancel_button, self.remove_button,
                       self.settings_button):
            actions.addWidget(button)
        actions.addStretch(1)
        side.addLayout(actions)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(side, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.offline)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.machine)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self._update_buttons()
        self.refresh()

    def _button(self, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------------ the list
    def refresh(self) -> None:
        self.bridge.model_overview(self._show, self._failed)

    def _show(self, overview) -> None:
        selected = self._select or (self.current().name if self.current() is not None else None)
        self._select = None
        self.rows = list(overview.rows)
        self.machine.setText(f"This computer has {overview.machine}. Models run here, on this computer; "
                             "what you ask never leaves it.")
        if not self._shown_once:  # later, the box is what the user last set (a list read before may be stale)
            self.offline.blockSignals(True)
            self.offline.setChecked(overview.offline)
            self.offline.blockSignals(False)
        self._shown_once = True
        self.list.blockSignals(True)
        self.list.clear()
        for row in self.rows:
            status = status_text(row)
            item = QListWidgetItem(f"{row.title}\n{size_label(row.size_bytes)}" + (f" · {status}" if status else ""))
            item.setToolTip(row.why)
            if not row.runs_well and not row.installed:
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = [r.name for r in self.rows]
        in_use = next((i for i, r in enumerate(self.rows) if r.in_use), 0)
        self.list.setCurrentRow(names.index(selected) if selected in names else in_use)
        self._show_row(self.list.currentRow())

    def current(self):
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _show_row(self, _index: int) -> None:
        row = self.current()
        if row is None:
            self.title.setText("")
            self.details.setText("")
        else:
            self.title.setText(row.title)
            facts = [f"File: {row.file}", f"Size: {size_label(row.size_bytes)}"]
            if row.ram_bytes:
                facts.append(f"Memory needed: about {size_label(row.ram_bytes)}")
            if row.quantisation:
                facts.append(f"Quantisation: {row.quantisation}")
            if row.licence:
                facts.append(f"Licence: {row.licence}")
            facts.append(("Runs well here: " if row.runs_well else "Not for this computer: ") + row.why)
            if row.path:
                facts.append(f"On this computer: {row.path}")
            self.details.setText("\n".join(([row.notes, ""] if row.notes else []) + facts))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current()
        downloading = self.download is not None
        ready = self.bridge.is_ready and not self.bridge.switching_model
        self.use_button.setEnabled(bool(row and row.installed and not row.in_use and ready))
        self.download_button.setVisible(bool(row and not row.installed))
        self.download_button.setEnabled(bool(row and not row.installed and not downloading
                                             and not self.offline.isChecked()))
        self.download_button.setText("Resume Download" if row and row.staged_bytes else "Download")
        self.cancel_button.setVisible(downloading)
        self.remove_button.setEnabled(bool(row and row.installed and row.kind != "bundled"))
        self.settings_button.setEnabled(bool(row and row.installed))

    # ------------------------------------------------------------------ actions
    def use_selected(self) -> None:
        row = self.current()
        if row is None or not row.path:
            return
        self.progress_text.setText(f"Loading {row.title}…")
        self.use_button.setEnabled(False)
        self.bridge.switch_model(row.path, lambda _p: self._used(row), self._failed)

    def _used(self, row) -> None:
        self.progress_text.setText(f"{row.title} answers from now on.")
        self.refresh()

    def download_selected(self) -> None:
        row = self.current()
        if row is None or row.installed or self.download is not None:
            return
        self.progress.setValue(0)
        self.progress.show()
        self.progress_text.setText(f"Starting the download of {row.title} ({size_label(row.size_bytes)})…")
        self.download = self.bridge.download_model(row.name, self._progress, lambda path: self._downloaded(row, path),
                                                   self._download_failed)
        self._update_buttons()

    def _progress(self, progress) -> None:
        if self.download is None:
            return
        self.progress.setValue(int(progress.fraction * 1000))
        self.progress_text.setText(progress.describe())

    def _downloaded(self, row, path) -> None:
        self.download = None
        self.progress.hide()
        self.progress_text.setText(f"{row.title} is ready and its checksum verified. Click Use to answer with it.")
        self._select = row.name
        self.refresh()

    def _download_failed(self, exc: BaseException) -> None:
        self.download = None
        self.progress.hide()
        self.progress_text.setText(error_text(exc))
        self.refresh()

    def cancel_download(self) -> None:
        if self.download is not None:
            self.download.cancel()
            self.progress_text.setText("Stopping the download…")

    def remove_selected(self) -> None:
        row = self.current()
        if row is None or not row.installed or row.kind == "bundled":
            return
        what = ("Delete the file " if row.kind == "downloaded" else "Take out of the library (the file stays) ")
        answer = QMessageBox.question(self, "Remove this model?", f"{what}{row.path}?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(result) -> None:
            _model, was_current = result
            self.progress_text.setText(f"{row.title} was removed." +
                                       (" The bundled model answers again." if was_current else ""))
            self.refresh()
        self.bridge.remove_model(row.name, done, self._failed)

    def add_file(self) -> None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation) or str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(self, "Add a Language Model", start, FILTERS)
        if not path:
            return

        def done(model) -> None:
            self.progress_text.setText(f"Added {model.path.name}. Click Use to answer with it.")
            self._select = model.name
            self.refresh()
        self.bridge.add_model(path, done, self._failed)

    def open_settings(self) -> ModelSettingsDialog | None:
        row = self.current()
        if row is None or not row.path:
            return None
        dialog = ModelSettingsDialog(self.bridge, row.path, row.title, self)
        dialog.open()
        return dialog

    def _offline_toggled(self, on: bool) -> None:
        if on and self.download is not None:
            self.cancel_download()
        self.bridge.set_offline(on, lambda _r: self._update_buttons(), self._failed)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.progress_text.setText(error_text(exc))
        self._update_buttons()

    def reject(self) -> None:
        if self.download is not None:  # closing stops the download; the next one resumes
            self.download.cancel()
            self.download = None
        super().reject()
