"""Checksums and vector rules: what the store verifies on every open."""
import numpy as np

from core.memory.integrity import CHECKED_FIELDS, LedgerState, TableState, bad_vectors, compare, record_checksum, \
    record_checksums


def test_the_batch_and_the_single_checksum_agree_and_notice_any_change():
    rows = [{"id": "a", "text": "Anna lives in Lisbon ☃", "kind": "note", "source": "user", "role": None,
             "speaker": "", "conversation_id": "", "created_at": 5, "event_at": None, "content_hash": "h"},
            {"id": "b", "text": "x" * 5000, "kind": "turn", "source": "import:f", "role": "user",
             "speaker": "Mel", "conversation_id": "c", "created_at": 1.7e9, "event_at": 1.6e9, "content_hash": "g"}]
    vectors = np.eye(2, 384, dtype=np.float32)
    columns = {name: [r[name] for r in rows] for name in CHECKED_FIELDS}
    single = [record_checksum(r, v) for r, v in zip(rows, vectors)]
    assert record_checksums(columns, vectors) == single
    assert record_checksum({**rows[0], "created_at": 5.0}, vectors[0]) == single[0]  # 5 and 5.0: the same time
    assert record_checksum({**rows[0], "text": "Anna lives in Lisbon ☂"}, vectors[0]) != single[0]
    flipped = vectors[0].copy()
    flipped[7] = np.nextafter(flipped[7], 1)  # the smallest change to one float
    assert record_checksum(rows[0], flipped) != single[0]


def test_impossible_vectors_are_found():
    good = np.eye(3, 384, dtype=np.float32)
    bad = good.copy()
    bad[1, 3] = 699.0
    bad[2, 0] = np.nan
    assert list(bad_vectors(good)) == [False] * 3 and list(bad_vectors(bad)) == [False, True, True]


def test_the_ledger_comparison_names_a_table_that_went_back_or_lost_rows():
    saved = LedgerState({"memories": TableState(9, 100), "history": TableState(9, 120)})
    assert compare(saved, {"memories": TableState(9, 100), "history": TableState(9, 120)}) == []
    went_back = compare(saved, {"memories": TableState(8, 99), "history": TableState(9, 120)})
    assert went_back == ["the memories table went back to an older version: 1 saved change is missing"]
    assert "holds 100 rows where 120" in compare(saved, {"memories": TableState(9, 100),
                                                         "history": TableState(9, 100)})[0]
    assert compare(saved, {"history": TableState(9, 120)}) == ["the memories table is missing"]
    during = LedgerState(saved.tables, pending={"memories": 9, "history": 9})
    assert compare(during, {"memories": TableState(11, 140), "history": TableState(10, 160)}) == []
