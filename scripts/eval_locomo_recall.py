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
questions. `--grid` re-runs the choice: every (rrf_k, keyword_weight) of GRID on the fit half.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.wiring import offline_environment  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.intake.importer import ImportService  # noqa: E402
from core.intake.readers import read_import  # noqa: E402
from core.memory.store import MemoryStore  # noqa: E402
from core.recall.embedder import MiniLMEmbedder  # noqa: E402
from core.recall.retrieval import Retriever  # noqa: E402
from core.text import terms, terms_many  # noqa: E402

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


def recall(ranked: list[str], gold: set[str], k: int) -> float:
    return len(gold & set(ranked[:k])) / len(gold)


def evaluate(data_path: Path, limit: int | None, grid: bool = False) -> dict:
    offline_environment()
    embedder = MiniLMEmbedder()
    embedder.load()
    conversations = json.loads(data_path.read_text())[:limit]
    scores = {m: defaultdict(list) for m in ("dense", "dense+spk", "bm25", "mnemo")}
    tuned = defaultdict(list)  # (rrf_k, weight) -> recall@10 per question of the fit half
    cats, halves = [], []
    for number, conv in enumerate(conversations, start=1):
        with tempfile.TemporaryDirectory() as tmp:
            first_date = next(sessions(conv["conversation"]))[0]
            clock = FixedClock(first_date)
            store = MemoryStore.open(Path(tmp) / "store", clock, dim=embedder.dim)
            sample = Path(tmp) / f"{conv['sample_id']}.json"
            sample.write_text(json.dumps([conv]))
            parsed = read_import(sample)
            dia = [t["dia_id"] for _, turns in sessions(conv["conversation"]) for t in turns]
            assert len(parsed.turns) == len(dia) and not parsed.rejected.total
            ImportService(store, embedder, clock).run(parsed, sample.name)
            stored = store.all()  # in the order they were imported: the file's order
            dia_of = {m.id: d for m, d in zip(stored, dia)}
            plain_texts = [t.text for t in parsed.turns]
            spk_texts = [f"{t.speaker}: {t.text}" for t in parsed.turns]
            plain_dia = dia
            retriever = Retriever(store, embedder)
            plain_vecs = embedder.embed(plain_texts)
            spk_vecs = embedder.embed(spk_texts)
            import bm25s

            bm25 = bm25s.BM25()
            bm25.index([t or ["\x00"] for t in terms_many(plain_texts)], show_progress=False)
            vocab = set(bm25.vocab_dict)
            for qa in conv["qa"]:
                if qa.get("category") not in CATEGORIES:
                    continue
                gold = evidence_ids(qa.get("evidence", []))
                if not gold:
                    continue
                question = qa["question"]
                cats.append(qa["category"])
                halves.append("fit" if number <= FIT else "held out")
                k = max(KS)
                qvec = embedder.embed([question])[0]
                dense = np.argsort(-(plain_vecs @ qvec))[:k]
                dense_spk = np.argsort(-(spk_vecs @ qvec))[:k]
                qterms = [t for t in terms(question) if t in vocab]
                if qterms:
                    kw_scores = bm25.get_scores(qterms)
                    kw = [i for i in np.argsort(-kw_scores)[:k] if kw_scores[i] > 0]
                else:
                    kw = []
                hits = retriever.search(question, k=k)
                ranked = {
                    "dense": [plain_dia[i] for i in dense],
                    "dense+spk": [plain_dia[i] for i in dense_spk],
                    "bm25": [plain_dia[i] for i in kw],
                    "mnemo": [dia_of[h.memory.id] for h in hits],
                }
                for method, ids in ranked.items():
                    for kk in KS:
                        scores[method][kk].append(recall(ids, gold, kk))
                if grid and number <= FIT:
                    for rrf_k, weight in GRID:
                        other = Retriever(store, embedder, rrf_k=rrf_k, keyword_weight=weight)
                        found = [dia_of[h.memory.id] for h in other.search(question, k=10, query_vector=qvec)]
                        tuned[(rrf_k, weight)].append(recall(found, gold, 10))
            store.close()
        print(f"  {conv['sample_id']}: {len(dia_of)} turns", file=sys.stderr)
    cats_arr = np.array(cats)
    halves_arr = np.array(halves)
    result = {"questions": len(cats), "methods": {}}
    if tuned:
        result["grid"] = sorted(([k, w, float(np.mean(v))] for (k, w), v in tuned.items()), key=lambda r: -r[2])
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
        print("\nfit half, R@10 by (rrf_k, keyword_weight), best first: "
              + ", ".join(f"({k}, {w}) {r:.3f}" for k, w, r in result["grid"][:8]))
    print(f"({result['seconds']} s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
