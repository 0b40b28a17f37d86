"""MiniLM through ONNX Runtime gives the sentence-transformers vectors, without torch."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.recall.embedder import MiniLMEmbedder

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[3]
TEXTS = ["Where does my sister live?", "hi", "My sister Anna lives in Lisbon and works as a nurse at the hospital.",
         "word " * 400, "Caroline: I went to the LGBTQ support group yesterday!", "🙂 émigré naïve café", ""]


def test_onnx_and_torch_give_the_same_vectors(monkeypatch):
    onnx = MiniLMEmbedder(batch_size=3)  # several batches of different lengths
    reference = onnx.embed(TEXTS)
    assert onnx.backend == "onnx"
    monkeypatch.setenv("MNEMO_EMBEDDER", "torch")
    torch = MiniLMEmbedder()
    expected = torch.embed(TEXTS)
    assert torch.backend == "torch"
    assert np.allclose(reference, expected, atol=1e-5)
    assert np.allclose(np.linalg.norm(reference, axis=1), 1.0, atol=1e-5)
    # one at a time or in a batch: the same vector
    assert np.allclose(onnx.embed([TEXTS[2]])[0], reference[2], atol=1e-5)


def test_the_app_embeds_without_importing_torch():
    code = ("import sys; from core.recall.embedder import MiniLMEmbedder; e = MiniLMEmbedder(); e.embed(['x']); "
            "print(e.backend, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=300)
    assert out.stdout.split() == ["onnx", "False", "False"], out.stderr[-2000:]
