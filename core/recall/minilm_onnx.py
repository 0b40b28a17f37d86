"""all-MiniLM-L6-v2 run by ONNX Runtime: the same weights as the sentence-transformers model
(mean pooling and normalisation included in the graph), without importing torch in the app
(torch and sentence-transformers alone take ~400 MB of memory).

The ONNX file is made once from the model package's own weights, in a separate process
(`python -m core.recall.minilm_onnx OUT`, which does import torch), and kept in the user's cache
folder under a name that changes whenever the weights do."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

EXPORT_VERSION = 1
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
MAX_BATCH_TOKENS = 4096  # tokens per run, padding included (64 texts of 64 tokens; 16 of 256)


def cache_path(model_dir: Path) -> Path:
    from platformdirs import user_cache_dir

    weights = model_dir / "model.safetensors"
    stat = weights.stat()
    key = hashlib.sha256(f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{EXPORT_VERSION}".encode())
    root = Path(os.environ.get("MNEMO_MODEL_CACHE") or user_cache_dir("Mnemo", appauthor=False))
    return root / f"minilm-{key.hexdigest()[:16]}.onnx"


def ensure_onnx(model_dir: Path) -> Path:
    """The ONNX file for `model_dir`, made (in a child process) when it is missing."""
    path = cache_path(model_dir)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([sys.executable, "-m", "core.recall.minilm_onnx", str(model_dir), str(path)],
                            capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
                            env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    if result.returncode != 0 or not path.exists():
        raise RuntimeError(f"exporting MiniLM to ONNX failed: {result.stderr.strip()[-500:]}")
    return path


class OnnxMiniLM:
    def __init__(self, model_dir: Path, onnx_path: Path, threads: int | None = None):
        # ONNX Runtime 1.29+ sends telemetry from Linux too (a DNS query per run, a device id
        # under ~/.cache/Microsoft); set before it starts, this turns all of it off.
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"
        import onnxruntime as ort

        ort.disable_telemetry_events()
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "sentence_bert_config.json").read_text())
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(config.get("max_seq_length", 256)))
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], batch_size: int = 64, max_tokens: int = MAX_BATCH_TOKENS) -> np.ndarray:
        """At most `batch_size` texts and `max_tokens` tokens (padding included) per run: long
        texts go in smaller batches, so the attention's memory (rows x width^2) stays bounded."""
        encoded = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encoded], kind="stable")  # little padding per batch
        out = np.zeros((len(encoded), 384), dtype=np.float32)
        for rows in _batches([len(encoded[i].ids) for i in order], order, batch_size, max_tokens):
            width = max(len(encoded[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                n = len(encoded[i].ids)
                ids[j, :n] = encoded[i].ids
                mask[j, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[rows] = self._session.run(["embedding"], feed)[0]
        return out


def _batches(lengths: list[int], order: np.ndarray, batch_size: int, max_tokens: int):
    """Consecutive runs of `order` (sorted by length), each within both limits (at least one text)."""
    start = 0
    while start < len(order):
        end = start + 1
        while end < len(order) and end - start < batch_size and lengths[end] * (end - start + 1) <= max_tokens:
            end += 1
        yield order[start:end]
        start = end


def export(model_dir: Path, out: Path) -> None:
    """Trace the model (BERT + mean pooling + L2 normalisation) to ONNX; written atomically."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
    model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    sample = torch.ones((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".onnx.part")
    os.close(fd)
    try:
        with torch.no_grad():
            torch.onnx.export(Pooled(model), (sample, sample, torch.zeros_like(sample)), tmp, input_names=INPUTS,
                              output_names=["embedding"], dynamic_axes={**axes, "embedding": {0: "batch"}},
                              opset_version=17, dynamo=False)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    export(Path(sys.argv[1]), Path(sys.argv[2]))
