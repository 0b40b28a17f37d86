"""Keyword search: BM25 over each memory's stemmed words (and, for a conversation turn, the
words of the turn before it), kept in step with the store row by row.

The scoring is BM25's Lucene variant, as bm25s computes it (tests/core/recall/test_keywords.py
checks the figures against bm25s): idf = ln(1 + (N - df + 0.5) / (df + 0.5)), a term's weight
idf * tf / (tf + k1 * (1 - b + b * length / average length)), k1 = 1.5, b = 0.75. Where bm25s rebuilds its whole index for every change (2 s at 50,000 memories),
this one appends the new rows' postings, rewrites only a row whose text changed, and is
rebuilt only when rows move (a purge)."""
from __future__ import annotations

import math
import threading
from collections import Counter

import numpy as np

from ..memory.records import Kind, Memory
from ..text import terms_many

K1 = 1.5
B = 0.75
EMPTY = "\x00"  # a memory without words still counts as a document of length 1 (as in bm25s)


def index_text(memory: Memory) -> str:
    """The text a memory is found by: the speaker's name belongs to what was said."""
    return f"{memory.speaker}: {memory.text}" if memory.speaker else memory.text


class _Postings:
    __slots__ = ("rows", "tfs", "arrays")

    def __init__(self):
        self.rows: list[int] = []
        self.tfs: list[int] = []
        self.arrays: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, row: int, tf: int) -> None:
        self.rows.append(row)
        self.tfs.append(tf)
        self.arrays = None

    def remove(self, row: int) -> None:
        i = self.rows.index(row)
        del self.rows[i], self.tfs[i]
        self.arrays = None

    def numpy(self) -> tuple[np.ndarray, np.ndarray]:
        if self.arrays is None:
            self.arrays = (np.asarray(self.rows, dtype=np.int64), np.asarray(self.tfs, dtype=np.float64))
        return self.arrays


class KeywordIndex:
    def __init__(self):
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._ids: list[str] = []
        self._texts: list[str] = []  # the text each row was indexed from (to notice a rewrite)
        self._words: list[list[str]] = []  # each row's own stemmed words, in order
        self._previous: list[int | None] = []  # a turn's preceding turn in its conversation
        self._own: list[set[str]] = []
        self._context: list[set[str]] = []
        self._counts: list[Counter] = []
        self._lengths: list[int] = []
        self._postings: dict[str, _Postings] = {}
        self._last_turn: dict[str, int] = {}  # conversation -> row of its latest turn
        self._total_length = 0
        self._epoch = None
        self._length_array: np.ndarray | None = None

    # ---------------------------------------------------------------- keeping in step
    def sync(self, store, ids: list[str]) -> None:
        """Follow the store's rows `ids` (its snapshot): append, rewrite or rebuild."""
        n = len(self._ids)
        if len(ids) < n or ids[:n] != self._ids:
            self._reset()
            n = 0
        elif store.vector_epoch != self._epoch and n:  # a record was rewritten in place (a summary)
            changed = [row for row in range(n) if store.get(ids[row]).text is not self._texts[row]]
            for row in changed:
                self._unindex(row)
                self._index(row, store.get(ids[row]), terms_many([index_text(store.get(ids[row]))])[0])
        if len(ids) > n:
            memories = [store.get(i) for i in ids[n:]]
            self._ids.extend(ids[n:])
            for memory, words in zip(memories, terms_many([index_text(m) for m in memories])):
                row = len(self._texts)
                previous = None
                if memory.kind == Kind.TURN:
                    previous = self._last_turn.get(memory.conversation_id)
                    self._last_turn[memory.conversation_id] = row
                for column, value in ((self._texts, ""), (self._words, []), (self._previous, previous),
                                      (self._own, set()), (self._context, set()), (self._counts, Counter()),
                                      (self._lengths, 0)):
                    column.append(value)
                self._index(row, memory, words)
        self._epoch = store.vector_epoch

    def _index(self, row: int, memory: Memory, words: list[str]) -> None:
        previous = self._previous[row]
        context = self._words[previous] if previous is not None else []
        tokens = (words + context) or [EMPTY]
        counts = Counter(tokens)
        self._texts[row], self._words[row] = memory.text, words
        self._own[row], self._context[row] = set(words), set(context)
        self._counts[row], self._lengths[row] = counts, len(tokens)
        self._total_length += len(tokens)
        self._length_array = None
        for term, tf in counts.items():
            self._postings.setdefault(term, _Postings()).add(row, tf)

    def _unindex(self, row: int) -> None:
        for term in self._counts[row]:
            self._postings[term].remove(row)
        self._total_length -= self._lengths[row]
        self._counts[row], self._lengths[row] = Counter(), 0

    # ---------------------------------------------------------------- searching
    def scores(self, store, ids: list[str], query_terms: list[str]) -> np.ndarray:
        """BM25 score of every row of `ids` for the query's terms (0 where none matches)."""
        with self._lock:
            self.sync(store, ids)
            out = np.zeros(len(ids), dtype=np.float32)
            n = len(ids)
            if not n or not query_terms:
                return out
            average = self._total_length / n
            if self._length_array is None or len(self._length_array) != n:
                self._length_array = np.asarray(self._lengths, dtype=np.float64)
            lengths = self._length_array
            for term in query_terms:
                postings = self._postings.get(term)
                if postings is None or not postings.rows:
                    continue
                rows, tf = postings.numpy()
                df = len(rows)
                idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
                norm = K1 * (1.0 - B + B * lengths[rows] / average)
                out[rows] += (idf * tf / (tf + norm)).astype(np.float32)
            return out

    def matched(self, row: int, query_terms: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(query terms the memory has, query terms only its preceding turn has)."""
        own = query_terms & self._own[row]
        return tuple(sorted(own)), tuple(sorted((query_terms & self._context[row]) - own))
