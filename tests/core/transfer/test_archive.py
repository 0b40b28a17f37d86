"""Mnemo archives: everything out and back in, record for record, also encrypted."""
import json
import zipfile

import numpy as np
import pytest

from core.mnemo import Mnemo
from core.transfer import crypto as archive_crypto
from core.transfer.archive import FORMAT_VERSION
from core.transfer.crypto import DecryptError, KeyringKey, NoKeyringError, Passphrase
from tests.core.memory_kinds import fill, history, records
from tests.fakes import HashEmbedder, ScriptedModel

SETTINGS = {"decay": {"max_strength_days": 20.0}}


@pytest.fixture
def full(tmp_path, clock):
    m = Mnemo(tmp_path / "a", clock, HashEmbedder(), ScriptedModel())
    fill(m, clock)
    yield m
    m.close()


def restore_into(path, clock, archive, passphrase=None):
    fresh = Mnemo(path, clock, HashEmbedder(), ScriptedModel())
    parsed = fresh.read_import(archive, passphrase=passphrase)
    return fresh, fresh.import_parsed(parsed, archive.name)


def assert_same_memory(a: Mnemo, b: Mnemo) -> None:
    assert records(a) == records(b)  # every field but the vector (compare=False)
    assert history(a) == history(b)
    for memory_id in records(a):
        assert np.allclose(a.store.vector(memory_id), b.store.vector(memory_id), atol=1e-6)


def test_round_trip_is_equal_record_for_record(full, tmp_path, clock):
    out = tmp_path / "memory.mnemo"
    summary = full.export(out, SETTINGS)
    assert summary.memories == len(full.store) and not summary.encrypted
    fresh, report = restore_into(tmp_path / "b", clock, out)
    assert report.imported == len(full.store) and report.duplicates == 0 and report.settings == SETTINGS
    assert_same_memory(full, fresh)
    # the guard still knows what it learnt: the lesson and the quarantine came along
    assert [m.id for m in fresh.lessons()] == [m.id for m in full.lessons()]
    assert [m.id for m in fresh.quarantined()] == [m.id for m in full.quarantined()]
    fresh.close()


def test_archive_has_a_manifest_with_counts_and_checksums(full, tmp_path, clock):
    out = tmp_path / "memory.mnemo"
    full.export(out, SETTINGS)
    assert out.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format"] == "mnemo-archive" and manifest["format_version"] == FORMAT_VERSION
        assert manifest["counts"]["memories"] == len(full.store)
        assert manifest["counts"]["history"] == len(full.store.history())
        assert manifest["app_version"] and manifest["created_at"].startswith(clock.now().date().isoformat())
        for name, part in manifest["parts"].items():
            assert len(z.read(name)) == part["bytes"]
        assert "rebuilt on import" in manifest["vectors"]


def test_importing_the_same_archive_twice_changes_nothing(full, tmp_path, clock):
    out = tmp_path / "memory.mnemo"
    full.export(out, SETTINGS)
    report = full.import_parsed(full.read_import(out), out.name)
    assert report.imported == 0 and report.duplicates == len(full.store)
    fresh, _ = restore_into(tmp_path / "b", clock, out)
    before = (records(fresh), history(fresh))
    again = fresh.import_parsed(fresh.read_import(out), out.name)
    assert again.imported == 0 and (records(fresh), history(fresh)) == before
    fresh.close()


def test_merging_into_a_store_skips_notes_already_there(full, tmp_path, clock):
    out = tmp_path / "memory.mnemo"
    full.export(out, SETTINGS)
    other = Mnemo(tmp_path / "c", clock, HashEmbedder(), ScriptedModel())
    mine = other.add_note("my sister anna lives in lisbon").memory  # the same note, typed here
    report = other.import_parsed(other.read_import(out), out.name)
    assert report.duplicates == 1 and report.imported == len(full.store) - 1
    assert sum(1 for m in other.store.all() if "lisbon" in m.text.lower() and m.kind == "note") == 1
    assert other.store.get(mine.id).text == "my sister anna lives in lisbon"
    other.close()


