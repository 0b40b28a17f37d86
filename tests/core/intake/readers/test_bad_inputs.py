"""Bad files: each gets a specific sentence and nothing is read from it."""
import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import
from core.memory.records import Memory
from core.transfer import archive
from core.transfer import crypto as archive_crypto
from core.transfer.crypto import DecryptError, Passphrase

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples"
NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)


def good_archive() -> bytes:
    memory = Memory(id="m1", text="My sister Anna lives in Lisbon", kind="note", source="user", created_at=1.7e9)
    return archive.build([memory], [], {}, {}, NOW)


def rezip(raw: bytes, change) -> bytes:
    """The archive's parts, changed by change(parts: dict) and zipped again."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def manifest_edit(**changes):
    def change(parts):
        manifest = json.loads(parts["manifest.json"])
        manifest.update(changes)
        parts["manifest.json"] = json.dumps(manifest)
    return change


def corrupt_member() -> bytes:
    raw = bytearray(rezip(good_archive(), lambda p: None))
    at = raw.index(b"memories.jsonl") + 40  # inside the compressed data of a part
    raw[at:at + 8] = b"\xff" * 8
    return bytes(raw)


def huge_member() -> bytes:
    raw = bytearray(good_archive())
    # the central directory's "uncompressed size" of the first member says 3 GB
    at = raw.index(b"PK\x01\x02")
    raw[at + 24:at + 28] = (3_000_000_000).to_bytes(4, "little")
    return bytes(raw)


def encrypted(secret="correct horse battery") -> bytes:
    return archive_crypto.encrypt(good_archive(), Passphrase(secret))


CASES = [
    # name, file name, content, expected phrase
    ("empty file", "x.json", b"", "is empty"),
    ("only spaces", "x.txt", b"   \n\n", "is empty"),
    ("random bytes", "x.bin", bytes(range(256)) * 8, "neither text"),
    ("binary with NULs in UTF-8", "x.txt", b"User: hi\x00\x00", "binary data"),
    ("truncated zip", "x.zip", good_archive()[:200], "damaged or truncated zip"),
    ("corrupt zip member", "x.mnemo", corrupt_member(), "damaged"),
    ("member claiming 3 GB", "x.mnemo", huge_member(), "more than Mnemo imports"),
    ("zip without a known export", "x.zip", rezip(good_archive(), lambda p: p.pop("manifest.json")),
     "neither a Mnemo archive nor an export Mnemo knows"),
    ("JSON that is not an export", "x.json", b'{"hello": "world"}', "not a ChatGPT or Claude export"),
    ("invalid JSON", "x.json", b'[{"mapping": ', "not valid JSON"),
    ("empty list", "x.json", b"[]", "empty list"),
    # (a bad message or conversation among good ones is left out and reported: test_{chatgpt,claude,deepseek}_export.py)
    ("no conversation readable", "x.json", b'[{"mapping": []}, 5]', "Conversation 1.*'mapping' should be an object"),
    ("mapping a list", "x.json", b'[{"mapping": []}]', "'mapping' should be an object"),
    ("loop in parent links", "x.json", json.dumps([{"id": "c", "current_node": "a", "mapping": {
        "a": {"parent": "b", "message": None}, "b": {"parent": "a", "message": None}}}]).encode(), "loops back"),
    ("Claude sender list", "x.json", b'[{"uuid": "u", "chat_messages": "nope"}]', "'chat_messages' should be a list"),
    ("JSONL bad role", "x.jsonl", b'{"role": "boss", "content": "hi"}\n', "'role' must be"),
    ("JSONL timestamp", "x.jsonl", b'{"role": "user", "content": "hi", "timestamp": "yesterday"}\n', "not an ISO-8601"),
    ("JSONL year 9999", "x.jsonl", b'{"role": "user", "content": "hi", "timestamp": "9999-01-01"}\n', "plausible date"),
    ("LoCoMo without sessions", "x.json", b'[{"sample_id": "s", "conversation": {}}]', "has no sessions"),
    ("LoCoMo bad date", "x.json", b'[{"sample_id": "s", "conversation": {"session_1": [], '
                                  b'"session_1_date_time": "May"}}]', "not a date like"),
    ("MemoryBank history list", "x.json", b'{"Ann": {"history": []}}', "'history' should be an object"),
    ("tampered archive part", "x.mnemo",
     rezip(good_archive(), lambda p: p.update({"memories.jsonl": p["memories.jsonl"].replace(b"Lisbon", b"Madrid")})),
     "does not match its checksum"),
    ("archive from a newer format", "x.mnemo", rezip(good_archive(), manifest_edit(format_version=99)),
     "written by a newer Mnemo"),
    ("archive missing a part", "x.mnemo", rezip(good_archive(), lambda p: p.pop("history.jsonl")), "no history.jsonl"),
    ("archive counts changed", "x.mnemo", rezip(good_archive(), manifest_edit(counts={"memories": 5, "history": 0})),
     "counts do not match"),
    ("archive manifest not JSON", "x.mnemo", rezip(good_archive(), lambda p: p.update({"manifest.json": b"{"})),
     "not valid JSON"),
]


@pytest.mark.parametrize("name,file,content,phrase", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_specific_error(tmp_path, name, file, content, phrase):
    path = tmp_path / file
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=phrase):
        read_import(path)


@pytest.mark.parametrize("name,content,phrase", [
    ("wrong passphrase", encrypted("another passphrase"), "passphrase is wrong"),
    ("truncated encrypted archive", encrypted()[:60], "truncated"),
    ("header tampered", encrypted().replace(b'"scrypt"', b'"scrypX"'), "unknown key method"),
    ("ciphertext changed", encrypted()[:-1] + b"\x00", "changed after it was written"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "")
def test_bad_encrypted_archive(tmp_path, name, content, phrase):
    path = tmp_path / "x.mnemo"
    path.write_bytes(content)
    with pytest.raises(DecryptError, match=phrase):
        read_import(path, passphrase=lambda: Passphrase("correct horse battery"))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportFormatError, match="There is no file"):
        read_import(tmp_path / "nope.json")
    with pytest.raises(ImportFormatError, match="is a folder, and Mnemo found no notes in it"):
        read_import(tmp_path)


def test_absurdly_large_file_is_refused_before_reading(tmp_path, monkeypatch):
    from core.intake.readers import detect
    monkeypatch.setattr(detect, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"role": "user", "content": "hi"}\n' * 100)
    with pytest.raises(ImportFormatError, match="Mnemo imports files of up to 1,000"):
        read_import(path)
