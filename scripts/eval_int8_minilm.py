"""Should imports embed with an int8 MiniLM? Speed, vector agreement and LoCoMo recall@10 against fp32.

- Quantises the app's fp32 ONNX MiniLM (core/recall/minilm_onnx.py) with ONNX Runtime's dynamic
  int8 quantisation (per-channel weights), once, into the same cache folder
  (`minilm-<key>-int8pc.onnx`). The app's
  embedder is not changed: this script builds its own embedders on either file.
- Speed: texts/s of each model on the same texts (the import benchmark's generated ChatGPT
  messages, scripts/bench_import.py), each timed --rounds times in turn, the best round kept.
- Agreement: cosine between the int8 and fp32 vector of each text.
- LoCoMo evidence recall@10 (as scripts/eval_locomo_recall.py: each conversation imported through
  the import path into a fresh store, questions of categories 1-4, "mnemo" = the app's search,
  "dense" = cosine over the stored vectors), in three set-ups: fp32 throughout, int8 throughout,
  and int8 for the import with fp32 for the questions (what "int8 for imports only" would give),
  with the import time of each.

The issue's rule: use int8 for imports only if import is >= 2x faster and recall@10 stays within 0.01.

    .venv/bin/python scripts/eval_int8_minilm.py [--texts 2000] [--rounds 3] [--skip N] [--limit N] [--json OUT]"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from app.wiring import offline_environment  # noqa: E402
from bench_import import _assistant, _user  # noqa: E402
from eval_locomo_recall import CATEGORIES, DEFAULT_DATA, evidence_ids, sessions  # noqa: E402
from recall_baselines import imported, labelled, recall  # noqa: E402

from core.clock import FixedClock  # noqa: E402
from core.memory.records import Kind  # noqa: E402
from core.recall.embedder import MiniLMEmbedder, minilm_model_dir  # noqa: E402
from core.recall.minilm_onnx import OnnxMiniLM, ensure_onnx  # noqa: E402

SETUPS = {"fp32": ("fp32", "fp32"), "int8": ("int8", "int8"), "int8 import, fp32 questions": ("int8", "fp32")}


def int8_model(fp32: Path) -> Path:
    """The dynamically quantised copy of `fp32` (int8 weights, one scale per output channel; uint8
    activations), made once. Per channel: cosine to fp32 ~0.99 where one scale per tensor gives ~0.96."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    out = fp32.with_name(f"{fp32.stem}-int8pc.onnx")
    if out.exists():
        return out
    prepared, part = out.with_suffix(".pre.part"), out.with_suffix(".part")
    try:
        quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
        quantize_dynamic(str(prepared), str(part), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(part, out)
    finally:
        prepared.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
    return out


def embedder_on(model_dir: Path, onnx_path: Path) -> MiniLMEmbedder:
    embedder = MiniLMEmbedder(model_dir)
    embedder._onnx = embedder._model = OnnxMiniLM(model_dir, onnx_path)
    embedder.backend = "onnx"
    return embedder


class Switch:
    """One embedder for Mnemo that embeds with `models[mode]` (the mode changes after the import)."""
    dim = 384

    def __init__(self, models: dict, mode: str):
        self.models, self.mode = models, mode

    def embed(self, texts):
        return self.models[self.mode].embed(texts)


def speed(models: dict, texts: list[str], rounds: int) -> dict:
    best = {name: float("inf") for name in models}
    for _ in range(rounds):
        for name, model in models.items():  # (in turn, so a busy moment is shared)
            t0 = time.perf_counter()
            for start in range(0, len(texts), 256):
                model.embed(texts[start:start + 256])
            best[name] = min(best[name], time.perf_counter() - t0)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def agreement(models: dict, texts: list[str]) -> dict:
    a, b = models["fp32"].embed(texts), models["int8"].embed(texts)
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {"mean": float(cos.mean()), "p1": float(np.percentile(cos, 1)), "min": float(cos.min()),
            "norm_int8_min": float(np.linalg.norm(b, axis=1).min())}


def locomo(models: dict, data: Path, limit: int | None, skip: int = 0) -> dict:
    conversations = json.loads(data.read_text())[skip:][:limit]
    found = {s: {"mnemo": [], "dense": [], "import_s": 0.0, "turns": 0} for s in SETUPS}
    for conv in conversations:
        last_date = max(date for date, _ in sessions(conv["conversation"]))
        dia = [t["dia_id"] for _, turns in sessions(conv["conversation"]) for t in turns]
        questions = [(qa["question"], evidence_ids(qa.get("evidence", []))) for qa in conv["qa"]
                     if qa.get("category") in CATEGORIES and evidence_ids(qa.get("evidence", []))]
        for setup, (at_import, at_question) in SETUPS.items():
            with tempfile.TemporaryDirectory() as tmp:
                sample = Path(tmp) / f"{conv['sample_id']}.json"
                sample.write_text(json.dumps([conv]))
                switch = Switch(models, at_import)
                t0 = time.perf_counter()
                mnemo, parsed, dia_of = imported(tmp, FixedClock(last_date + timedelta(days=1)), switch, sample, dia)
                found[setup]["import_s"] += time.perf_counter() - t0
                found[setup]["turns"] += len(parsed.turns)
                switch.mode = at_question
                turn_ids = {m.id for m in mnemo.store.all(kinds=[Kind.TURN])}
                ids, vectors = mnemo.store.snapshot()
                rows = [i for i, memory_id in enumerate(ids) if memory_id in turn_ids]
                matrix, row_ids = vectors[rows], [ids[i] for i in rows]
                for question, gold in questions:
                    found[setup]["mnemo"].append(recall(labelled(mnemo.search(question, k=10), dia_of), gold, 10))
                    scores = matrix @ switch.embed([question])[0]
                    top = [dia_of.get(row_ids[i], "") for i in np.argsort(-scores)[:10]]
                    found[setup]["dense"].append(recall(top, gold, 10))
                mnemo.close()
        print(f"  {conv['sample_id']}: {len(dia)} turns, {len(questions)} questions: "
              + "; ".join(f"{s} {np.mean(f['mnemo']):.3f}" for s, f in found.items()), file=sys.stderr)
    return {s: {"mnemo_recall@10": float(np.mean(f["mnemo"])), "dense_recall@10": float(np.mean(f["dense"])),
                "questions": len(f["mnemo"]), "import_s": f["import_s"], "turns": f["turns"]}
            for s, f in found.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="only the first N LoCoMo conversations")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N LoCoMo conversations")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--skip-locomo", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    offline_environment()
    model_dir = minilm_model_dir()
    fp32 = ensure_onnx(model_dir)
    t0 = time.perf_counter()
    int8 = int8_model(fp32)
    print(f"int8 model: {int8} ({int8.stat().st_size / 1e6:.1f} MB, fp32 {fp32.stat().st_size / 1e6:.1f} MB; "
          f"made or found in {time.perf_counter() - t0:.1f} s)")
    models = {"fp32": embedder_on(model_dir, fp32), "int8": embedder_on(model_dir, int8)}
    rng = random.Random(11)
    texts = [_user(rng) if i % 2 == 0 else _assistant(rng) for i in range(args.texts)]
    for model in models.values():
        model.embed(texts[:64])  # warm up
    result = {"texts": len(texts), "load_average": os.getloadavg()[0]}
    result["texts_per_s"] = speed(models, texts, args.rounds)
    rates = result["texts_per_s"]
    print(f"embedding {len(texts):,} ChatGPT-like texts (best of {args.rounds}): fp32 {rates['fp32']:.0f} texts/s, "
          f"int8 {rates['int8']:.0f} texts/s: x{rates['int8'] / rates['fp32']:.2f}")
    result["cosine"] = agreement(models, texts)
    cos = result["cosine"]
    print(f"cosine(int8, fp32) per text: mean {cos['mean']:.4f}, 1st percentile {cos['p1']:.4f}, min {cos['min']:.4f}")
    if not args.skip_locomo:
        result["locomo"] = locomo(models, args.data, args.limit, args.skip)
        shown = f"conversations {args.skip + 1}-{args.skip + args.limit}" if args.limit else (
            f"conversations {args.skip + 1}-10" if args.skip else "all 10 conversations")
        result["locomo_conversations"] = shown
        print(f"\nLoCoMo evidence recall@10, {shown}:")
        for setup, row in result["locomo"].items():
            print(f"  {setup:<28} mnemo {row['mnemo_recall@10']:.4f}  dense {row['dense_recall@10']:.4f}  "
                  f"({row['questions']} questions; import {row['turns'] / row['import_s']:.0f} turns/s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
