"""The first search after a write, on a store of 50,000 memories (issue 19: target <= 50 ms).

    .venv/bin/python scripts/bench_keywords.py [--n 50000] [--rounds 20]

Each round adds one note (as a capture does) and then times one full Retriever.search (dense
+ BM25 keywords + fusion + retention; the query vector given, so no embedding is timed).
Baseline, in the same run: the same search when the keyword index is rebuilt whole with
bm25s after every write (what Mnemo did before the incremental index)."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_retrieval import WORDS, vectors  # noqa: E402

from core.clock import FixedClock  # noqa: E402
from core.memory.records import Kind, Memory, new_id  # noqa: E402
from core.memory.store import MemoryStore  # noqa: E402
from core.recall.retrieval import Retriever  # noqa: E402
from core.text import terms  # noqa: E402


class RebuiltEveryWrite:
    """The old way: bm25s over every memory, built again whenever the content changed."""

    def __init__(self):
        from core.recall.keywords import KeywordIndex

        self._inner_matched = KeywordIndex().matched
        self._built_for, self._bm25, self._own = -1, None, []

    def scores(self, store, ids, query_terms):
        import bm25s

        from core.text import terms_many

        if self._built_for != store.content_version:
            texts = [store.get(i).text for i in ids]
            corpus = [t or ["\x00"] for t in terms_many(texts)]
            self._own = [set(t) for t in corpus]
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)
            self._built_for = store.content_version
        known = [t for t in query_terms if t in self._bm25.vocab_dict]
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32) if known else np.zeros(len(ids))

    def matched(self, row, query_terms):
        return tuple(sorted(query_terms & self._own[row])), ()


def text(rng) -> str:
    return " ".join(rng.choice(WORDS, size=int(rng.integers(6, 14))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(11)
    clock = FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
    matrix = vectors(args.n + args.rounds * 2, rng)
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore.open(Path(tmp), clock)
        now = clock.now().timestamp()
        memories = [Memory(id=new_id(), text=text(rng), kind=Kind.NOTE, source="user", created_at=now,
                           strength=10.0, vector=matrix[i]) for i in range(args.n)]
        store.apply_import(memories, [])
        print(f"{args.n:,} memories stored")
        results = {}
        for name, index in (("incremental (Mnemo)", None), ("bm25s rebuilt after each write (baseline)",
                                                              RebuiltEveryWrite())):
            retriever = Retriever(store, embedder=None, clock=clock)
            if index is not None:
                retriever._keywords = index
            query = "sister Lisbon train station"
            retriever.search(query, query_vector=matrix[0])  # warm
            after_write, steady = [], []
            for r in range(args.rounds):
                row = args.n + (r if index is None else args.rounds + r)
                store.add([Memory(id=new_id(), text=text(rng), kind=Kind.NOTE, source="user", created_at=now,
                                  strength=10.0, vector=matrix[row])], actor="user", reason="bench")
                started = time.perf_counter()
                retriever.search(query, query_vector=matrix[row])
                after_write.append(time.perf_counter() - started)
                started = time.perf_counter()
                retriever.search(query, query_vector=matrix[row])
                steady.append(time.perf_counter() - started)
            results[name] = (after_write, steady)
        store.close()
    print(f"\n| keyword index | first search after a write p50 | p95 | next search p50 | query terms |")
    print("|---|---|---|---|---|")
    for name, (after_write, steady) in results.items():
        print(f"| {name} | {np.percentile(after_write, 50) * 1000:.1f} ms | {np.percentile(after_write, 95) * 1000:.1f} ms"
              f" | {np.percentile(steady, 50) * 1000:.1f} ms | {len(terms('sister Lisbon train station'))} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
