"""The bridge's calls for the model library (File ▸ Language Models…): what is in the catalog
and on this computer, downloads with progress and Cancel, remove, add a file, per-model
settings, the offline switch and the first-run offer. None of these needs the memory store, so
they run on the pool even while it opens; using a model goes through `switch_model`.

Mixed into `MnemoBridge` (ui/workers.py); the operations are app/model_library.py's, injected
as `model_ops` (None hides the library)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


Callback = Callable[..., Any] | None


class DownloadHandle:
    """A running download: `cancel()` stops it (what was fetched is kept for the next try)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.event = threading.Event()

    def cancel(self) -> None:
        self.event.set()


class ModelCalls:
    """Needs from its host: model_ops, data_dir, mnemo, _free, switch_model."""

    @property
    def has_model_library(self) -> bool:
        return self.model_ops is not None and self.data_dir is not None

    def current_model_path(self) -> Path:
        model = getattr(self.mnemo, "model", None)
        path = getattr(model, "path", None)
        return Path(path) if path is not None else self.model_ops.current_path(self.data_dir)

    def model_overview(self, on_done: Callback, on_error: Callback = None) -> None:
        """on_done(app Overview): the catalog and the models here, which answers, which fits."""
        current = self.current_model_path()
        self._free(lambda: self.model_ops.overview(self.data_dir, current), on_done, on_error)

    def download_model(self, name: str, on_progress: Callback, on_done: Callback,
                       on_error: Callback = None) -> DownloadHandle:
        """on_progress(core Progress) while it runs; on_done(path of the verified file)."""
        handle = DownloadHandle(name)
        self._free(lambda: self.model_ops.fetch(self.data_dir, name, on_progress=lambda p: self._post(on_progress, p),
                                                cancel=handle.event), on_done, on_error)
        return handle

    def remove_model(self, name: str, on_done: Callback = None, on_error: Callback = None) -> None:
        """on_done((Installed, bundled_answers_now)); the bundled model is loaded when the removed one answered."""
        def done(result) -> None:
            model, was_current = result
            if was_current:
                self.switch_model(self.model_ops.default_model_path())
            if on_done is not None:
                on_done(result)

        self._free(lambda: self.model_ops.remove(self.data_dir, name), done, on_error)

    def add_model(self, path: str | Path, on_done: Callback = None, on_error: Callback = None) -> None:
        """A GGUF file from disk joins the library (it stays where it is); on_done(Installed)."""
        self._free(lambda: self.model_ops.add(self.data_dir, Path(path)), on_done, on_error)

    def model_settings(self, path: str | Path, on_done: Callback, on_error: Callback = None) -> None:
        """on_done((ModelSettings, changed dict)): the model's settings, its file's defaults with the user's changes."""
        self._free(lambda: self.model_ops.settings_of(self.data_dir, Path(path)), on_done, on_error)

    def change_model_settings(self, path: str | Path, changes: dict, reset: bool = False,
                              on_done: Callback = None, on_error: Callback = None) -> None:
        """Saved for that model; the model that answers is loaded again with them."""
        def done(resolved) -> None:
            if Path(path).resolve() == self.current_model_path().resolve():
                self.switch_model(path)
            if on_done is not None:
                on_done(resolved)

        self._free(lambda: self.model_ops.change_settings(self.data_dir, Path(path), changes, reset), done, on_error)

    def set_offline(self, offline: bool, on_done: Callback = None, on_error: Callback = None) -> None:
        self._free(lambda: self.model_ops.set_offline(self.data_dir, offline), on_done, on_error)

    def model_offer(self, on_done: Callback, on_error: Callback = None) -> None:
        """on_done(Offer or None): the better model to suggest once, if this computer runs one."""
        self._free(lambda: self.model_ops.should_offer(self.data_dir), on_done, on_error)

    def answer_model_offer(self, accepted: bool, on_done: Callback = None, on_error: Callback = None) -> None:
        self._free(lambda: self.model_ops.answer_offer(self.data_dir, accepted), on_done, on_error)