def test_passphrase_round_trip_and_wrong_passphrase(full, tmp_path, clock):
    out = tmp_path / "memory.mnemo"
    full.export(out, SETTINGS, Passphrase("correct horse battery"))
    raw = out.read_bytes()
    assert raw.startswith(archive_crypto.MAGIC) and b"Lisbon" not in raw
    with pytest.raises(DecryptError, match="passphrase is wrong"):
        full.read_import(out, passphrase=lambda: Passphrase("wrong horse battery"))
    with pytest.raises(DecryptError, match="encrypted with a passphrase"):
        full.read_import(out)
    fresh, report = restore_into(tmp_path / "b", clock, out, passphrase=lambda: Passphrase("correct horse battery"))
    assert report.imported == len(full.store)
    assert_same_memory(full, fresh)
    fresh.close()


def test_a_changed_byte_in_an_encrypted_archive_is_refused(full, tmp_path):
    out = tmp_path / "memory.mnemo"
    full.export(out, SETTINGS, Passphrase("correct horse battery"))
    raw = bytearray(out.read_bytes())
    raw[-40] ^= 0x01
    out.write_bytes(bytes(raw))
    with pytest.raises(DecryptError, match="changed after it was written"):
        full.read_import(out, passphrase=lambda: Passphrase("correct horse battery"))


def test_keyring_key_round_trip(full, tmp_path, clock, os_keyring):
    out = tmp_path / "memory.mnemo"
    full.export(out, SETTINGS, KeyringKey())
    assert list(os_keyring.secrets) == [("Mnemo", "archive-key")]
    fresh, report = restore_into(tmp_path / "b", clock, out)  # no passphrase asked
    assert report.imported == len(full.store)
    os_keyring.secrets[("Mnemo", "archive-key")] = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
    with pytest.raises(DecryptError, match="not the one this archive was encrypted with"):
        fresh.read_import(out)
    fresh.close()


def test_without_a_secure_keyring_the_key_is_refused_not_skipped(full, tmp_path):
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(NoKeyringError, match=r"no secure keyring \(only no keyring service at all\)"):
            full.export(tmp_path / "memory.mnemo", SETTINGS, KeyringKey())
    finally:
        keyring.set_keyring(before)
    assert not (tmp_path / "memory.mnemo").exists()


def test_short_passphrase_is_refused():
    with pytest.raises(Exception, match="at least 8 characters"):
        Passphrase("short")


def test_a_full_disk_during_export_leaves_no_partial_file(full, tmp_path, monkeypatch):
    from core.errors import MnemoError
    from core.transfer import exporting

    out = tmp_path / "memory.mnemo"
    out.write_bytes(b"an older export")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(exporting.os, "fsync", full_disk)
    with pytest.raises(MnemoError, match="No space left on device.*nothing was exported"):
        full.export(out, SETTINGS)
    assert out.read_bytes() == b"an older export"  # the previous file is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_an_archive_of_format_1_without_the_newer_fields_still_imports(full, tmp_path, clock):
    """Archives written before facts and importance reasons (format 1) lack those fields."""
    import hashlib

    from core.transfer.archive import ADDED_IN_2

    out = tmp_path / "memory.mnemo"
    full.export(out, SETTINGS)
    with zipfile.ZipFile(out) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    rows = [json.loads(line) for line in parts["memories.jsonl"].decode().splitlines()]
    for row in rows:
        for name in ADDED_IN_2:
            row.pop(name)
    parts["memories.jsonl"] = "".join(json.dumps(r) + "\n" for r in rows).encode()
    manifest = json.loads(parts.pop("manifest.json"))
    manifest["format_version"] = 1
    manifest["parts"]["memories.jsonl"] = {"sha256": hashlib.sha256(parts["memories.jsonl"]).hexdigest(),
                                           "bytes": len(parts["memories.jsonl"])}
    old = tmp_path / "old.mnemo"
    with zipfile.ZipFile(old, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for name, data in parts.items():
            z.writestr(name, data)
    fresh = Mnemo(tmp_path / "fresh", clock, HashEmbedder(), ScriptedModel())
    try:
        report = fresh.import_parsed(fresh.read_import(old), old.name)
        assert report.imported == len(rows)
        assert all(m.fact_key == "" and m.valid_until is None for m in fresh.store.all())
    finally:
        fresh.close()


def test_keyrings_are_named_as_people_know_them():
    from keyrings.alt.file import PlaintextKeyring

    from core.transfer.crypto import keyring_name

    assert keyring_name(PlaintextKeyring()) == "a password file stored as plain text"
