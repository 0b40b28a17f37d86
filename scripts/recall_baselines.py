"""The baselines Mnemo's retrieval is measured against, over the same turns in the same run:
"dense" = MiniLM cosine on the turn's text, "dense+spk" = on "Speaker: text", "bm25" = BM25
(Snowball stems, stop words removed, core/text.py) on the text. Used by
scripts/eval_locomo_recall.py and scripts/eval_memorybank_recall.py.

`imported` puts a history into a fresh Mnemo (the real facade: importance, facts, guard) the
way `mnemo import` does; `labelled` maps what a search returns back to the data set's turn
labels (a fact counts as the turn it was made from)."""
from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np

from app.paths import default_model_path
from core.answering.llm import LlamaModel
from core.memory.records import Kind
from core.mnemo import Mnemo
from core.text import terms, terms_many


def recall(ranked: list[str], gold: set[str], k: int) -> float:
    return len(gold & set(ranked[:k])) / len(gold)


def imported(folder: Path, clock, embedder, sample: Path, labels: list[str]):
    """A fresh Mnemo in `folder` holding the history in `sample`, and {memory id: label}
    (`labels`: one per turn, in the file's order)."""
    mnemo = Mnemo(Path(folder) / "data", clock, embedder, LlamaModel(default_model_path()))
    parsed = mnemo.read_import(sample)
    assert len(parsed.turns) == len(labels) and not parsed.rejected.total, (len(parsed.turns), len(labels))
    mnemo.import_parsed(parsed, sample.name)
    turns = [m for m in mnemo.store.all() if m.kind == Kind.TURN]  # in the order they were imported
    label_of = {m.id: label for m, label in zip(turns, labels)}
    for fact in (m for m in mnemo.store.all() if m.kind == Kind.FACT):
        label_of[fact.id] = next((label_of[i] for i in fact.links if i in label_of), "")
    return mnemo, parsed, label_of


def labelled(hits, label_of: dict) -> list[str]:
    """The turn labels of ranked hits, each once, in order."""
    out = []
    for hit in hits:
        label = label_of.get(hit.memory.id, "")
        if label and label not in out:
            out.append(label)
    return out


def grid_rows(tuned: dict) -> list[list]:
    """[rrf_k, keyword_weight, R@10 on the fit part, R@10 held out], best on the fit part first:
    every setting is run on both parts, and only the fit figure may be used to choose."""
    settings = sorted({(k, w) for k, w, _ in tuned})
    rows = [[k, w, float(np.mean(tuned[(k, w, "fit")])), float(np.mean(tuned.get((k, w, "held out"), [np.nan])))]
            for k, w in settings]
    return sorted(rows, key=lambda r: -r[2])


class Baselines:
    def __init__(self, embedder, texts: list[str], speakers: list[str], ids: list[str]):
        self.embedder = embedder
        self.ids = ids
        self.plain = embedder.embed(texts)
        self.spk = embedder.embed([f"{s}: {t}" if s else t for s, t in zip(speakers, texts)])
        self.bm25 = bm25s.BM25()
        self.bm25.index([t or ["\x00"] for t in terms_many(texts)], show_progress=False)
        self.vocab = set(self.bm25.vocab_dict)

    def rank(self, question: str, qvec: np.ndarray, k: int) -> dict[str, list[str]]:
        dense = np.argsort(-(self.plain @ qvec))[:k]
        dense_spk = np.argsort(-(self.spk @ qvec))[:k]
        qterms = [t for t in terms(question) if t in self.vocab]
        kw = []
        if qterms:
            scores = self.bm25.get_scores(qterms)
            kw = [i for i in np.argsort(-scores)[:k] if scores[i] > 0]
        return {"dense": [self.ids[i] for i in dense], "dense+spk": [self.ids[i] for i in dense_spk],
                "bm25": [self.ids[i] for i in kw]}
