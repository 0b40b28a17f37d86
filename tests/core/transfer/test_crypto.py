"""Encrypted archives from outside: the key derivation a header asks for is bounded, and the
file is decrypted a chunk at a time, handed over only once it is proven unchanged."""
import json
import os
import resource
import struct
import time

import pytest

from core.transfer import crypto
from core.transfer.crypto import DecryptError, Passphrase

SECRET = Passphrase("correct horse battery")


def with_kdf(blob: bytes, **kdf) -> bytes:
    header, start = crypto._read_header(blob)
    header["kdf"].update(kdf)
    encoded = json.dumps(header, sort_keys=True).encode()
    return crypto.MAGIC + struct.pack(">I", len(encoded)) + encoded + blob[start:]


@pytest.mark.parametrize("kdf,phrase", [
    ({"n": 2**20, "r": 32}, "far beyond Mnemo's"),  # 4 GiB of memory to derive the key
    ({"n": 2**18, "r": 8}, "far beyond Mnemo's"),
    ({"n": 3}, "header is damaged"),  # not a power of two (the library would raise its own error)
    ({"r": 0}, "header is damaged"),
    ({"p": 0}, "header is damaged"),
])
def test_a_header_asking_for_too_much_memory_or_nonsense_is_refused_at_once(kdf, phrase):
    blob = with_kdf(crypto.encrypt(b"PK archive", SECRET), **kdf)
    before, started = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.monotonic()
    with pytest.raises(DecryptError, match=phrase):
        crypto.decrypt(blob, lambda: SECRET)
    assert time.monotonic() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 << 10  # KiB: no key was derived


def test_a_file_is_decrypted_in_chunks_and_spilled_to_an_unnamed_file_when_large(tmp_path, monkeypatch):
    monkeypatch.setattr(crypto, "CHUNK", 1000)
    monkeypatch.setattr(crypto, "SPOOL_BYTES", 4096)
    data = os.urandom(50_000)
    path = tmp_path / "x.mnemo"
    path.write_bytes(crypto.encrypt(data, SECRET))
    listed = set(os.listdir(tmp_path))
    with crypto.decrypt_file(path, lambda: SECRET) as plain:
        assert plain.read() == data
        assert set(os.listdir(tmp_path)) == listed


@pytest.mark.parametrize("where", [-1, -20, 200])
def test_a_changed_byte_anywhere_refuses_the_file(tmp_path, where):
    raw = bytearray(crypto.encrypt(os.urandom(5000), SECRET))
    raw[where] ^= 1
    path = tmp_path / "x.mnemo"
    path.write_bytes(bytes(raw))
    with pytest.raises(DecryptError, match="changed after it was written"):
        crypto.decrypt_file(path, lambda: SECRET)


def test_a_truncated_file_is_named_truncated(tmp_path):
    path = tmp_path / "x.mnemo"
    blob = crypto.encrypt(b"x", SECRET)
    path.write_bytes(blob[: crypto._read_header(blob)[1] + 20])
    with pytest.raises(DecryptError, match="truncated"):
        crypto.decrypt_file(path, lambda: SECRET)
