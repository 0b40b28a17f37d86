"""Checksums and vector rules: what the store verifies on every open."""
import numpy as np
import pytest

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


def _signed_store(tmp_path, clock, texts):
    from core.memory.store import MemoryStore
    from tests.core.memory.test_store import _memory

    store = MemoryStore.open(tmp_path, clock)
    store.add([_memory(t, clock) for t in texts], actor="user", reason="t")
    store.close()


def _change_outside(tmp_path, where, values):
    """Change rows with LanceDB itself and make the ledger agree, as someone who knows the files would."""
    import json

    import lancedb

    table = lancedb.connect(str(tmp_path / "store")).open_table("memories")
    table.update(where=where, values=values)
    ledger_path = tmp_path / "store" / "integrity.json"
    ledger = json.loads(ledger_path.read_text())
    ledger["tables"]["memories"]["version"] = table.version
    ledger_path.write_text(json.dumps(ledger))


@pytest.mark.parametrize("emptied", [None, ""])
def test_a_record_without_its_checksum_is_damage(tmp_path, clock, emptied):
    from core.memory.store import MemoryStore

    _signed_store(tmp_path, clock, ["The garage code is 4417", "Anna lives in Lisbon"])
    _change_outside(tmp_path, "text = 'The garage code is 4417'", {"text": "The garage code is 0000",
                                                                    "checksum": emptied})
    store = MemoryStore.open(tmp_path, clock)
    try:
        assert [m.text for m in store.all()] == ["Anna lives in Lisbon"]  # left out, not served
        assert len(store.damage) == 1 and "1 memory has no checksum" in store.damage[0], store.damage
        assert "mnemo check --repair" in store.damage_message
        from core.memory.check import inspect

        assert any("no checksum" in p for p in inspect(tmp_path / "store"))
    finally:
        store.close()


def test_records_of_a_store_not_yet_migrated_to_checksums_are_not_damage(tmp_path, clock):
    """A migration cut short after the checksum column was added, before it was filled."""
    import lancedb

    from core.memory.schema import V2_FIELDS, V3_FIELDS
    from core.memory.store import MemoryStore
    from tests.core.memory.test_store import _memory, _write_v1_store

    _write_v1_store(tmp_path, [_memory("an old note", clock)])
    lancedb.connect(str(tmp_path / "store")).open_table("memories").add_columns(V2_FIELDS + V3_FIELDS)
    store = MemoryStore.open(tmp_path, clock)
    try:
        assert not store.damage and [m.text for m in store.all()] == ["an old note"]
    finally:
        store.close()
    again = MemoryStore.open(tmp_path, clock)  # migrated and signed now: opens clean again
    assert not again.damage and again.check() == []
    again.close()
