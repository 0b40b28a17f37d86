"""LoCoMo turn-level evidence recall: plain dense, plain BM25 and Mnemo's retrieval.

Each of the 10 conversations is imported into its own fresh Mnemo store (real LanceDB, real
MiniLM) through the normal import path (core/intake/readers + core/importer, as `mnemo import`
does): every turn with its speaker and its session's date as its time. For each question of
categories 1-4, recall@k = share of its evidence turns found in the top k, averaged.
Baselines: "dense" = MiniLM cosine on the turn text, "dense+spk" = on "Speaker: text",
"bm25" = BM25 (Snowball stems, stop words removed) on the turn text.

    .venv/bin/python scripts/eval_locomo_recall.py [--data PATH] [--limit N] [--json OUT] [--grid]

Fit and report: Mnemo's fusion (rrf_k, keyword_weight) is chosen on conversations 1-5 ("fit")
and reported on conversations 6-10 ("held out"), beside plain dense and BM25 on the same
questions. `--grid` re-runs the choice: every (rrf_k, keyword_weight) of GRID, on both halves;
only the fit half's figure may choose (the held-out column says how the choice carries over).
The questions are asked the day after the conversation's last session (the clock moves there
after the import), so older turns have decayed as they would in use.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.wiring import offline_environment  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.recall.embedder import MiniLMEmbedder  # noqa: E402
from core.recall.retrieval import Retriever  # noqa: E402
sys.path.insert(0, str(ROOT / "scripts"))
from recall_baselines import Baselines, grid_rows, imported, labelled, recall  # noqa: E402

DEFAULT_DATA = next((Path(c) / "locomo" / "locomo10.json" for c in (
    __import__("os").environ.get("MNEMO_SHARED_DATA"), ROOT.parent / "shared" / "data", "/work/shared/data")
    if c and (Path(c) / "locomo" / "locomo10.json").exists()), ROOT.parent / "shared" / "data" / "locomo" / "locomo10.json")
KS = (1, 5, 10, 20)
FIT = 5  # conversations 1-5 are for fitting; 6-10 are held out
GRID = [(k, w) for k in (5, 10, 20, 60) for w in (0.5, 0.75, 1.0, 1.5, 2.0)]
CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}


def session_date(text: str) -> datetime:
    return datetime.strptime(text.strip(), "%I:%M %p on %d %B, %Y")


def sessions(conversation: dict):
    numbers = sorted(int(m.group(1)) for k in conversation if (m := re.fullmatch(r"session_(\d+)", k)))
    for n in numbers:
        yield session_date(conversation[f"session_{n}_date_time"]), conversation[f"session_{n}"]


def evidence_ids(raw: list) -> set[str]:
    found = set()
    for item in raw:
        found.update(re.findall(r"D\d+:\d+", str(item)))
    return found


def evaluate(data_path: Path, limit: int | None, grid: bool = False) -> dict:
    offline_environment()
    embedder = MiniLMEmbedder()
    embedder.load()
    conversations = json.loads(data_path.read_text())[:limit]
    scores = {m: defaultdict(list) for m in ("dense", "dense+spk", "bm25", "fusion", "mnemo")}
    tuned = defaultdict(list)  # (rrf_k, weight, half) -> recall@10 per question
    cats, halves = [], []
    for number, conv in enumerate(conversations, start=1):
        with tempfile.TemporaryDirectory() as tmp:
            last_date = max(date for date, _ in sessions(conv["conversation"]))
            clock = FixedClock(last_date + timedelta(days=1))  # imported, then asked, the day after the last session
            sample = Path(tmp) / f"{conv['sample_id']}.json"
            sample.write_text(json.dumps([conv]))
            dia = [t["dia_id"] for _, turns in sessions(conv["conversation"]) for t in turns]
            mnemo, parsed, dia_of = imported(tmp, clock, embedder, sample, dia)
            retriever = mnemo.retriever
            base = Baselines(embedder, [t.text for t in parsed.turns], [t.speaker for t in parsed.turns], dia)
            for qa in conv["qa"]:
                if qa.get("category") not in CATEGORIES:
                    continue
                gold = evidence_ids(qa.get("evidence", []))
                if not gold:
                    continue
                question = qa["question"]
                cats.append(qa["category"])
                half = "fit" if number <= FIT else "held out"
                halves.append(half)
                k = max(KS)
                qvec = embedder.embed([question])[0]
                ranked = base.rank(question, qvec, k)
                ranked["fusion"] = labelled(retriever.search(question, k=k, query_vector=qvec), dia_of)
                ranked["mnemo"] = labelled(mnemo.search(question, k=k), dia_of)
                for method, ids in ranked.items():
                    for kk in KS:
                        scores[method][kk].append(recall(ids, gold, kk))
                if grid:
                    for rrf_k, weight in GRID:
                        other = Retriever(mnemo.store, embedder, rrf_k=rrf_k, keyword_weight=weight)
                        found = labelled(other.search(question, k=10, query_vector=qvec), dia_of)
                        tuned[(rrf_k, weight, half)].append(recall(found, gold, 10))
            mnemo.close()
        print(f"  {conv['sample_id']}: {len(dia)} turns", file=sys.stderr)
    cats_arr = np.array(cats)
    halves_arr = np.array(halves)
    result = {"questions": len(cats), "methods": {}}
    if tuned:
        result["grid"] = grid_rows(tuned)
    for method, by_k in scores.items():
        entry = {"overall": {f"recall@{k}": float(np.mean(v)) for k, v in by_k.items()}, "by_category": {},
                 "by_half": {half: {f"recall@{k}": float(np.mean(np.array(v)[halves_arr == half]))
                                    for k, v in by_k.items()} for half in sorted(set(halves))}}
        for cat, name in CATEGORIES.items():
            mask = cats_arr == cat
            entry["by_category"][name] = {f"recall@{k}": float(np.mean(np.array(v)[mask])) for k, v in by_k.items()}
        result["methods"][method] = entry
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N conversations")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--grid", action="store_true", help="also try every fusion setting of GRID on the fit half")
    args = parser.parse_args()
    started = time.perf_counter()
    result = evaluate(args.data, args.limit, args.grid)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\nLoCoMo evidence recall, {result['questions']} questions (categories 1-4)")
    print(f"{'method':<10}" + "".join(f"{'R@' + str(k):>8}" for k in KS) + "   R@10 by category")
    for method, entry in result["methods"].items():
        cats = " ".join(f"{n[:6]}={v['recall@10']:.3f}" for n, v in entry["by_category"].items())
        print(f"{method:<10}" + "".join(f"{entry['overall'][f'recall@{k}']:>8.3f}" for k in KS) + "   " + cats)
    print(f"\nR@10 by half (fusion chosen on conversations 1-{FIT}):")
    for method, entry in result["methods"].items():
        print(f"{method:<10}" + "".join(f"  {half} {v['recall@10']:.3f}" for half, v in entry["by_half"].items()))
    if "grid" in result:
        print("\nR@10 by (rrf_k, keyword_weight), best on the fit half first (fit / held out): "
              + ", ".join(f"({k}, {w}) {f:.3f}/{h:.3f}" for k, w, f, h in result["grid"][:8]))
    print(f"({result['seconds']} s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
