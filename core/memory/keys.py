"""Keys: the passphrase and the OS keyring (shared with encrypted archives, core/transfer/crypto.py),
and the memory store's own key file.

An encrypted store has one random 256-bit data key. It never touches the disk as it is: the key
file (DATA_DIR/store/encryption.json, copied into every backup) holds it wrapped with AES-256-GCM
by a key-encryption key, which is either derived from the user's passphrase with scrypt (its salt
and settings in the file) or a random key kept in the OS keyring. Changing the passphrase wraps
the same data key again: no row is rewritten. All of it is `cryptography`'s; nothing here is a
cipher of its own."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InvalidInputError, MnemoError

KEYRING_SERVICE = "Mnemo"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # 32 MiB of memory to derive a key (scrypt needs 128 * n * r bytes)
MAX_SCRYPT_BYTES = 128 << 20  # what a file may ask for: a crafted one is refused, not obeyed
KEY_FILE = "encryption.json"
KEY_FORMAT = 1
WRAP_AAD = b"mnemo/store-key/v1"


class DecryptError(InvalidInputError):
    """Wrong passphrase or key, or data that was changed after it was written."""


class NoKeyringError(MnemoError):
    """This system has no secure keyring to keep a key in."""


class LockedError(MnemoError):
    """The memory is encrypted and no passphrase was given to unlock it."""


@dataclass(frozen=True)
class Passphrase:
    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or len(self.text) < 8:
            raise InvalidInputError("The passphrase must be at least 8 characters long.")


class KeyringKey:
    """A random key kept in the OS keyring under (service, user), made on first use."""

    def __init__(self, service: str = KEYRING_SERVICE, user: str = "archive-key"):
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
    chain = getattr(backend, "backends", None)  # a chain writes to its first backend: that one must be secure
    first = chain[0] if chain else backend
    if isinstance(first, fail.Keyring) or getattr(backend, "priority", 0) < 1 or getattr(first, "priority", 0) < 1:
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


def scrypt(text: str, salt: bytes, params: dict) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    try:
        return Scrypt(salt=salt, length=32, **params).derive(text.encode("utf-8"))
    except MemoryError:
        raise DecryptError("This computer has not enough free memory to derive the key (scrypt); close some "
                           "programs and try again.") from None


def check_scrypt(params: dict, what: str) -> dict:
    """Sane scrypt settings from a file, or DecryptError naming `what` (e.g. "the archive")."""
    try:
        n, r, p = (int(params[k]) for k in ("n", "r", "p"))
    except (KeyError, ValueError, TypeError):
        raise DecryptError(f"{what[0].upper() + what[1:]}'s encryption header is damaged.") from None
    if n < 2 or n & (n - 1) or r < 1 or not 1 <= p <= 16:
        raise DecryptError(f"{what[0].upper() + what[1:]}'s encryption header is damaged.")
    if 128 * n * r > MAX_SCRYPT_BYTES or n * r * p > MAX_SCRYPT_BYTES // 128:  # memory, and time (p runs)
        raise DecryptError(f"{what[0].upper() + what[1:]} asks for key-derivation settings far beyond Mnemo's; it was "
                           "not written by Mnemo.")
    return {"n": n, "r": r, "p": p}


# ------------------------------------------------------------------------- the store's key file
@dataclass
class KeyFile:
    """DATA_DIR/store/encryption.json. `state`: "on"; "turning-on"/"turning-off" while the store
    is being converted (a conversion cut short is finished when the store is opened next)."""

    method: str  # "passphrase" or "keyring"
    wrapped: str  # base64 of nonce + AES-GCM(data key)
    key_id: str  # names the data key (not the key): backups made with another key are told apart
    state: str = "on"
    kdf: dict = field(default_factory=dict)  # scrypt's salt and settings (passphrase)
    keyring_user: str = ""  # the keyring entry holding the key-encryption key (keyring)
    tag: str = ""  # authenticates all of the above with the data key (`header_tag`): nothing here can be edited

    def header(self) -> bytes:
        """What the tag authenticates: every field but the tag, canonically."""
        fields = {k: v for k, v in asdict(self).items() if k != "tag"}
        return json.dumps({"format": KEY_FORMAT, **fields}, sort_keys=True, separators=(",", ":")).encode()

    def save(self, db_dir: Path, data_key: bytes) -> None:
        """Write the file (atomically), its header authenticated with `data_key` first."""
        self.tag = header_tag(data_key, self.header())
        data = {"format": KEY_FORMAT, "cipher": "AES-256-GCM", **asdict(self)}
        fd, tmp = tempfile.mkstemp(dir=db_dir, prefix=".encryption-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, Path(db_dir) / KEY_FILE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, db_dir: Path) -> "KeyFile | None":
        path = Path(db_dir) / KEY_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise DecryptError(f"The memory's key file {path} cannot be read ({exc}); restore a backup.") from None
        if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
            raise DecryptError(f"The memory's key file {path} was written by a newer Mnemo, or is damaged.")
        try:
            return cls(str(data["method"]), str(data["wrapped"]), str(data["key_id"]), str(data.get("state", "on")),
                       dict(data.get("kdf") or {}), str(data.get("keyring_user", "")), str(data.get("tag", "")))
        except (KeyError, TypeError, ValueError):
            raise DecryptError(f"The memory's key file {path} is damaged; restore a backup.") from None


def is_encrypted(data_dir: Path) -> bool:
    """Does the memory in `data_dir` have a key file (encrypted, or being converted)?"""
    return (Path(data_dir) / "store" / KEY_FILE).exists()


def header_tag(data_key: bytes, header: bytes, nonce: bytes | None = None) -> str:
    """AES-GCM over nothing, with the key file's header as associated data, under a key derived
    from the data key (never the data key itself): a tag only the key's holder can make."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = hashlib.blake2b(data_key, digest_size=32, person=b"mnemo-keyfile").digest()
    nonce = nonce if nonce is not None else os.urandom(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, b"", header)).decode()


