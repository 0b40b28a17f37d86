"""Hybrid retrieval: exact dense search (MiniLM cosine over the in-memory matrix) fused with
BM25 keyword search by reciprocal rank fusion. Every hit says why it was chosen."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

import numpy as np

from ..clock import Clock
from ..days import ago
from ..memory.decay import DAY, DecayPolicy
from ..memory.mirror import STATE_IDS
from ..memory.records import RETRIEVABLE_STATES, Kind, Memory, Source, State
from ..memory.store import MemoryStore
from ..text import terms
from .embedder import Embedder
from .keywords import KeywordIndex, index_text
from .time_words import Window, event_side, window
from .vector_index import VectorIndex

__all__ = ["Hit", "KeywordIndex", "MIN_SIMILARITY", "Retriever", "distinct", "index_text", "shown"]

MODES = ("hybrid", "dense", "bm25")
# A forgotten memory comes back into an answer on a strong cue (Retriever.cued): ranked by relevance
# alone it is among the CUE_RANK best for the question, and close in meaning (CUE_SIMILARITY) or
# sharing most of the question's words (CUE_WORDS). Chosen on LoCoMo conversations 1-5
# (scripts/eval_lifetime.py --cue-grid), reported on 6-10: see docs/results.md.
CUE_SIMILARITY = 0.3
CUE_RANK = 10
TIME_BOOST = 2.0  # memories from the time the question names rank this much higher
TIME_DEPTH = 20  # ...and that many of them are looked for, even beyond the usual candidates
EVENT_SIMILARITY = 0.45  # "before my trip to Kyoto": the trip is the memory closest to "trip to Kyoto", if this close
# ...and that memory only marks the window's edge: it is not what the question asks about ("What did I pack
# before my trip?"). It takes no boost and ranks below every relevant memory inside the window (just below:
# EVENT_BELOW of the lowest one's score); with none inside it keeps its place (it may hold the answer itself).
EVENT_BELOW = 0.99
CUE_WORDS = 0.6
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
    cued: bool = False  # forgotten, but the question named it so clearly that it came back
    in_time: str = ""  # the question's time words this memory's date falls in ("last week")
    marks_time: str = ""  # the event whose date bounds the question's time ("before my trip to Kyoto")
    recalled: str = ""  # for a cued hit: "nearly forgotten, from 3 months ago"
    replaces: str = ""  # a newer statement brought in for an older one: "replaces what was said on 10 Feb"
    superseded: bool = False  # states a value the user has since replaced

    @property
    def relevant(self) -> bool:
        return (self.dense_score or 0.0) >= MIN_SIMILARITY or bool(self.matched_terms or self.context_terms)

    @property
    def reason(self) -> str:
        parts = [self.recalled] if self.recalled else []
        if self.replaces:
            parts.append(self.replaces)
        if self.superseded:
            parts.append("said before a newer statement replaced it")
        if self.dense_rank is not None:
            parts.append(f"close in meaning (similarity {self.dense_score:.2f}, rank {self.dense_rank})")
        if self.keyword_rank is not None and self.matched_terms:
            shown = ", ".join(self.matched_terms[:6])
            parts.append(f"shares the words {shown} (keyword rank {self.keyword_rank})")
        if self.keyword_rank is not None and self.context_terms:
            shown = ", ".join(self.context_terms[:6])
            parts.append(f"replies to a turn that mentions {shown}")
        if self.in_time:
            parts.append(f"from the time the question names ({self.in_time})")
        if self.marks_time:
            parts.append(f"the event the question's time is measured from ({self.marks_time})")
        return "; ".join(parts) if parts else "recent memory"


def _words(hit: Hit) -> str:
    return " ".join(hit.memory.text.casefold().split()).rstrip(".!")


def shown(hits: list[Hit]) -> list[Hit]:
    """What a search shows: `distinct`, and a nearly forgotten episode whose fact has its very
    words gives way to the fact. (An answer keeps both: using the episode reinforces it.)"""
    kept = distinct(hits)
    told = {(source, _words(h)) for h in kept if h.memory.kind == Kind.FACT for source in h.memory.links}
    return [h for h in kept if not (h.cued and (h.memory.id, _words(h)) in told)]


def distinct(hits: list[Hit]) -> list[Hit]:
    """One hit per statement: a fact says what the episode it came from said; the episode
    stays (its time, source and words), in the better of the two places, and the fact takes
    its place once the episode is gone, nearly forgotten or not among the hits. A fact with the same
    words as another episode is the same statement too. (Two episodes with the same words are
    two events, and both stay; two facts of one episode not among the hits both stay.)"""
    words = _words
    present = [h for h in hits if h.memory.kind != Kind.FACT and not h.cued]  # a cued one is nearly gone
    episodes = {h.memory.id for h in present}
    said = {}
    for h in present:
        said.setdefault(words(h), h.memory.id)
    place = {h.memory.id: i for i, h in enumerate(hits)}
    kept = []
    for i, hit in enumerate(hits):
        memory = hit.memory
        if memory.kind == Kind.FACT:
            sources = [s for s in memory.links if s in episodes] or ([said[words(hit)]] if words(hit) in said else [])
            if sources:
                for source in sources:
                    place[source] = min(place[source], i)  # the episode takes the fact's better place
                continue
        kept.append(hit)
    return sorted(kept, key=lambda h: place[h.memory.id])


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
        forgotten_too: bool = False,
        time_aware: bool = True,
        weigh_retention: bool = True,
    ) -> list[Hit]:
        """`query_vector`: the query's embedding when the caller already has it.
        `forgotten_too`: memories below the forgetting line take part as well (a search the
        user makes in the Memories tab; answers use `cued` instead). `time_aware`: memories
        from the stretch of time the question names ("last week", "before my trip to Kyoto")
        are looked for among all and rank higher (core/recall/time_words.py).
        `weigh_retention`: False ranks by relevance alone (how a strong cue is recognised)."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {', '.join(MODES)}")
        ids, matrix, content_version = self.store.versioned_snapshot()
        if not ids or not query.strip():
            return []
        allowed = self._allowed(ids, frozenset(states)).copy()
        kept = self.retentions(len(ids), content_version)
        if not forgotten_too:
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
        span = self.time_window(query) if time_aware else None
        inside = None
        if span is not None:
            inside = self._inside(span, len(ids), allowed)
            if inside is not None and mode != "bm25" and inside.any():
                rows, scores = self.vectors.top(matrix, qvec, inside, TIME_DEPTH, self.store.vector_epoch)
                for row, score in zip(rows.tolist(), scores.tolist()):
                    if row not in dense_rank:
                        dense_rank[row] = len(dense_rank) + 1
                        dense_scores[row] = score
        if mode in ("hybrid", "bm25"):
            keyword_scores = self._keywords.scores(self.store, ids, query_terms)
            positive = allowed & (keyword_scores > 0)
            keyword_rank = _rank(np.where(positive, keyword_scores, -np.inf), depth, positive)
        fused: dict[int, float] = {}
        for ranks, weight in ((dense_rank, 1.0), (keyword_rank, self.keyword_weight)):
            for row, rank in ranks.items():
                fused[row] = fused.get(row, 0.0) + weight / (self.rrf_k + rank)
        rw = self.policy.retention_weight if weigh_retention else 0.0
        fused = {row: score * (1.0 - rw + rw * kept[row]) for row, score in fused.items()}
        if inside is not None:
            fused = {row: score * (TIME_BOOST if inside[row] else 1.0) for row, score in fused.items()}
        edge = self.store.row_of(span.anchor) if span is not None and span.anchor else None
        if edge in fused and inside is not None:
            within = [score for row, score in fused.items() if inside[row] and (
                row in keyword_rank or (dense_scores or {}).get(row, 0.0) >= MIN_SIMILARITY)]
            fused[edge] = min([fused[edge]] + [EVENT_BELOW * score for score in within])
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
                    in_time=span.words if inside is not None and inside[row] else "",
                    marks_time=span.words if row == edge else "",
                )
            )
        return hits

    def time_window(self, query: str):
        """The stretch of time the question names, if any. For the side of an event ("before my
        trip to Kyoto", "after I moved to Leeds") the event is the memory closest in meaning to
        it (EVENT_SIMILARITY and up) among what the user said; the window is the `anchor`'s."""
        now = self.clock.now()
        span = window(query, now)
        if span is not None:
            return span
        side = event_side(query)
        if side is None:
            return None
        found = [h for h in self.search(side.event, k=5, mode="dense", time_aware=False, weigh_retention=False)
                 if (h.dense_score or 0.0) >= EVENT_SIMILARITY and _can_mark_time(h.memory)]
        if not found:
            return None
        event = max(found, key=lambda h: h.dense_score).memory
        words = side.words or f"{side.side} {side.event}"
        if side.side == "before":
            return Window(None, event.when, words, anchor=event.id)
        return Window(event.when, None, words, anchor=event.id)

    def _inside(self, span, n: int, allowed: np.ndarray) -> np.ndarray | None:
        cols = self.store.columns()
        if len(cols["ids"]) != n:
            return None
        when = cols["when"]
        low = -np.inf if span.start is None else span.start
        high = np.inf if span.end is None else span.end
        inside = allowed & (when >= low) & (when < high)
        edge = self.store.row_of(span.anchor) if span.anchor else None
        if edge is not None and edge < n:
            inside[edge] = False  # the event marks the window; it is not in it
        return inside

    def cued(self, query: str, k: int = 5, query_vector: np.ndarray | None = None) -> list[Hit]:
        """Forgotten memories the question cues so strongly that they come back: ranked by
        relevance alone among everything kept, they are among the CUE_RANK best, and close in
        meaning (CUE_SIMILARITY and up) or share most of its words (CUE_WORDS). Forgetting
        takes a memory out of free association, not out of recognition. Each is marked."""
        ids, _, content_version = self.store.versioned_snapshot()
        if not ids:
            return []
        kept = self.retentions(len(ids), content_version)
        now = self.clock.now().timestamp()
        weak = {ids[i] for i in np.flatnonzero(kept < self.policy.forget_below)}
        hits = self.search(query, k=CUE_RANK, states=RETRIEVABLE_STATES | {State.FORGOTTEN},
                           query_vector=query_vector, forgotten_too=True, weigh_retention=False)
        wanted = set(terms(query))
        out = []
        for hit in hits:
            if hit.memory.state != State.FORGOTTEN and hit.memory.id not in weak:
                continue
            words = len(set(hit.matched_terms)) / max(len(wanted), 1)
            if (hit.dense_score or 0.0) >= CUE_SIMILARITY or (len(hit.matched_terms) >= 2 and words >= CUE_WORDS):
                out.append(replace(hit, cued=True, recalled=f"nearly forgotten, from {ago(hit.memory.when, now)}"))
        return out[:k]

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
            mask = np.isin(cols["state_id"], wanted) & ~cols["superseded"]
        else:
            mask = np.fromiter((self.store.get(i).state in states and self.store.get(i).valid_until is None
                                for i in ids), dtype=bool, count=len(ids))
        self._mask_cache = (key, states, mask)
        return mask


def _can_mark_time(memory: Memory) -> bool:
    """An event's time is taken from what the user (or an import) said: not from the assistant's
    words, a question asked in the chat, a lesson, the portrait or the overview."""
    if memory.kind in (Kind.LESSON, Kind.PORTRAIT, Kind.GLOBAL_SUMMARY) or memory.role == "assistant":
        return False
    if memory.source == Source.ASSISTANT:
        return False
    return not (memory.source == Source.CHAT and memory.kind == Kind.TURN and memory.text.rstrip().endswith("?"))


def _rank(scores: np.ndarray, depth: int, valid: np.ndarray) -> dict[int, int]:
    """Row -> 1-based rank for the best `depth` valid rows."""
    count = int(valid.sum())
    if count == 0:
        return {}
    depth = min(depth, count)
    top = np.argpartition(-scores, depth - 1)[:depth]
    top = top[np.argsort(-scores[top], kind="stable")]
    return {int(row): rank for rank, row in enumerate(top, start=1)}
