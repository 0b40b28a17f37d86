"""Encryption at rest (real LanceDB): with it on, no file under the data folder holds a memory's
words or its vector's bytes; the wrong passphrase is refused and changes no file; the passphrase
changes without rewriting a row; off brings everything back in the clear; a conversion cut short
is finished on the next open."""
import hashlib
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from core.clock import FixedClock
from core.memory.backup import list_backups, restore_store
from core.memory.keys import KEY_FILE, DecryptError, KeyFile, LockedError, NoKeyringError, Passphrase
from core.memory.records import Kind, Memory, new_id
from core.memory.store import MemoryStore

SECRET = Passphrase("correct horse battery")
WORDS = ["Zanzibarra", "quinceberries", "Quokkaman", "Vellacourt", "Marmalune"]


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc))


def _vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return v / np.linalg.norm(v)


def _memory(text: str, clock, seed: int, **extra) -> Memory:
    return Memory(new_id(), text, Kind.NOTE, "user", clock.now().timestamp(), vector=_vector(seed), **extra)


def _filled(path: Path, clock) -> tuple[MemoryStore, list[Memory]]:
    store = MemoryStore.open(path, clock)
    saved = store.add([_memory("My sister Zanzibarra moved to Lisbon", clock, 1, speaker="Quokkaman"),
                       _memory("I am allergic to quinceberries", clock, 2, fact_key="me|allergic to",
                               fact_value="Vellacourt quinceberries")], "user", "typed about Zanzibarra")
    store.set_guard(saved[0].id, "conflict", "contradicts Marmalune", state="quarantined")
    store.set_meta("portrait_corrections", '{"added": [["likes", "Vellacourt tea"]], "removed": []}')
    store.backup("manual")  # a backup in the clear, from before
    return store, saved


