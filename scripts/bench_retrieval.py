"""Retrieval latency at 1k, 10k, 100k and 1M memories, beside an exact numpy brute-force scan
of the same vectors in the same run, with recall@10 against that scan.

    .venv/bin/python scripts/bench_retrieval.py [--sizes 1000,10000,100000,1000000]
        [--queries 100] [--full-max 100000] [--json OUT]

Vectors are synthetic (384-d, unit length, 5,000 topics with spread, like sentence
embeddings; queries are memories with noise added). Figures per size:
- "vector": core/recall/vector_index.py as the Retriever calls it (exact numpy scan up to 250k
  memories; beyond, a FAISS inverted-file index over half-precision vectors, built in the
  background, with exact re-scoring); timed once the index is built;
- "vector, 30% out": the same with a random 30% of the rows held back (forgotten or
  quarantined memories), recall against a brute-force scan of the allowed rows;
- "full search": Retriever.search (vector + BM25 keywords + fusion + retention) on a real
  LanceDB MemoryStore of that size with synthetic texts, query vector given (no embedding),
  for sizes up to --full-max.
Baseline: q @ M.T + argpartition top 10 over the same float32 matrix."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.clock import FixedClock  # noqa: E402
from core.memory.records import Kind, Memory, new_id  # noqa: E402
from core.memory.store import MemoryStore  # noqa: E402
from core.recall.retrieval import Retriever  # noqa: E402
from core.recall.vector_index import VectorIndex  # noqa: E402

WORDS = ("garden tomatoes train station sister Lisbon dentist card climbing rope book club river run "
         "budget concert kids school podcast bike plants film dinner gym weather work").split()


def vectors(n: int, rng: np.random.Generator, topics: int = 5000, d: int = 384) -> np.ndarray:
    centers = rng.standard_normal((topics, d), dtype=np.float32)
    out = np.empty((n, d), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        out[start:start + m] = centers[rng.integers(0, topics, m)] + 0.7 * rng.standard_normal((m, d), dtype=np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def queries(matrix: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    q = matrix[rng.integers(0, len(matrix), count)] + 0.05 * rng.standard_normal((count, matrix.shape[1]),
                                                                                  dtype=np.float32)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def brute(matrix: np.ndarray, q: np.ndarray, k: int = 10, allowed: np.ndarray | None = None) -> np.ndarray:
    """The exact top k (only among `allowed` rows when given)."""
    scores = matrix @ q
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top])]


def timed(fn, items) -> tuple[list[float], list]:
    out, results = [], []
    for item in items:
        started = time.perf_counter()
        results.append(fn(item))
        out.append(time.perf_counter() - started)
    return out, results


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(values, p) * 1000)


def recall(found, truth) -> float:
    return float(np.mean([len(set(map(int, f[:10])) & set(map(int, t))) / 10 for f, t in zip(found, truth)]))


def full_store(matrix: np.ndarray, tmp: Path, rng: np.random.Generator) -> tuple[MemoryStore, Retriever]:
    clock = FixedClock(datetime(2026, 5, 1, tzinfo=timezone.utc))
    store = MemoryStore.open(tmp, clock)
    now = clock.now().timestamp()
    for start in range(0, len(matrix), 20_000):
        batch = [Memory(id=new_id(), text=" ".join(rng.choice(WORDS, 8)) + f" {i}", kind=Kind.NOTE, source="user",
                        created_at=now - 3600, strength=10.0, vector=matrix[i])
                 for i in range(start, min(start + 20_000, len(matrix)))]
        store.add(batch, actor="bench", reason="bench")
    return store, Retriever(store, embedder=None, clock=clock)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--full-max", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    rows = []
    print(f"{'memories':>10} {'search':<17}{'p50 ms':>8}{'p95 ms':>8}{'brute p50':>10}{'ratio':>7}{'recall@10':>10}")
    for n in (int(s) for s in args.sizes.split(",")):
        matrix = vectors(n, rng)
        qs = list(queries(matrix, args.queries, rng))
        brute(matrix, qs[0])
        base, truth = timed(lambda q: brute(matrix, q), qs)
        index = VectorIndex()
        allowed = np.ones(n, dtype=bool)
        build = time.perf_counter()
        index.top(matrix, qs[0], allowed, 100)  # beyond 250k this starts the background build
        index.wait()
        build = time.perf_counter() - build
        times, found = timed(lambda q: index.top(matrix, q, allowed, 100)[0], qs)
        row = {"memories": n, "search": "vector", "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
               "brute_p50_ms": pct(base, 50), "recall_at_10": recall(found, truth), "build_s": build}
        rows.append(row)
        _print(row)
        held = rng.random(n) < 0.3  # forgotten or quarantined memories are left out of the search
        allowed_some = ~held
        truth_some = [brute(matrix, q, allowed=allowed_some) for q in qs]
        times, found = timed(lambda q: index.top(matrix, q, allowed_some, 100)[0], qs)
        row = {"memories": n, "search": "vector, 30% out", "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
               "brute_p50_ms": pct(base, 50), "recall_at_10": recall(found, truth_some)}
        rows.append(row)
        _print(row)
        if n >= index.approx_from:
            print(f"{'':>10} (index built in the background in {build:.1f} s; searches meanwhile scan exactly)")
        if n <= args.full_max:
            with tempfile.TemporaryDirectory() as tmp:
                store, retriever = full_store(matrix, Path(tmp), rng)
                retriever.search("warm up", k=10, query_vector=qs[0])
                ids = store.snapshot()[0]
                row_of = {memory_id: i for i, memory_id in enumerate(ids)}

                def full(q):
                    return [row_of[h.memory.id] for h in retriever.search("garden sister", k=10, query_vector=q)]
                times, found = timed(full, qs)
                dense_only, found_dense = timed(
                    lambda q: [row_of[h.memory.id] for h in retriever.search("x", k=10, mode="dense",
                                                                              query_vector=q)], qs)
                store.close()
            for name, t, f in (("full, dense", dense_only, found_dense), ("full, hybrid", times, None)):
                row = {"memories": n, "search": name, "p50_ms": pct(t, 50), "p95_ms": pct(t, 95),
                       "brute_p50_ms": pct(base, 50), "recall_at_10": None if f is None else recall(f, truth)}
                rows.append(row)
                _print(row)
    print("recall@10: share of the brute-force top 10 (over the same allowed rows) found in the search's top 10. "
          "The hybrid search also ranks by keywords and retention, so it has no vector recall (—).")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


def _print(row: dict) -> None:
    ratio = row["p50_ms"] / row["brute_p50_ms"]
    print(f"{row['memories']:>10,} {row['search']:<17}{row['p50_ms']:>8.2f}{row['p95_ms']:>8.2f}"
          f"{row['brute_p50_ms']:>10.2f}{ratio:>7.2f}{_recall_text(row):>10}", flush=True)


def _recall_text(row: dict) -> str:
    return "—" if row["recall_at_10"] is None else f"{row['recall_at_10']:.3f}"


if __name__ == "__main__":
    sys.exit(main())
