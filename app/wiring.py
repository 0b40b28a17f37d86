"""Builds a core Mnemo with the real parts: LanceDB store, MiniLM embedder, GGUF model."""
from __future__ import annotations

import os
from pathlib import Path

from core.clock import Clock
from core.mnemo import Mnemo
from core.recall.embedder import MiniLMEmbedder

from . import model_library
from .paths import ensure_private_dir
from .settings import Settings


def offline_environment() -> None:
    """Mnemo never reaches the network: tell the Hugging Face stack so before it loads."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # ONNX Runtime's telemetry (on Linux since 1.29)
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bars on stderr
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def model_path_for(data_dir: Path, override: Path | None = None) -> Path:
    """--model wins; then the file chosen in the app (settings); then the bundled model."""
    return model_library.current_path(data_dir, override)


def build_mnemo(data_dir: Path, clock: Clock, model_path: Path | None = None, wait: float = 0.5,
                passphrase=None) -> Mnemo:
    """`passphrase()`: asked only when the memory is encrypted with one (app/unlock.py)."""
    offline_environment()
    ensure_private_dir(Path(data_dir))
    from .data_io import apply_pending_restore

    apply_pending_restore(Path(data_dir), clock)  # a restore chosen in the app, before the store opens
    settings = Settings.load(data_dir)
    model = model_library.build_model(data_dir, model_path_for(data_dir, model_path))
    return Mnemo(Path(data_dir), clock, MiniLMEmbedder(), model, policy=settings.decay,
                 summary_options=settings.summaries, sweep_every_hours=settings.schedule.sweep_every_hours,
                 backup_every_hours=settings.schedule.backup_every_hours,
                 backups_kept=settings.schedule.backups_kept, wait=wait,
                 compact_every=settings.schedule.compact_every_writes, importance=settings.importance,
                 passphrase=passphrase)


def switch_model(mnemo: Mnemo, path: Path) -> Path:
    """Load the GGUF file at `path` (raises ModelError, changing nothing, if it cannot be
    used), make it the model that answers, and remember the choice in the settings."""
    model = model_library.build_model(mnemo.data_dir, Path(path).expanduser())
    model.load()
    mnemo.use_model(model)
    settings = Settings.load(mnemo.data_dir)
    bundled = model.path.absolute() == model_library.default_model_path().absolute()
    settings.model_path = None if bundled else str(model.path.resolve())  # None: the bundled one
    settings.save(mnemo.data_dir)
    return model.path
