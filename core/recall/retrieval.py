"""Hybrid retrieval: exact dense search (MiniLM cosine over the in-memory matrix) fused with
BM25 keyword search by reciprocal rank fusion. Every hit says why it was chosen."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from ..clock import Clock
from ..memory.decay import DAY, DecayPolicy
from ..memory.records import RETRIEVABLE_STATES, Memory
from ..memory.mirror import STATE_IDS
from ..memory.store import MemoryStore
from ..text import terms
from .embedder import Embedder
from .keywords import KeywordIndex, index_text
from .vector_index import VectorIndex

__all__ = ["Hit", "KeywordIndex", "MIN_SIMILARITY", "Retriever", "index_text"]

MODES = ("hybrid", "dense", "bm25")
# A hit is relevant when it is close in meaning or shares a keyword with the query. Dense
# search ranks every memory, so without this a nonsense query would "match" everything.
MIN_SIMILARITY = 0.25


@dataclass(frozen=True)
class Hit:
    memory: Memory
    score: float
    dense_score: float | None = None
    dense_rank: int | None = None
    keyword_score: float | None = None
    keyword_rank: int | None = None
    matched_terms: tuple[str, ...] = field(default_factory=tuple)
    context_terms: tuple[str, ...] = field(default_factory=tuple)  # matched in the turn before
    retention: float = 1.0  # how well the memory is remembered now (see core/memory/decay.py)

    @property
    def relevant(self) -> bool:
        return (self.dense_score or 0.0) >= MIN_SIMILARITY or bool(self.matched_terms or self.context_terms)

    @property
    def reason(self) -> str:
        parts = []
        if self.dense_rank is not None:
            parts.append(f"close in meaning (similarity {self.dense_score:.2f}, rank {self.dense_rank})")
        if self.keyword_rank is not None and self.matched_terms:
            shown = ", ".join(self.matched_terms[:6])
            parts.append(f"shares the words {shown} (keyword rank {self.keyword_rank})")
        if self.keyword_rank is not None and self.context_terms:
            shown = ", ".join(self.context_terms[:6])
            parts.append(f"replies to a turn that mentions {shown}")
        return "; ".join(parts) if parts else "recent memory"


class Retriever:
    def __init__(self, store: MemoryStore, embedder: Embedder, rrf_k: int = 10, keyword_weight: float = 1.5,
                 depth: int = 100, clock: Clock | None = None, policy: DecayPolicy | None = None):
        """Weighted reciprocal rank fusion: score = 1/(k + dense rank) + w/(k + keyword rank).
        k=10 and w=1.5 were chosen on LoCoMo (scripts/eval_locomo_recall.py).
        The fused score is then scaled by (1 - rw + rw * retention), rw = policy.retention_weight,
        so among equally relevant memories the better remembered one ranks first."""
        self.store = store
        self.embedder = embedder
        self.clock = clock or store.clock
        self.policy = policy or DecayPolicy()
        self.rrf_k = rrf_k
        self.keyword_weight = keyword_weight
        self.depth = depth
        self._keywords = KeywordIndex()
        self.vectors = VectorIndex()
        self._mask_cache: tuple[int, frozenset, np.ndarray] | None = None

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        states: Iterable[str] = RETRIEVABLE_STATES,
        exclude_ids: Iterable[str] = (),
        query_vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """`query_vector`: the query's embedding when the caller already has it."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {', '.join(MODES)}")
        ids, matrix, content_version = self.store.versioned_snapshot()
        if not ids or not query.strip():
            return []
        allowed = self._allowed(ids, frozenset(states)).copy()
        kept = self.retentions(len(ids), content_version)
        # below the forgetting line a memory leaves retrieval even before a sweep marks it forgotten
        allowed &= kept >= self.policy.forget_below
        for memory_id in exclude_ids:
            row = self.store.row_of(memory_id)
            if row is not None and row < len(allowed):
                allowed[row] = False
        if not allowed.any():
            return []
        depth = max(self.depth, k)
        dense_rank: dict[int, int] = {}
        keyword_rank: dict[int, int] = {}
        dense_scores = keyword_scores = None
        query_terms = terms(query)
        if mode in ("hybrid", "dense"):
            qvec = query_vector if query_vector is not None else self.embedder.embed([query])[0]
            rows, scores = self.vectors.top(matrix, qvec, allowed, depth, self.store.vector_epoch)
            dense_rank = {int(row): rank for rank, row in enumerate(rows, start=1)}
            dense_scores = dict(zip(dense_rank, scores.tolist()))
        if mode in ("hybrid", "bm25"):
            keyword_scores = self._keywords.scores(self.store, ids, query_terms)
            positive = allowed & (keyword_scores > 0)
            keyword_rank = _rank(np.where(positive, keyword_scores, -np.inf), depth, positive)
        fused: dict[int, float] = {}
        for ranks, weight in ((dense_rank, 1.0), (keyword_rank, self.keyword_weight)):
            for row, rank in ranks.items():
                fused[row] = fused.get(row, 0.0) + weight / (self.rrf_k + rank)
        rw = self.policy.retention_weight
        fused = {row: score * (1.0 - rw + rw * kept[row]) for row, score in fused.items()}
        ordered = sorted(fused.items(), key=lambda item: -item[1])[:k]
        qset = set(query_terms)
        hits = []
        for row, score in ordered:
            memory = self.store.get(ids[row])
            matched = context = ()
            if row in keyword_rank:
                matched, context = self._keywords.matched(row, qset)
            hits.append(
                Hit(
                    memory=memory,
                    score=float(score),
                    dense_score=float(dense_scores[row]) if row in dense_rank else None,
                    dense_rank=dense_rank.get(row),
                    keyword_score=float(keyword_scores[row]) if row in keyword_rank else None,
                    keyword_rank=keyword_rank.get(row),
                    matched_terms=matched,
                    context_terms=context,
                    retention=float(kept[row]),
                )
            )
        return hits

    def retentions(self, n: int, content_version: int | None = None) -> np.ndarray:
        """Retention now of every row of the store's snapshot (1.0 for what does not decay)."""
        cols = self.store.columns()
        moved = content_version is not None and cols["content_version"] != content_version
        if len(cols["ids"]) != n or moved:  # rows moved between snapshot and columns: no weighting
            return np.ones(n)
        now = self.clock.now().timestamp()
        age = np.maximum(now - cols["anchor"], 0.0) / DAY
        r = np.exp(-age / np.maximum(cols["strength"], 1e-9))
        return np.where(cols["decays"], r, 1.0)

    def _allowed(self, ids: list[str], states: frozenset) -> np.ndarray:
        key = self.store.version
        cached = self._mask_cache
        if cached is not None and cached[0] == key and cached[1] == states and len(cached[2]) == len(ids):
            return cached[2]
        cols = self.store.columns()
        if len(cols["ids"]) == len(ids) and (not ids or (cols["ids"][0] == ids[0] and cols["ids"][-1] == ids[-1])):
            # the columns follow every write: no pass over the records
            wanted = [STATE_IDS[str(s)] for s in states if str(s) in STATE_IDS]
            mask = np.isin(cols["state_id"], wanted)
        else:
            mask = np.fromiter((self.store.get(i).state in states for i in ids), dtype=bool, count=len(ids))
        self._mask_cache = (key, states, mask)
        return mask


def _rank(scores: np.ndarray, depth: int, valid: np.ndarray) -> dict[int, int]:
    """Row -> 1-based rank for the best `depth` valid rows."""
    count = int(valid.sum())
    if count == 0:
        return {}
    depth = min(depth, count)
    top = np.argpartition(-scores, depth - 1)[:depth]
    top = top[np.argsort(-scores[top], kind="stable")]
    return {int(row): rank for rank, row in enumerate(top, start=1)}
