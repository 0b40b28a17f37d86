"""Builds a core Mnemo with the real parts: LanceDB store, MiniLM embedder, GGUF model."""
from __future__ import annotations

import os
from pathlib import Path

from core.clock import Clock
from core.embedder import MiniLMEmbedder
from core.llm import LlamaModel
from core.mnemo import Mnemo

from .paths import default_model_path, ensure_private_dir


def offline_environment() -> None:
    """Mnemo never reaches the network: tell the Hugging Face stack so before it loads."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def build_mnemo(data_dir: Path, clock: Clock, model_path: Path | None = None) -> Mnemo:
    offline_environment()
    ensure_private_dir(Path(data_dir))
    model = LlamaModel(Path(model_path) if model_path else default_model_path())
    return Mnemo(Path(data_dir), clock, MiniLMEmbedder(), model)
