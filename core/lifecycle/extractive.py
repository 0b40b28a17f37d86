"""Extractive summarising: split into sentences (pysbd), embed them, and pick the most
central ones (closest to the centroid) while avoiding repeats (maximal marginal relevance).
Works with any embedder, so summaries are useful even with the small default model."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..recall.embedder import Embedder

MIN_WORDS = 4
MAX_SENTENCE_CHARS = 220
_FILLER = re.compile(r"^(hi|hello|hey|thanks|thank you|ok|okay|bye|good (morning|night|evening))\b[\s,!.]*", re.I)


@dataclass(frozen=True)
class Sentence:
    text: str
    origin: object  # what it came from (a Memory, a day...)
    weight: float = 1.0  # multiplies its centrality (e.g. prefer what the user said)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str, min_words: int = MIN_WORDS) -> list[str]:
    """Sentences worth quoting: at least MIN_WORDS words, greetings and thanks dropped,
    overly long ones clipped at a word boundary."""
    out = []
    for raw in _segmenter().segment(" ".join(text.split())):
        sentence = raw.strip()
        rest = _FILLER.sub("", sentence).strip()
        if len(sentence.split()) < min_words or len(rest.split()) < min(2, min_words):
            continue
        out.append(clip(sentence))
    return out


def clip(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def central(sentences: list[Sentence], embedder: Embedder, k: int, diversity: float = 0.3,
            per_origin: int | None = None) -> list[Sentence]:
    """The k most central, mutually different sentences (in the order chosen). `diversity`
    trades centrality for novelty; `per_origin` caps how many come from one origin."""
    if not sentences or k <= 0:
        return []
    vectors = np.asarray(embedder.embed([s.text for s in sentences]), dtype=np.float32)
    centroid = vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    relevance = (vectors @ centroid) * np.array([s.weight for s in sentences])
    chosen: list[int] = []
    taken: dict[int, int] = {}
    while len(chosen) < min(k, len(sentences)):
        best, best_score = None, -np.inf
        for i in range(len(sentences)):
            if i in chosen or (per_origin and taken.get(id(sentences[i].origin), 0) >= per_origin):
                continue
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            score = (1 - diversity) * relevance[i] - diversity * redundancy
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
        taken[id(sentences[best].origin)] = taken.get(id(sentences[best].origin), 0) + 1
    return [sentences[i] for i in chosen]
