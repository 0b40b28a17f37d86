"""Nearest memories by vector. Up to APPROX_FROM memories: an exact scan of the in-memory
mirror (numpy; a few ms at 100k). Beyond: a FAISS inverted-file index over a half-precision
copy of the vectors (the vectors are grouped around LISTS centres; a search scans the PROBE
groups nearest to the question), and the best candidates are re-scored exactly from the
mirror, so the order among them is the exact one.

The FAISS index is built in a background thread (a minute or so at 1M memories); until it
is ready, searches scan exactly, so nothing waits on it. It then follows the store: rows
appended since it was built are scanned exactly at each search and added to it in the
background; when rows move (a purge) or a vector is replaced (a rewritten summary) the
store's vector epoch changes and the index is rebuilt, reusing the trained centres."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

APPROX_FROM = 250_000
LISTS = 1024        # groups of vectors (k-means centres)
PROBE = 96          # groups scanned per search
CANDIDATES = 4      # FAISS candidates per wanted result, before exact re-scoring
TRAIN_PER_LIST = 64  # training sample: this many vectors per group
ADD_CHUNK = 20_000   # rows added per step (a search waits at most for one step)


@dataclass
class _Built:
    index: object
    epoch: int
    rows: int  # rows of the mirror the index holds


class VectorIndex:
    def __init__(self, approx_from: int = APPROX_FROM, lists: int = LISTS, probe: int = PROBE):
        self.approx_from = approx_from
        self.lists = lists
        self.probe = probe
        self._built: _Built | None = None
        self._trained = None  # an empty index with trained centres, cloned by rebuilds
        self._trained_on = 0
        self._latest: tuple[np.ndarray, int] | None = None
        self._worker: threading.Thread | None = None
        self._state = threading.Lock()   # guards _built/_latest/_worker
        self._faiss = threading.Lock()   # one FAISS call at a time on the live index
        self.error: BaseException | None = None  # a failed build: searches stay exact

    def top(self, matrix: np.ndarray, query: np.ndarray, allowed: np.ndarray, depth: int,
            epoch: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(rows, exact scores) of the best `depth` allowed rows, best first."""
        n = matrix.shape[0]
        depth = min(depth, int(allowed.sum()))
        if depth <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if n < self.approx_from:
            return _exact(matrix, query, allowed, depth, epoch)
        built = self._follow(matrix, epoch)
        if built is None:
            return _exact(matrix, query, allowed, depth, epoch)
        rows, held = self._candidates(built, query, allowed, depth * CANDIDATES)
        tail = np.arange(held, n)[allowed[held:n]]  # newer than the index: scanned exactly
        rows = np.concatenate([rows[rows < n], tail])
        if len(rows) < depth:  # most rows are held back: scan them all
            return _exact(matrix, query, allowed, depth)
        scores = matrix[rows] @ query
        best = np.argsort(-scores, kind="stable")[:depth]
        return rows[best], scores[best]

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the background work is done (tests, benchmarks); True when idle."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
        return self._worker is None or not self._worker.is_alive()

    def _follow(self, matrix: np.ndarray, epoch: int) -> _Built | None:
        """The index when it matches the store's rows, else None; starts background work."""
        with self._state:
            self._latest = (matrix, epoch)
            built = self._built
            usable = built is not None and built.epoch == epoch and built.rows <= matrix.shape[0]
            behind = not usable or built.rows < matrix.shape[0]
            if behind and self._worker is None and self.error is None:
                self._worker = threading.Thread(target=self._work, name="mnemo-vector-index", daemon=True)
                self._worker.start()
            return built if usable else None

    def _candidates(self, built: _Built, query: np.ndarray, allowed: np.ndarray,
                    k: int) -> tuple[np.ndarray, int]:
        """(candidate rows, rows the index held): only allowed rows are scanned."""
        import faiss

        with self._faiss:  # the background adder cannot change the row count meanwhile
            held = built.rows
            mask = np.zeros(held, dtype=bool)  # one bit per row the index holds (FAISS does not bound-check)
            held = min(held, len(allowed))  # the index may already hold rows newer than this search's
            mask[:held] = allowed[:held]
            bits = np.packbits(mask, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits))
            params = faiss.SearchParametersIVF(sel=selector, nprobe=min(self.probe, built.index.nlist))
            _scores, rows = built.index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        rows = rows[0]
        return rows[rows >= 0].astype(np.int64), held

    def _work(self) -> None:
        try:
            while True:
                with self._state:
                    matrix, epoch = self._latest
                    built = self._built
                    n = matrix.shape[0]
                    if built is not None and built.epoch == epoch and built.rows == n:
                        self._worker = None
                        self._latest = None  # do not keep an outgrown mirror alive
                        return
                if built is None or built.epoch != epoch or built.rows > n:
                    fresh = _Built(self._empty(matrix), epoch, 0)
                    _add(fresh, matrix, n, threading.Lock())
                    with self._state:
                        self._built = fresh
                else:
                    _add(built, matrix, n, self._faiss)
        except BaseException as exc:  # noqa: BLE001 - recorded; searches stay exact
            with self._state:
                self.error = exc
                self._worker = None
                self._latest = None

    def _empty(self, matrix: np.ndarray):
        import faiss

        n, dim = matrix.shape
        if self._trained is None or n >= 4 * self._trained_on:
            lists = max(1, min(self.lists, n // TRAIN_PER_LIST))
            index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dim), dim, lists,
                                                  faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
            index.cp.niter = 10
            sample = np.random.default_rng(0).choice(n, min(n, lists * TRAIN_PER_LIST), replace=False)
            index.train(np.ascontiguousarray(matrix[np.sort(sample)], dtype=np.float32))
            self._trained, self._trained_on = index, n
        return faiss.clone_index(self._trained)


def _add(built: _Built, matrix: np.ndarray, n: int, lock: threading.Lock) -> None:
    for start in range(built.rows, n, ADD_CHUNK):
        stop = min(start + ADD_CHUNK, n)
        chunk = np.ascontiguousarray(matrix[start:stop], dtype=np.float32)
        with lock:
            built.index.add(chunk)
            built.rows = stop


_LAST = threading.local()  # this thread's last exact scan: (matrix, its rows, epoch, query, scores)


def _scores(matrix: np.ndarray, query: np.ndarray, epoch: int | None) -> np.ndarray:
    """matrix @ query; a question's searches (its hits, then what it cues) scan once, not twice.
    Reused only for the same matrix, rows and vector epoch (a replaced vector changes it)."""
    last = getattr(_LAST, "scan", None)
    if (epoch is not None and last is not None and last[0] is matrix and last[1] == matrix.shape[0]
            and last[2] == epoch and last[3].shape == query.shape and np.array_equal(last[3], query)):
        return last[4]
    scores = matrix @ query
    _LAST.scan = (matrix, matrix.shape[0], epoch, np.array(query, copy=True), scores)
    return scores


def _exact(matrix: np.ndarray, query: np.ndarray, allowed: np.ndarray, depth: int, epoch: int | None = None):
    scores = _scores(matrix, query, epoch)
    masked = np.where(allowed, scores, -np.inf)
    top = np.argpartition(-masked, depth - 1)[:depth]
    top = top[np.argsort(-masked[top], kind="stable")]
    return top, scores[top]
