"""Nearest memories by vector. Up to APPROX_FROM memories: an exact scan of the in-memory
mirror (numpy; a few ms at 100k). Beyond: FAISS scans a half-precision copy of the vectors
(half the bytes of the mirror, SIMD, both cores), and the best candidates are re-scored
exactly from the mirror, so the order among them is the exact one.

The FAISS copy follows the store: new rows are added as they arrive; when rows move (a
purge) or a vector is replaced (a rewritten summary), it is rebuilt on the next search."""
from __future__ import annotations

import threading

import numpy as np

APPROX_FROM = 250_000
CANDIDATES = 4  # FAISS candidates per wanted result, before exact re-scoring


class VectorIndex:
    def __init__(self, approx_from: int = APPROX_FROM):
        self.approx_from = approx_from
        self._index = None
        self._rows = 0  # rows of the mirror the FAISS copy holds
        self._epoch = None
        self._lock = threading.Lock()

    def top(self, matrix: np.ndarray, query: np.ndarray, allowed: np.ndarray, depth: int,
            epoch: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(rows, exact scores) of the best `depth` allowed rows, best first."""
        n = matrix.shape[0]
        count = int(allowed.sum())
        depth = min(depth, count)
        if depth <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if n < self.approx_from:
            return _exact(matrix, query, allowed, depth)
        rows = self._candidates(matrix, query, epoch, depth * CANDIDATES + (n - count))
        rows = rows[(rows >= 0) & (rows < n)]
        rows = rows[allowed[rows]]
        if len(rows) < depth:  # most rows are held back: scan them all
            return _exact(matrix, query, allowed, depth)
        scores = matrix[rows] @ query
        best = np.argsort(-scores, kind="stable")[:depth]
        return rows[best], scores[best]

    def _candidates(self, matrix: np.ndarray, query: np.ndarray, epoch: int, k: int) -> np.ndarray:
        import faiss

        with self._lock:
            n = matrix.shape[0]
            if self._index is None or epoch != self._epoch or n < self._rows:
                self._index = faiss.IndexScalarQuantizer(matrix.shape[1], faiss.ScalarQuantizer.QT_fp16,
                                                         faiss.METRIC_INNER_PRODUCT)
                self._rows, self._epoch = 0, epoch
            if n > self._rows:
                self._index.add(np.ascontiguousarray(matrix[self._rows:n], dtype=np.float32))
                self._rows = n
            _scores, rows = self._index.search(query.reshape(1, -1).astype(np.float32), min(k, n))
        return rows[0].astype(np.int64)


def _exact(matrix: np.ndarray, query: np.ndarray, allowed: np.ndarray, depth: int):
    scores = matrix @ query
    masked = np.where(allowed, scores, -np.inf)
    top = np.argpartition(-masked, depth - 1)[:depth]
    top = top[np.argsort(-masked[top], kind="stable")]
    return top, scores[top]