def _files(path: Path) -> dict[str, str]:
    return {str(f.relative_to(path)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(path.rglob("*")) if f.is_file()}


def _leaks(path: Path, vectors: list[np.ndarray]) -> list[str]:
    """Files holding any of the words, or the first 32 bytes of any of the vectors."""
    needles = [w.encode() for w in WORDS] + [np.asarray(v, "<f4").tobytes()[:32] for v in vectors]
    return [str(f) for f in path.rglob("*") if f.is_file() and any(n in f.read_bytes() for n in needles)]


def test_words_and_vectors_are_readable_on_disk_without_encryption(tmp_path, clock):
    """The grep below can find them: without this the next test would prove nothing."""
    store, saved = _filled(tmp_path, clock)
    store.close()
    assert _leaks(tmp_path, [m.vector for m in saved])


def test_with_encryption_no_file_holds_a_word_or_a_vector(tmp_path, clock):
    store, saved = _filled(tmp_path, clock)
    stages = []
    status = store.encrypt(SECRET, progress=lambda stage, done, total: stages.append(stage))
    assert status.on and status.method == "passphrase" and "memories" in stages
    later = store.add([_memory("Marmalune is the cat's name", clock, 3)], "user", "typed Marmalune")[0]
    edited = store.rewrite_text(saved[1].id, "I am allergic to Vellacourt pears", _vector(4), "user",
                                "was: I am allergic to quinceberries")
    store.compact()
    store.close()
    assert (tmp_path / "store" / KEY_FILE).exists()
    assert _leaks(tmp_path, [m.vector for m in saved] + [later.vector, _vector(4)]) == []
    assert {b.label for b in list_backups(tmp_path)} == {"manual", "before-encryption"}

    again = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    got = {m.id: m for m in again.all()}
    assert got[saved[0].id].text == "My sister Zanzibarra moved to Lisbon" and got[saved[0].id].speaker == "Quokkaman"
    assert got[saved[0].id].guard_reason == "contradicts Marmalune" and got[saved[0].id].state == "quarantined"
    assert got[edited.id].text == "I am allergic to Vellacourt pears"
    assert got[edited.id].fact_value == "Vellacourt quinceberries"
    assert np.allclose(again.vector(saved[0].id), saved[0].vector)
    assert "was: I am allergic to quinceberries" in [h.reason for h in again.history(edited.id)]
    assert "Vellacourt tea" in again.meta("portrait_corrections")
    again.set_meta("portrait_corrections", '{"added": [["likes", "Vellacourt coffee"]], "removed": []}')
    assert again.check() == []
    again.close()
    assert _leaks(tmp_path, []) == []


def test_the_wrong_passphrase_is_refused_and_changes_no_file(tmp_path, clock):
    store, _ = _filled(tmp_path, clock)
    store.encrypt(SECRET)
    store.close()
    before = _files(tmp_path)
    with pytest.raises(DecryptError, match="The passphrase is wrong; the memory stays locked and nothing was changed"):
        MemoryStore.open(tmp_path, clock, passphrase=lambda: Passphrase("wrong horse battery"))
    with pytest.raises(LockedError, match="encrypted with a passphrase"):
        MemoryStore.open(tmp_path, clock)
    assert _files(tmp_path) == before


def test_a_new_passphrase_rewraps_the_key_without_rewriting_a_row(tmp_path, clock):
    store, saved = _filled(tmp_path, clock)
    store.encrypt(SECRET)
    versions = store._tables.versions()
    store.change_secret(Passphrase("a brand new passphrase"))
    assert store._tables.versions() == versions
    store.close()
    with pytest.raises(DecryptError):
        MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    # a backup restored later opens with the new passphrase too
    restore_store(tmp_path, next(b for b in list_backups(tmp_path) if b.label == "manual"), clock.now())
    back = MemoryStore.open(tmp_path, clock, passphrase=lambda: Passphrase("a brand new passphrase"))
    assert saved[0].id in {m.id for m in back.all()} and back.check() == []
    back.close()


def test_turning_it_off_brings_the_store_and_backups_back_in_the_clear(tmp_path, clock):
    store, saved = _filled(tmp_path, clock)
    store.encrypt(SECRET)
    store.close()
    store = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    status = store.decrypt()
    assert not status.on and status.state == "off"
    store.close()
    assert not list(tmp_path.rglob(KEY_FILE))
    plain = MemoryStore.open(tmp_path, clock)  # no passphrase asked
    assert {m.text for m in plain.all()} >= {"My sister Zanzibarra moved to Lisbon"} and plain.check() == []
    plain.close()
    for backup in list_backups(tmp_path):
        copy = MemoryStore.open(backup.path, clock)
        assert copy.check() == [] and len(copy) == 2
        copy.close()


def test_the_keyring_unlocks_silently_and_forgets_its_entry_when_off(tmp_path, clock, os_keyring):
    store, saved = _filled(tmp_path, clock)
    assert store.encrypt(None).method == "keyring"
    assert len(os_keyring.secrets) == 1
    store.close()
    again = MemoryStore.open(tmp_path, clock)  # nothing asked
    assert again.get(saved[0].id).text.startswith("My sister")
    again.decrypt()
    again.close()
    assert os_keyring.secrets == {}


def test_without_a_secure_keyring_encryption_is_refused_not_faked(tmp_path, clock):
    import keyring
    from keyring.backends import fail



    store, _ = _filled(tmp_path, clock)
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(NoKeyringError):
            store.encrypt(None)
    finally:
        keyring.set_keyring(before)
    assert store.encryption().state == "off" and not (tmp_path / "store" / KEY_FILE).exists()
    store.close()


def test_a_conversion_cut_short_is_finished_on_the_next_open(tmp_path, clock):
    """As if the process died after writing the key file, before any row was sealed."""
    from core.memory.keys import new_data_key, wrap

    store, saved = _filled(tmp_path, clock)
    store.close()
    key = new_data_key()
    wrap(key, SECRET, state="turning-on").save(tmp_path / "store", key)
    store = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    assert store.encryption().state == "on" and len(store) == 2
    store.close()
    assert _leaks(tmp_path, [m.vector for m in saved]) == []
    assert KeyFile.load(tmp_path / "store").state == "on"


def test_sealed_rows_swapped_on_disk_are_damage_not_served(tmp_path, clock):
    import pyarrow as pa

    store, saved = _filled(tmp_path, clock)
    store.encrypt(SECRET)
    table = store._mem.to_arrow()
    blobs = table.column("sealed").to_pylist()
    store._mem.merge_insert("id").when_matched_update_all().execute(
        table.set_column(table.schema.get_field_index("sealed"), "sealed", pa.array(blobs[::-1], pa.binary())),
        on_bad_vectors="null")
    store._ledger.commit(store._tables.states())
    store.close()
    again = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    assert again.damage and "changed on disk" in again.damage_message
    again.close()


def test_words_holding_the_packing_separators_come_back_whole(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    odd = store.add([_memory("a\x1eb\x1fc with separators", clock, 5, speaker="x\x1fy"),
                     _memory("plain words", clock, 6)], "user", "typed")
    store.encrypt(SECRET)
    store.close()
    again = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    assert again.get(odd[0].id).text == "a\x1eb\x1fc with separators" and again.get(odd[0].id).speaker == "x\x1fy"
    assert again.get(odd[1].id).text == "plain words" and again.get(odd[1].id).speaker == ""
    assert np.allclose(again.vector(odd[0].id), odd[0].vector) and again.check() == []
    again.close()


def test_a_conversion_that_fails_half_way_changes_nothing_and_can_be_finished(tmp_path, clock, monkeypatch):
    import errno

    from core.errors import StoreError
    from core.memory import encryption

    store, saved = _filled(tmp_path, clock)
    real = encryption.convert_rows

    def full_disk(tables, seal, progress=None):
        real(tables, seal, progress)  # the rows are rewritten, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(encryption, "convert_rows", full_disk)
    with pytest.raises(StoreError, match="disk is full|No space left"):
        store.encrypt(SECRET)
    assert store.encryption().state == "turning-on"
    assert {m.id: m.text for m in store.all()} == {m.id: m.text for m in saved}
    monkeypatch.setattr(encryption, "convert_rows", real)
    assert store.encrypt(SECRET).state == "on"
    store.close()
    assert _leaks(tmp_path, [m.vector for m in saved]) == []
    again = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    assert len(again) == 2 and again.check() == []
    again.close()


def test_a_backup_from_before_an_upgrade_is_encrypted_and_still_restores(tmp_path, clock):
    """The backup a migration took holds the old schema: it is brought up to date, then sealed."""
    from tests.core.memory.test_store import _memory as old_memory
    from tests.core.memory.test_store import _write_v1_store

    old = [old_memory("Zanzibarra kept bees in Vellacourt", clock, importance=0.5, strength=1.0)]
    _write_v1_store(tmp_path, old)
    store = MemoryStore.open(tmp_path, clock)  # migrated, after a backup of the v1 store
    assert {b.label for b in list_backups(tmp_path)} == {"before-schema-v4"}
    store.encrypt(SECRET)
    store.close()
    assert _leaks(tmp_path, [m.vector for m in old]) == []
    restore_store(tmp_path, next(b for b in list_backups(tmp_path) if b.label == "before-schema-v4"), clock.now())
    back = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    assert back.get(old[0].id).text == "Zanzibarra kept bees in Vellacourt" and back.check() == []
    back.close()


def test_a_key_file_edited_outside_mnemo_is_refused_and_nothing_is_decrypted(tmp_path, clock):
    """Setting "state": "turning-off" by hand must not make the next unlock write everything in the clear."""
    import json

    store, saved = _filled(tmp_path, clock)
    store.encrypt(SECRET)
    store.close()
    path = tmp_path / "store" / KEY_FILE
    data = json.loads(path.read_text())
    data["state"] = "turning-off"
    path.write_text(json.dumps(data))
    before = _files(tmp_path)
    with pytest.raises(DecryptError, match="changed outside Mnemo"):
        MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    assert _files(tmp_path) == before and _leaks(tmp_path, [m.vector for m in saved]) == []


def test_the_passphrase_is_checked_against_the_key_in_use_not_the_file_on_disk(tmp_path, clock):
    """A key file swapped on disk (with a passphrase someone else chose) does not unlock the open memory."""
    from core.memory.keys import new_data_key, wrap

    store, _ = _filled(tmp_path, clock)
    store.encrypt(SECRET)
    assert store.verify_passphrase(SECRET)
    other = Passphrase("someone else's passphrase")
    key = new_data_key()
    wrap(key, other).save(tmp_path / "store", key)
    assert not store.verify_passphrase(other)
    assert store.verify_passphrase(SECRET)
    store.close()


def test_a_damaged_backup_is_named_and_left_while_the_rest_is_encrypted(tmp_path, clock):
    """One unreadable backup does not block encryption (nor every command after it): it is said."""
    import shutil

    store, saved = _filled(tmp_path, clock)
    store.backup("second")
    broken = next(b for b in list_backups(tmp_path) if b.label == "second")
    shutil.rmtree(broken.path / "store" / "history.lance" / "data")
    status = store.encrypt(SECRET)
    assert status.on and status.unconverted == [broken.name]
    assert f"The backup {broken.name} could not be read" in status.warning()
    assert "mnemo backup delete NAME" in status.warning()
    store.close()
    again = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)  # opens: nothing left to finish
    assert again.encryption().state == "on" and len(again) == 2
    again.close()
    leaking = _leaks(tmp_path, [m.vector for m in saved])
    assert leaking and all(str(broken.path) in f for f in leaking)  # only the damaged backup still has them


def test_what_stays_in_the_clear_says_nothing_of_the_content(tmp_path, clock):
    """An import's file name and how much a memory matters (health scores 0.95) are sealed too."""
    store = MemoryStore.open(tmp_path, clock)
    memory = _memory("My oncology appointment is on Friday", clock, 7, importance=0.95, strength=525.0)
    memory = memory.with_changes(source="import:Medical-records-oncology.jsonl")
    store.add([memory], "import", "imported from Medical-records-oncology.jsonl")
    store.encrypt(SECRET)
    row = store._mem.to_arrow().to_pylist()[0]
    assert row["source"] == "import" and row["importance"] is None and row["strength"] is None
    store.close()
    assert not [f for f in tmp_path.rglob("*") if f.is_file() and b"ncology" in f.read_bytes()]
    again = MemoryStore.open(tmp_path, clock, passphrase=lambda: SECRET)
    got = again.get(memory.id)
    assert got.source == "import:Medical-records-oncology.jsonl" and got.importance == pytest.approx(0.95)
    assert got.strength == pytest.approx(525.0) and again.check() == []
    again.close()


def test_a_history_entry_changed_on_disk_is_found_and_blocks_nothing(tmp_path, clock):
    import pyarrow as pa

    store, saved = _filled(tmp_path, clock)
    store.encrypt(SECRET)
    table = store._hist.to_arrow().select(["id", "reason"])
    reasons = table.column("reason").to_pylist()
    swapped = pa.table({"id": table.column("id"), "reason": pa.array(reasons[::-1], pa.string())})
    store._hist.merge_insert("id").when_matched_update_all().execute(swapped)
    store._ledger.commit(store._tables.states())
    assert any("cannot be read" in (h.reason or "") for h in store.history())  # shown, not a crash
    problems = store.check()
    assert any("sealed history entries were changed on disk" in p for p in problems)
    store.close()


def test_a_key_file_from_another_memory_is_refused_not_taken_for_damage(tmp_path, clock):
    import shutil

    for name in ("a", "b"):
        store = MemoryStore.open(tmp_path / name, clock)
        store.add([_memory(f"a note in {name}", clock, 11)], "user", "typed")
        store.encrypt(SECRET)  # the same passphrase, two keys
        store.close()
    shutil.copy(tmp_path / "b" / "store" / KEY_FILE, tmp_path / "a" / "store" / KEY_FILE)
    before = _files(tmp_path / "a")
    with pytest.raises(DecryptError, match="belongs to another memory"):
        MemoryStore.open(tmp_path / "a", clock, passphrase=lambda: SECRET)
    assert _files(tmp_path / "a") == before


def test_a_chain_of_keyrings_that_would_write_to_a_plain_file_is_not_secure(tmp_path, clock):
    import keyring
    from keyring.backend import KeyringBackend
    from keyrings.alt.file import PlaintextKeyring

    class Chain(KeyringBackend):
        priority = 10
        backends = [PlaintextKeyring()]

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise AssertionError("written to a plain file")

        def delete_password(self, service, username):
            pass

    store, _ = _filled(tmp_path, clock)
    before = keyring.get_keyring()
    keyring.set_keyring(Chain())
    try:
        with pytest.raises(NoKeyringError, match="no secure keyring"):
            store.encrypt(None)
    finally:
        keyring.set_keyring(before)
    store.close()