def key_id(data_key: bytes) -> str:
    return hashlib.blake2b(data_key, digest_size=8, person=b"mnemo-key-id").hexdigest()


def new_data_key() -> bytes:
    return os.urandom(32)


def wrap(data_key: bytes, secret: Passphrase | KeyringKey, state: str = "on") -> KeyFile:
    """A key file holding `data_key`, wrapped by the passphrase or by a key in the keyring."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if isinstance(secret, Passphrase):
        salt = os.urandom(16)
        kdf = {"name": "scrypt", **SCRYPT, "salt": base64.b64encode(salt).decode()}
        kek, method, user = scrypt(secret.text, salt, SCRYPT), "passphrase", ""
    else:
        kdf, kek, method, user = {}, secret.key(create=True), "keyring", secret.user
    nonce = os.urandom(12)
    wrapped = base64.b64encode(nonce + AESGCM(kek).encrypt(nonce, data_key, WRAP_AAD)).decode()
    return KeyFile(method, wrapped, key_id(data_key), state, kdf, user)


def unwrap(keys: KeyFile, passphrase: Callable[[], Passphrase] | None) -> bytes:
    """The data key. `passphrase()` is asked only when the key is wrapped by one; None → LockedError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if keys.method == "passphrase":
        if passphrase is None:
            raise LockedError("The memory is encrypted with a passphrase: give it in $MNEMO_PASSPHRASE, or type it "
                              "when asked (in a terminal, or in the app).")
        params = check_scrypt(keys.kdf, "the memory's key file")
        try:
            salt = base64.b64decode(keys.kdf["salt"], validate=True)
        except (KeyError, ValueError, TypeError):
            raise DecryptError("The memory's key file's encryption header is damaged.") from None
        kek = scrypt(passphrase().text, salt, params)
        wrong = "The passphrase is wrong; the memory stays locked and nothing was changed."
    elif keys.method == "keyring":
        stored = secure_keyring().get_password(KEYRING_SERVICE, keys.keyring_user)
        if stored is None:
            raise DecryptError("This computer's keyring holds no key for this memory (it was encrypted on another "
                               "computer or account, or the keyring entry was deleted); nothing was changed.")
        kek = base64.b64decode(stored)
        wrong = "The key in this computer's keyring is not the one this memory was encrypted with; nothing was changed."
    else:
        raise DecryptError(f"The memory's key file uses an unknown key method '{keys.method}'.")
    try:
        raw = base64.b64decode(keys.wrapped, validate=True)
        data_key = AESGCM(kek).decrypt(raw[:12], raw[12:], WRAP_AAD)
    except (InvalidTag, ValueError):
        raise DecryptError(wrong) from None
    if key_id(data_key) != keys.key_id:
        raise DecryptError("The memory's key file is damaged (its key does not match its name); restore a backup.")
    try:
        nonce = base64.b64decode(keys.tag, validate=True)[:12]
        sound = len(nonce) == 12 and hmac.compare_digest(header_tag(data_key, keys.header(), nonce), keys.tag)
    except ValueError:
        sound = False
    if not sound:
        raise DecryptError("The memory's key file was changed outside Mnemo (its settings do not match their seal); "
                           "nothing was changed. Restore a backup, or the key file from one.")
    return data_key


def store_keyring_key(store_key_id: str) -> KeyringKey:
    """The keyring entry that wraps one store's key (its own, so two data folders never share one)."""
    return KeyringKey(KEYRING_SERVICE, f"store-key-{store_key_id}")
