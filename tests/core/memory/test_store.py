import threading

import numpy as np
import pytest

from core.errors import NotFoundError, StoreError, StoreVersionError
from core.memory.records import Memory, State, content_hash, new_id
from core.memory.schema import SCHEMA_VERSION
from core.memory.store import MemoryStore


def _memory(text, clock, **kw):
    vec = np.zeros(384, dtype=np.float32)
    vec[hash(text) % 384] = 1.0
    return Memory(id=new_id(), text=text, kind="note", source="user", created_at=clock.now().timestamp(),
                  content_hash=content_hash(text), vector=vec, **kw)


def test_records_survive_reopening_with_every_field(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    original = _memory("Anna lives in Lisbon", clock, speaker="me", importance=0.8, event_at=123.0)
    store.add([original], actor="user", reason="test")
    store.close()

    reopened = MemoryStore.open(tmp_path, clock)
    got = reopened.get(original.id)
    assert (got.text, got.speaker, got.importance, got.event_at) == ("Anna lives in Lisbon", "me", pytest.approx(0.8), 123.0)
    assert np.allclose(reopened.vector(original.id), original.vector)
    reopened.close()


def test_state_changes_are_written_to_history_with_who_and_why(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    m = store.add([_memory("a note", clock)], actor="user", reason="typed")[0]
    clock.advance(hours=1)
    store.set_state([m.id], State.PINNED, actor="user", reason="pinned by the user")
    store.close()

    history = MemoryStore.open(tmp_path, clock).history(m.id)
    assert [(h.action, h.from_state, h.to_state) for h in history] == [("created", "", "active"), ("state", "active", "pinned")]
    assert history[1].actor == "user" and history[1].reason == "pinned by the user"
    assert history[1].at > history[0].at


def test_unknown_id_is_refused_before_anything_is_written(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    m = store.add([_memory("kept", clock)], actor="user", reason="t")[0]
    with pytest.raises(NotFoundError):
        store.set_state([m.id, "nope"], State.DELETED, actor="user", reason="t")
    assert store.get(m.id).state == State.ACTIVE
    store.close()


def test_concurrent_captures_all_land_whole(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    texts = [f"note {t}-{i}" for t in range(4) for i in range(10)]

    def worker(chunk):
        for text in chunk:
            store.add([_memory(text, clock)], actor="user", reason="t")

    threads = [threading.Thread(target=worker, args=(texts[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    reopened = MemoryStore.open(tmp_path, clock)
    assert sorted(m.text for m in reopened.all()) == sorted(texts)
    assert len(reopened.history()) == len(texts)


def test_store_from_a_newer_version_is_refused(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    store._meta.update(where="key = 'schema_version'", values={"value": "99"})
    store.close()
    with pytest.raises(StoreVersionError, match="newer Mnemo"):
        MemoryStore.open(tmp_path, clock)


def test_damaged_store_gives_a_clear_error(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    store.add([_memory("x", clock)], actor="user", reason="t")
    store.close()
    for f in (tmp_path / "store" / "memories.lance").rglob("*.lance"):
        f.write_bytes(b"garbage")
    with pytest.raises(StoreError, match="could not be read"):
        MemoryStore.open(tmp_path, clock).all()


def test_data_directory_is_private(tmp_path, clock):
    MemoryStore.open(tmp_path / "fresh", clock).close()
    assert (tmp_path / "fresh").stat().st_mode & 0o077 == 0


def _write_v1_store(data_dir, memories):
    """A store as Mnemo's schema 1 wrote it (no reinforced_at/links, strength 1.0)."""
    import lancedb
    import pyarrow as pa

    from core.memory.schema import META_SCHEMA, V2_FIELDS, V3_FIELDS, V4_FIELDS, memory_schema

    v2_names = {f.name for f in V2_FIELDS + V3_FIELDS + V4_FIELDS}
    schema = pa.schema([f for f in memory_schema(384) if f.name not in v2_names])
    db = lancedb.connect(str(data_dir / "store"))
    rows = []
    for m in memories:
        row = {f.name: getattr(m, f.name) for f in schema if f.name != "vector"}
        row["vector"] = m.vector.tolist()
        rows.append(row)
    db.create_table("memories", pa.Table.from_pylist(rows, schema=schema))
    db.create_table("meta", pa.Table.from_pylist([{"key": "schema_version", "value": "1"}], schema=META_SCHEMA))


def test_older_store_is_backed_up_then_migrated_without_losing_a_record(tmp_path, clock):
    old = [_memory(f"note number {i}", clock, importance=0.5, strength=1.0) for i in range(3)]
    _write_v1_store(tmp_path, old)
    store = MemoryStore.open(tmp_path, clock)
    try:
        assert store.meta("schema_version") == str(SCHEMA_VERSION)
        assert store.last_backup is not None and (store.last_backup / "store").is_dir()
        for m in old:
            got = store.get(m.id)
            assert got.text == m.text and got.links == ()
            assert got.reinforced_at == clock.now().timestamp()  # the curve starts at the upgrade
            from core.memory.decay import DecayPolicy

            # set from importance on today's curve (0.5 -> 27 days), never less than it had
            assert got.strength == pytest.approx(DecayPolicy().initial_strength(0.5), rel=1e-5)
        # the backup still opens as the old version
        import lancedb

        backup = lancedb.connect(str(store.last_backup / "store"))
        assert backup.open_table("memories").count_rows() == 3
    finally:
        store.close()
    reopened = MemoryStore.open(tmp_path, clock)  # no second migration, no second backup
    assert reopened.last_backup is None and len(reopened) == 3
    reopened.close()


def test_migration_refuses_cleanly_when_the_backup_cannot_be_written(tmp_path, clock, monkeypatch):
    _write_v1_store(tmp_path, [_memory("keep me", clock)])
    import shutil

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copytree", full_disk)
    with pytest.raises(StoreError, match="Could not back up"):
        MemoryStore.open(tmp_path, clock)
    monkeypatch.undo()
    store = MemoryStore.open(tmp_path, clock)  # nothing was changed: it migrates now
    assert [m.text for m in store.all()] == ["keep me"]
    store.close()


def test_upsert_rewrites_in_place_and_keeps_state(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    first = _memory("summary one", clock)
    store.upsert(first, actor="summaries", reason="test")
    store.set_state([first.id], State.PINNED, actor="user", reason="pin")
    second = first.with_changes(text="summary two", links=("a", "b"), vector=np.ones(384, dtype=np.float32) / 384**0.5)
    store.upsert(second, actor="summaries", reason="test")
    store.close()
    store = MemoryStore.open(tmp_path, clock)
    got = store.get(first.id)
    assert (got.text, got.links, got.state) == ("summary two", ("a", "b"), State.PINNED)
    assert len(store) == 1 and store.history(first.id)[-1].action == "revised"
    store.close()


def test_a_batch_creates_and_rewrites_in_one_write_with_each_reason_in_the_history(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    kept = store.add([_memory("Anna lives in Lisbon", clock)], actor="user", reason="typed")[0]
    store.set_state([kept.id], State.PINNED, actor="user", reason="pin")
    fresh = _memory("Anna moved to Porto", clock)
    writes, run = [], store._writer.run
    store._writer.run = lambda fn: writes.append(1) or run(fn)
    stored = store.save_batch([(fresh, "made"), (kept.with_changes(links=("x",), vector=store.vector(kept.id)), "linked"),
                               (fresh.with_changes(links=("y",)), "said again")], actor="consolidation")
    assert len(writes) == 1 and [m.id for m in stored] == [fresh.id, kept.id]
    store.close()
    store = MemoryStore.open(tmp_path, clock)
    assert (store.get(fresh.id).links, store.get(kept.id).links, store.get(kept.id).state) == (("y",), ("x",), State.PINNED)
    assert [(h.action, h.reason) for h in store.history(fresh.id)] == [("created", "made"), ("revised", "said again")]
    assert [(h.action, h.reason) for h in store.history(kept.id)][-1] == ("revised", "linked")
    assert len(store) == 2
    store.close()


def test_meta_values_persist(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    store.set_meta("x", "1")
    store.set_meta("x", "2")
    store.close()
    store = MemoryStore.open(tmp_path, clock)
    assert store.meta("x") == "2" and store.meta("missing", "d") == "d"
    store.close()


def test_a_migration_cut_short_is_finished_on_the_next_open(tmp_path, clock):
    _write_v1_store(tmp_path, [_memory("keep me", clock)])
    import lancedb

    from core.memory.schema import migrate

    table = lancedb.connect(str(tmp_path / "store")).open_table("memories")
    migrate(table, 1, "8.0", 0.0)  # the process died before the version was written
    store = MemoryStore.open(tmp_path, clock)
    assert store.meta("schema_version") == str(SCHEMA_VERSION) and [m.text for m in store.all()] == ["keep me"]
    store.close()


def test_columns_follow_every_write_without_a_rebuild(tmp_path, clock):
    """The decay sweep's per-row arrays are patched by each write; they always equal a fresh build."""
    import numpy as np

    from core.memory.records import Kind, Memory, State, new_id

    store = MemoryStore.open(tmp_path, clock)

    def memory(i):
        v = np.zeros(384, dtype=np.float32)
        v[i] = 1
        return Memory(id=new_id(), text=f"m{i}", kind=Kind.NOTE, source="user", created_at=1e9 + i, vector=v)

    store.add([memory(i) for i in range(5)], actor="t", reason="t")
    store.columns()
    ids = [m.id for m in store.all()]
    store.set_state(ids[:2], State.FADING, actor="t", reason="t")
    store.add([memory(7)], actor="t", reason="t")
    store.reinforce([ids[3]], {ids[3]: 9.0}, actor="t", reason="t")
    store.set_state([ids[4]], State.PINNED, actor="t", reason="t")
    patched = store.columns()
    store._columns_cache = None
    fresh = store.columns()
    for key in ("ids", "strength", "anchor", "state", "decays", "swept", "state_code"):
        assert np.array_equal(patched[key], fresh[key]), key
    assert list(patched["state"][:2]) == ["fading", "fading"] and patched["strength"][3] == 9.0
    assert not patched["decays"][4] and len(patched["ids"]) == 6
    store.purge([ids[0]], actor="t", reason="t")
    assert len(store.columns()["ids"]) == 5
    store.close()


def test_versions_and_small_files_do_not_pile_up(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    for i in range(210):
        store.add([_memory(f"note {i}", clock)], actor="user", reason="t")
    folder = tmp_path / "store" / "memories.lance"
    piled = len(list((folder / "_versions").glob("*.manifest")))
    assert piled > 200 and store.compaction_due()
    store.compact()
    assert not store.compaction_due()
    assert len(list((folder / "_versions").glob("*.manifest"))) <= 3
    assert len(list((folder / "data").glob("*.lance"))) <= 3
    assert len(store) == 210 and store.check() == []
    store.close()
    assert len(MemoryStore.open(tmp_path, clock)) == 210


def test_after_a_crash_the_whole_store_is_read_back_before_it_is_used(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    store.add([_memory("kept through the crash", clock)], actor="user", reason="t")
    store._writer.close()  # the process dies: no clean close
    store._release_lock()
    history_file = next((tmp_path / "store" / "history.lance" / "data").glob("*.lance"))
    history_file.write_bytes(history_file.read_bytes()[:40])
    reopened = MemoryStore.open(tmp_path, clock)
    try:
        assert any("history" in p for p in reopened.damage), reopened.damage
        assert [m.text for m in reopened.all()] == ["kept through the crash"]  # what is sound is still shown
    finally:
        reopened.close()


def test_a_clean_close_is_remembered(tmp_path, clock):
    import json

    store = MemoryStore.open(tmp_path, clock)
    store.add([_memory("x", clock)], actor="user", reason="t")
    assert json.loads((tmp_path / "store" / "integrity.json").read_text())["closed"] is False
    store.close()
    assert json.loads((tmp_path / "store" / "integrity.json").read_text())["closed"] is True


def test_the_meta_table_is_in_the_ledger_and_a_lost_meta_write_is_noticed(tmp_path, clock):
    import json

    store = MemoryStore.open(tmp_path, clock)
    store.add([_memory("a note", clock)], actor="user", reason="t")
    store.set_meta("last_sweep_at", "1.0")
    assert store.meta("last_sweep_at") == "1.0"
    meta_version = store._meta.version
    store.close()
    ledger = json.loads((tmp_path / "store" / "integrity.json").read_text())
    assert ledger["tables"]["meta"] == {"version": meta_version, "rows": 2}
    manifests = sorted((tmp_path / "store" / "meta.lance" / "_versions").glob("*.manifest"))
    manifests[0].unlink()  # names count down: the newest goes, and the mark of the sweep with it
    reopened = MemoryStore.open(tmp_path, clock)
    try:
        assert reopened.damage == ["the meta table went back to an older version: 1 saved change is missing"]
        assert [m.text for m in reopened.all()] == ["a note"]  # read-only: what is sound is shown
        with pytest.raises(StoreError, match="Nothing was saved"):
            reopened.set_meta("x", "1")
    finally:
        reopened.close()


def test_a_meta_write_cut_short_is_rolled_back_with_the_rest(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    store.set_meta("portrait_corrections", "kept")
    store._ledger.begin(store._tables.versions())  # a write begins...
    store._tables.set_meta("portrait_corrections", "half")  # ...and the process dies in it
    store._writer.close()
    store._release_lock()
    reopened = MemoryStore.open(tmp_path, clock)
    assert not reopened.damage and reopened.meta("portrait_corrections") == "kept"
    reopened.close()


def test_closing_after_enough_writes_compacts(tmp_path, clock):
    """Where no upkeep job runs (a command that wrote), closing compacts when it is due."""
    versions = tmp_path / "store" / "memories.lance" / "_versions"
    data = tmp_path / "store" / "memories.lance" / "data"
    for i in range(30):  # one command each: open, add, close
        store = MemoryStore.open(tmp_path, clock, compact_every=5)
        store.add([_memory(f"note {i}", clock)], actor="user", reason="t")
        store.set_meta("last", str(i))
        store.close()
        assert len(list(versions.glob("*.manifest"))) <= 8, i
        assert len(list(data.glob("*.lance"))) <= 8, i
    for table in ("history", "meta"):
        assert len(list((tmp_path / "store" / f"{table}.lance" / "_versions").glob("*.manifest"))) <= 8
    store = MemoryStore.open(tmp_path, clock)
    assert len(store) == 30 and store.check() == [] and store.meta("last") == "29"
    store.close()


def test_a_store_that_only_opens_and_closes_is_not_compacted(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock, compact_every=3)
    store.add([_memory("a note", clock)], actor="user", reason="t")
    store.close()
    for _ in range(5):
        store = MemoryStore.open(tmp_path, clock, compact_every=3)
        assert not store.compaction_due()
        store.close()


def test_a_migration_killed_before_it_was_recorded_is_rolled_back_and_run_again(tmp_path, clock, monkeypatch):
    from core.memory.tables import Tables

    _write_v1_store(tmp_path, [_memory("keep me", clock)])
    original = Tables.migrate

    def dies_after_migrating(self, *args):
        original(self, *args)  # every table is migrated, the schema version written...
        raise RuntimeError("killed")  # ...and the process dies before the ledger records it
    monkeypatch.setattr(Tables, "migrate", dies_after_migrating)
    with pytest.raises(StoreError):
        MemoryStore.open(tmp_path, clock)
    monkeypatch.undo()
    store = MemoryStore.open(tmp_path, clock)
    try:
        assert not store.damage and [m.text for m in store.all()] == ["keep me"]
        assert store.meta("schema_version") == str(SCHEMA_VERSION) and store.check() == []
    finally:
        store.close()
