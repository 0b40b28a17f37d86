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
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from ..errors import InvalidInputError, MnemoError

MAGIC = b"MNEMO-ENCRYPTED\n"
ENVELOPE_VERSION = 1
KEYRING_SERVICE = "Mnemo"
KEYRING_USER = "archive-key"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # 32 MiB of memory to derive a key (scrypt needs 128 * n * r bytes)
MAX_SCRYPT_BYTES = 128 << 20  # what an archive's header may ask for: a crafted one is refused, not obeyed
MAX_HEADER = 4096
CHUNK = 1 << 20
SPOOL_BYTES = 64 << 20  # a decrypted archive larger than this waits in an unnamed temporary file, not in memory
WRONG = ("The archive cannot be decrypted: the passphrase is wrong, or the file was damaged or changed after it was "
         "written.")


class DecryptError(InvalidInputError):
    """Wrong passphrase or key, or an archive that was changed after it was written."""


class NoKeyringError(MnemoError):
    """This system has no secure keyring to keep the archive key in."""


@dataclass(frozen=True)
class Passphrase:
    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or len(self.text) < 8:
            raise InvalidInputError("The passphrase must be at least 8 characters long.")


class KeyringKey:
    """The archive key kept in the OS keyring (made on first use)."""

    def __init__(self, service: str = KEYRING_SERVICE, user: str = KEYRING_USER):
        self.service, self.user = service, user

    def key(self, create: bool) -> bytes:
        backend = secure_keyring()
        stored = backend.get_password(self.service, self.user)
        if stored is None:
            if not create:
                raise DecryptError("The keyring holds no Mnemo archive key: this archive was encrypted on another "
                                   "computer or account. Ask for the passphrase version, or import it there.")
            stored = base64.b64encode(os.urandom(32)).decode()
            backend.set_password(self.service, self.user, stored)
        return base64.b64decode(stored)


def secure_keyring():
    """The keyring backend, when it stores secrets securely; else NoKeyringError."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) < 1:
        raise NoKeyringError(
            f"This system has no secure keyring (only {keyring_name(backend)}); "
            "use a passphrase instead (--passphrase-file FILE or MNEMO_PASSPHRASE).")
    return backend


KEYRING_NAMES = {  # keyring's backends as people know them
    "PlaintextKeyring": "a password file stored as plain text",
    "EncryptedKeyring": "a password file locked by its own password",
    "fail.Keyring": "no keyring service at all",
    "null.Keyring": "a keyring that was turned off",
    "SecretService.Keyring": "the desktop's keyring (GNOME Keyring or KWallet)",
    "DBusKeyring": "KWallet",
    "macOS.Keyring": "the macOS Keychain",
    "WinVaultKeyring": "Windows Credential Manager",
    "ChainerBackend": "a chain of keyrings",
}


def keyring_name(backend) -> str:
    """A keyring backend's name as a person would know it (never "keyrings.alt.file.PlaintextKeyring")."""
    name = type(backend).__name__
    module = type(backend).__module__.rsplit(".", 1)[-1]
    return KEYRING_NAMES.get(name) or KEYRING_NAMES.get(f"{module}.{name}") or "an unknown kind of keyring"


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def encrypt(data: bytes, secret: Passphrase | KeyringKey) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = {"version": ENVELOPE_VERSION, "cipher": "AES-256-GCM"}
    if isinstance(secret, Passphrase):
        salt = os.urandom(16)
        header["kdf"] = {"name": "scrypt", **SCRYPT, "salt": base64.b64encode(salt).decode()}
        key = _scrypt(secret.text, salt, SCRYPT)
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
        try:
            salt = base64.b64decode(kdf["salt"], validate=True)
            params = {k: int(kdf[k]) for k in ("n", "r", "p")}
        except (KeyError, ValueError, TypeError):
            raise DecryptError("The archive's encryption header is damaged.") from None
        n, r, p = params["n"], params["r"], params["p"]
        if n < 2 or n & (n - 1) or r < 1 or not 1 <= p <= 16:
            raise DecryptError("The archive's encryption header is damaged.")
        if 128 * n * r > MAX_SCRYPT_BYTES:
            raise DecryptError("The archive asks for key-derivation settings far beyond Mnemo's; it was not "
                               "written by Mnemo.")
        return _scrypt(passphrase().text, salt, params)
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


def _scrypt(text: str, salt: bytes, params: dict) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, **params).derive(text.encode("utf-8"))


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"mnemo-archive-key" + key).hexdigest()[:16]
