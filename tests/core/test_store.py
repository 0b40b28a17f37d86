import threading

import numpy as np
import pytest

from core.errors import NotFoundError, StoreError, StoreVersionError
from core.records import Memory, State, content_hash, new_id
from core.store import MemoryStore


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
