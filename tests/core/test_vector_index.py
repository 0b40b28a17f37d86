"""Nearest memories by vector: exact up to the threshold, FAISS (re-scored exactly) beyond."""
import numpy as np

from core.vector_index import VectorIndex


def unit(rng, n, d=384):
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def exact(matrix, q, allowed, k):
    s = np.where(allowed, matrix @ q, -np.inf)
    return list(np.argsort(-s, kind="stable")[:k])


def test_faiss_path_gives_the_exact_neighbours_and_follows_the_store():
    rng = np.random.default_rng(1)
    matrix = unit(rng, 3000)
    index = VectorIndex(approx_from=1000)
    allowed = np.ones(3000, dtype=bool)
    allowed[::7] = False  # held back: never returned
    for q in unit(rng, 20):
        rows, scores = index.top(matrix, q, allowed, 10, epoch=0)
        assert list(rows) == exact(matrix, q, allowed, 10)
        assert np.allclose(scores, matrix[rows] @ q)
    grown = np.vstack([matrix, unit(rng, 500)])  # new memories arrive: added, not rebuilt
    q = grown[3200]
    rows, _ = index.top(grown, q, np.ones(3500, dtype=bool), 5, epoch=0)
    assert rows[0] == 3200 and index._rows == 3500
    moved = grown[100:]  # a purge moved the rows: the epoch changes and the copy is rebuilt
    rows, _ = index.top(moved, moved[0], np.ones(3400, dtype=bool), 3, epoch=1)
    assert rows[0] == 0 and index._rows == 3400


def test_small_stores_are_scanned_exactly_and_mostly_held_back_falls_back():
    rng = np.random.default_rng(2)
    matrix = unit(rng, 500)
    q = unit(rng, 1)[0]
    allowed = np.zeros(500, dtype=bool)
    allowed[[3, 30, 300]] = True
    rows, _ = VectorIndex().top(matrix, q, allowed, 10)
    assert sorted(rows) == [3, 30, 300]
    rows, _ = VectorIndex(approx_from=100).top(matrix, q, allowed, 10)
    assert sorted(rows) == [3, 30, 300]
