"""Encrypted archives: AES-256-GCM (authenticated; `cryptography`'s AESGCM) around the whole
archive. The key is either derived from a passphrase with scrypt (salt in the header) or a
random key kept in the operating system's keyring (keyring). The header is authenticated
too, so neither the ciphertext nor the way the key is found can be changed unnoticed.

File layout: MAGIC, 4-byte big-endian header length, header (JSON), then nonce+ciphertext."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from ..memory.keys import (  # noqa: F401  (the archive's names for them)
    KEYRING_NAMES, KEYRING_SERVICE, MAX_SCRYPT_BYTES, SCRYPT, DecryptError, KeyringKey,
    NoKeyringError, Passphrase, check_scrypt, keyring_name, scrypt, secure_keyring)

MAGIC = b"MNEMO-ENCRYPTED\n"
ENVELOPE_VERSION = 1
KEYRING_USER = "archive-key"
MAX_HEADER = 4096
CHUNK = 1 << 20
SPOOL_BYTES = 64 << 20  # a decrypted archive larger than this waits in an unnamed temporary file, not in memory
WRONG = ("The archive cannot be decrypted: the passphrase is wrong, or the file was damaged or changed after it was "
         "written.")


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def encrypt(data: bytes, secret: Passphrase | KeyringKey) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = {"version": ENVELOPE_VERSION, "cipher": "AES-256-GCM"}
    if isinstance(secret, Passphrase):
        salt = os.urandom(16)
        header["kdf"] = {"name": "scrypt", **SCRYPT, "salt": base64.b64encode(salt).decode()}
        key = scrypt(secret.text, salt, SCRYPT)
    else:
        key = secret.key(create=True)
        header["kdf"] = {"name": "keyring", "service": secret.service, "key_id": _key_id(key)}
    prefix = _prefix(header)
    nonce = os.urandom(12)
    return prefix + nonce + AESGCM(key).encrypt(nonce, data, prefix)


def needs_passphrase(blob: bytes) -> bool:
    return _read_header(blob)[0]["kdf"]["name"] == "scrypt"


def decrypt(blob: bytes, passphrase: Callable[[], Passphrase] | None) -> bytes:
    """`passphrase()` is asked only when the archive was encrypted with one."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header, start = _read_header(blob)
    key = _key(header, passphrase)
    body = blob[start:]
    if len(body) < 12 + 16:
        raise DecryptError("The encrypted archive is truncated.")
    try:
        return AESGCM(key).decrypt(body[:12], body[12:], blob[:start])
    except InvalidTag:
        raise DecryptError(WRONG) from None


def decrypt_file(path: Path, passphrase: Callable[[], Passphrase] | None) -> BinaryIO:
    """`decrypt` for a file, read and decrypted a chunk at a time: the decrypted archive comes
    back as a file object (in memory up to SPOOL_BYTES, beyond that an unnamed temporary file
    only this user can read), handed over only once its tag proves it whole and unchanged."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    with Path(path).open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(len(MAGIC) + 4 + MAX_HEADER)
        header, start = _read_header(head)
        key = _key(header, passphrase)
        if size - start < 12 + 16:
            raise DecryptError("The encrypted archive is truncated.")
        nonce = head[start:start + 12] if len(head) >= start + 12 else _at(handle, start, 12)
        tag = _at(handle, size - 16, 16)
        decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(head[:start])
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        try:
            handle.seek(start + 12)
            remaining = size - start - 12 - 16
            while remaining:
                chunk = handle.read(min(CHUNK, remaining))
                if not chunk:
                    raise DecryptError("The encrypted archive is truncated.")
                remaining -= len(chunk)
                out.write(decryptor.update(chunk))
            out.write(decryptor.finalize())
        except InvalidTag:
            out.close()
            raise DecryptError(WRONG) from None
        except BaseException:
            out.close()
            raise
    out.seek(0)
    return out


def _at(handle, offset: int, length: int) -> bytes:
    handle.seek(offset)
    return handle.read(length)


def _key(header: dict, passphrase: Callable[[], Passphrase] | None) -> bytes:
    kdf = header["kdf"]
    if kdf["name"] == "scrypt":
        if passphrase is None:
            raise DecryptError("This archive is encrypted with a passphrase; give it with --passphrase-file FILE "
                               "or MNEMO_PASSPHRASE.")
        params = check_scrypt(kdf, "the archive")
        try:
            salt = base64.b64decode(kdf["salt"], validate=True)
        except (KeyError, ValueError, TypeError):
            raise DecryptError("The archive's encryption header is damaged.") from None
        return scrypt(passphrase().text, salt, params)
    if kdf["name"] == "keyring":
        key = KeyringKey(kdf.get("service", KEYRING_SERVICE)).key(create=False)
        if _key_id(key) != kdf.get("key_id"):
            raise DecryptError("The key in this computer's keyring is not the one this archive was encrypted "
                               "with (it comes from another computer or account).")
        return key
    raise DecryptError(f"The archive uses an unknown key method '{kdf['name']}'.")


def _prefix(header: dict) -> bytes:
    encoded = json.dumps(header, sort_keys=True).encode()
    return MAGIC + struct.pack(">I", len(encoded)) + encoded


def _read_header(blob: bytes) -> tuple[dict, int]:
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 4:
        raise DecryptError("This is not an encrypted Mnemo archive.")
    (length,) = struct.unpack(">I", blob[len(MAGIC):len(MAGIC) + 4])
    start = len(MAGIC) + 4 + length
    if length > MAX_HEADER or start > len(blob):
        raise DecryptError("The encrypted archive's header is damaged or truncated.")
    try:
        header = json.loads(blob[len(MAGIC) + 4:start])
        kdf = header["kdf"]
        if not isinstance(kdf, dict) or not isinstance(kdf.get("name"), str):
            raise ValueError
    except (ValueError, KeyError, TypeError, RecursionError):
        raise DecryptError("The encrypted archive's header is damaged.") from None
    if header.get("version") != ENVELOPE_VERSION:
        raise DecryptError(f"The archive was encrypted by a newer Mnemo (envelope {header.get('version')}); "
                           "update Mnemo to import it.")
    return header, start


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"mnemo-archive-key" + key).hexdigest()[:16]
