"""Nearest memories by vector: exact up to the threshold, a FAISS inverted-file index
(re-scored exactly, built in the background) beyond."""
import numpy as np

from core.recall.vector_index import VectorIndex


def unit(rng, n, d=384):
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def clustered(rng, n, topics=200, d=384):
    centres = rng.standard_normal((topics, d)).astype(np.float32)
    x = centres[rng.integers(0, topics, n)] + 0.7 * rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def exact(matrix, q, allowed, k):
    s = np.where(allowed, matrix @ q, -np.inf)
    return list(np.argsort(-s, kind="stable")[:k])


def test_index_gives_the_exact_neighbours_and_follows_the_store():
    rng = np.random.default_rng(1)
    matrix = unit(rng, 3000)
    index = VectorIndex(approx_from=1000, probe=10_000)  # every group scanned: exact
    allowed = np.ones(3000, dtype=bool)
    allowed[::7] = False  # held back: never returned
    index.top(matrix, matrix[0], allowed, 10)  # starts the build; answered by an exact scan
    assert index.wait(60) and index._built.rows == 3000
    assert index._latest is None  # the worker lets go of the matrix when it is done
    for q in unit(rng, 20):
        rows, scores = index.top(matrix, q, allowed, 10, epoch=0)
        assert list(rows) == exact(matrix, q, allowed, 10)
        assert np.allclose(scores, matrix[rows] @ q)
    grown = np.vstack([matrix, unit(rng, 500)])  # new memories: found before the index has them
    rows, _ = index.top(grown, grown[3200], np.ones(3500, dtype=bool), 5, epoch=0)
    assert rows[0] == 3200
    assert index.wait(60) and index._built.rows == 3500  # then added, not rebuilt
    moved = grown[100:]  # a purge moved the rows: the epoch changes and the index is rebuilt
    rows, _ = index.top(moved, moved[0], np.ones(3400, dtype=bool), 3, epoch=1)
    assert rows[0] == 0
    assert index.wait(60) and (index._built.epoch, index._built.rows) == (1, 3400)
    rows, _ = index.top(moved, moved[0], np.ones(3400, dtype=bool), 3, epoch=1)
    assert rows[0] == 0


def test_scanning_some_groups_finds_nearly_all_true_neighbours():
    rng = np.random.default_rng(3)
    matrix = clustered(rng, 20_000)
    index = VectorIndex(approx_from=1000, lists=64, probe=8)
    allowed = np.ones(len(matrix), dtype=bool)
    index.top(matrix, matrix[0], allowed, 10)
    assert index.wait(120) and index._built.index.nlist == 64
    queries = matrix[rng.integers(0, len(matrix), 50)] + 0.05 * unit(rng, 50)
    found = [set(index.top(matrix, q, allowed, 10)[0]) & set(exact(matrix, q, allowed, 10)) for q in queries]
    assert np.mean([len(f) for f in found]) / 10 >= 0.9


def test_small_stores_are_scanned_exactly_and_mostly_held_back_falls_back():
    rng = np.random.default_rng(2)
    matrix = unit(rng, 500)
    q = unit(rng, 1)[0]
    allowed = np.zeros(500, dtype=bool)
    allowed[[3, 30, 300]] = True
    rows, _ = VectorIndex().top(matrix, q, allowed, 10)
    assert sorted(rows) == [3, 30, 300]
    index = VectorIndex(approx_from=100)
    index.top(matrix, q, allowed, 10)
    index.wait(60)
    rows, _ = index.top(matrix, q, allowed, 10)
    assert sorted(rows) == [3, 30, 300]


def test_a_failed_build_leaves_search_exact(monkeypatch):
    rng = np.random.default_rng(4)
    matrix = unit(rng, 2000)
    index = VectorIndex(approx_from=1000)

    def broken(_matrix):
        raise MemoryError("no room for the index")
    monkeypatch.setattr(index, "_empty", broken)
    allowed = np.ones(2000, dtype=bool)
    index.top(matrix, matrix[5], allowed, 3)
    assert index.wait(60) and isinstance(index.error, MemoryError)
    rows, _ = index.top(matrix, matrix[5], allowed, 3)
    assert list(rows) == exact(matrix, matrix[5], allowed, 3) and index._worker is None
