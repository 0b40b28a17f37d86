"""Hybrid retrieval: exact dense search (MiniLM cosine over the in-memory matrix) fused with
BM25 keyword search by reciprocal rank fusion. Every hit says why it was chosen."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from ..clock import Clock
from ..memory.decay import DAY, DecayPolicy
from ..memory.records import RETRIEVABLE_STATES, Kind, Memory
from ..memory.store import MemoryStore
from ..text import terms, terms_many
from .embedder import Embedder
from .vector_index import VectorIndex

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


def index_text(memory: Memory) -> str:
    """The text a memory is found by: the speaker's name belongs to what was said."""
    return f"{memory.speaker}: {memory.text}" if memory.speaker else memory.text


def keyword_keys(memories: list[Memory]) -> list[tuple[list[str], list[str]]]:
    """(own terms, context terms) per memory, in order. A conversation turn is also found
    by the words of the turn before it in the same conversation: questions often name what
    the answer replies to ("What did Mel say about the painting?")."""
    own = terms_many([index_text(m) for m in memories])
    last_turn: dict[str, int] = {}
    keys = []
    for i, m in enumerate(memories):
        context: list[str] = []
        if m.kind == Kind.TURN:
            prev = last_turn.get(m.conversation_id)
            if prev is not None:
                context = own[prev]
            last_turn[m.conversation_id] = i
        keys.append((own[i], context))
    return keys


class KeywordIndex:
    """BM25 over each memory's keywords (and its conversational context), rebuilt when
    memories were added."""

    def __init__(self):
        self._lock = threading.Lock()
        self._built_for = -1  # the store's content_version the index was built for
        self._bm25 = None
        self._vocab: set[str] = set()
        self._own: list[set[str]] = []
        self._context: list[set[str]] = []

    def scores(self, store: MemoryStore, ids: list[str], query_terms: list[str]) -> np.ndarray:
        with self._lock:
            if self._built_for != store.content_version or len(self._own) != len(ids):
                self._build(store, ids)
                self._built_for = store.content_version
            known = [t for t in query_terms if t in self._vocab]
            if not known or self._bm25 is None:
                return np.zeros(len(ids), dtype=np.float32)
            return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def matched(self, row: int, query_terms: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(query terms the memory has, query terms only its preceding turn has)."""
        own = query_terms & self._own[row]
        return tuple(sorted(own)), tuple(sorted((query_terms & self._context[row]) - own))

    def _build(self, store: MemoryStore, ids: list[str]) -> None:
        import bm25s

        keys = keyword_keys([store.get(i) for i in ids])
        self._own = [set(own) for own, _ in keys]
        self._context = [set(context) for _, context in keys]
        # bm25s needs at least one token per document; an empty doc gets a token no query has.
        corpus = [(own + context) or ["\x00"] for own, context in keys]
        if corpus:
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)
            self._vocab = set(self._bm25.vocab_dict)
        else:
            self._bm25, self._vocab = None, set()


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
