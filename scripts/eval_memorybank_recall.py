"""MemoryBank turn-level evidence recall: plain dense, plain BM25 and Mnemo's retrieval.

Mnemo's fusion was chosen on LoCoMo; this is data it was not tuned on: a person chatting with
an assistant, day by day (Zhong et al., 2023; ../shared/data/memorybank). Each of the 15 users'
histories is imported into its own fresh Mnemo store (real LanceDB, real MiniLM) through the
normal import path, and the probing questions are asked the day after the last session. The
evidence turns of 100 probing questions were labelled by hand (scripts/data/
memorybank_evidence.json: DATE:INDEX:ROLE, INDEX counting from 0 in that day's list).
recall@k = share of a question's evidence turns found in the top k, averaged.

    .venv/bin/python scripts/eval_memorybank_recall.py [--data PATH] [--json OUT] [--grid]

Users 1-7 (file order) are the "fit" part, 8-15 "held out". `--grid` tries every fusion
setting of eval_locomo_recall.GRID on the fit part.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from app.wiring import offline_environment  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.recall.embedder import MiniLMEmbedder  # noqa: E402
from core.recall.retrieval import Retriever  # noqa: E402
from eval_locomo_recall import GRID  # noqa: E402
from recall_baselines import Baselines, grid_rows, imported, labelled, recall  # noqa: E402

DEFAULT_DATA = next((Path(c) / "memorybank" / "memory_bank_en.json" for c in (
    __import__("os").environ.get("MNEMO_SHARED_DATA"), ROOT.parent / "shared" / "data", "/work/shared/data")
    if c and (Path(c) / "memorybank" / "memory_bank_en.json").exists()),
    ROOT.parent / "shared" / "data" / "memorybank" / "memory_bank_en.json")
LABELS = ROOT / "scripts" / "data" / "memorybank_evidence.json"
KS = (1, 5, 10, 20)
FIT = 7  # users 1-7 for fitting, 8-15 held out


def turn_ids(user: dict) -> list[str]:
    """DATE:INDEX:ROLE of every turn, in the order the reader reads them."""
    out = []
    for day, exchanges in user["history"].items():
        for i, exchange in enumerate(exchanges):
            for role in ("query", "response"):
                if str(exchange.get(role, "")).strip():
                    out.append(f"{day}:{i}:{role}")
    return out


def evaluate(data_path: Path, grid: bool = False, retriever_args: dict | None = None) -> dict:
    offline_environment()
    embedder = MiniLMEmbedder()
    embedder.load()
    data = json.loads(data_path.read_text())
    questions = defaultdict(list)
    for q in json.loads(LABELS.read_text())["questions"]:
        if q["evidence"]:
            questions[q["user"].strip()].append(q)
    scores = {m: defaultdict(list) for m in ("dense", "dense+spk", "bm25", "fusion", "mnemo")}
    tuned = defaultdict(list)
    halves = []
    for number, (key, user) in enumerate(data.items(), start=1):
        name = key.strip()
        with tempfile.TemporaryDirectory() as tmp:
            days = sorted(user["history"])
            clock = FixedClock(datetime.fromisoformat(days[-1] + "T09:00:00+00:00") + timedelta(days=1))
            sample = Path(tmp) / "history.json"
            sample.write_text(json.dumps({key: user}))
            ids = turn_ids(user)
            mnemo, parsed, dia_of = imported(tmp, clock, embedder, sample, ids)
            base = Baselines(embedder, [t.text for t in parsed.turns], [t.speaker for t in parsed.turns], ids)
            retriever = mnemo.retriever
            for q in questions[name]:
                gold = set(q["evidence"])
                qvec = embedder.embed([q["question"]])[0]
                ranked = base.rank(q["question"], qvec, max(KS))
                ranked["fusion"] = labelled(retriever.search(q["question"], k=max(KS), query_vector=qvec), dia_of)
                ranked["mnemo"] = labelled(mnemo.search(q["question"], k=max(KS)), dia_of)
                half = "fit" if number <= FIT else "held out"
                halves.append(half)
                for method, found in ranked.items():
                    for kk in KS:
                        scores[method][kk].append(recall(found, gold, kk))
                if grid:
                    for rrf_k, weight in GRID:
                        other = Retriever(mnemo.store, embedder, rrf_k=rrf_k, keyword_weight=weight)
                        found = labelled(other.search(q["question"], k=10, query_vector=qvec), dia_of)
                        tuned[(rrf_k, weight, half)].append(recall(found, gold, 10))
            mnemo.close()
        print(f"  {name}: {len(ids)} turns, {len(questions[name])} questions", file=sys.stderr)
    halves_arr = np.array(halves)
    result = {"questions": len(halves), "methods": {}}
    if tuned:
        result["grid"] = grid_rows(tuned)
    for method, by_k in scores.items():
        result["methods"][method] = {
            "overall": {f"recall@{k}": float(np.mean(v)) for k, v in by_k.items()},
            "by_half": {half: {f"recall@{k}": float(np.mean(np.array(v)[halves_arr == half])) for k, v in by_k.items()}
                        for half in ("fit", "held out")}}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--grid", action="store_true", help="also try every fusion setting of GRID on the fit part")
    args = parser.parse_args()
    started = time.perf_counter()
    result = evaluate(args.data, args.grid)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\nMemoryBank evidence recall, {result['questions']} questions")
    print(f"{'method':<10}" + "".join(f"{'R@' + str(k):>8}" for k in KS) + "   R@10 fit / held out")
    for method, entry in result["methods"].items():
        halves = " / ".join(f"{entry['by_half'][h]['recall@10']:.3f}" for h in ("fit", "held out"))
        print(f"{method:<10}" + "".join(f"{entry['overall'][f'recall@{k}']:>8.3f}" for k in KS) + "   " + halves)
    if "grid" in result:
        print("\nR@10 by (rrf_k, keyword_weight), best on the fit part first (fit / held out): "
              + ", ".join(f"({k}, {w}) {f:.3f}/{h:.3f}" for k, w, f, h in result["grid"][:8]))
    print(f"({result['seconds']} s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
