"""Encryption at rest as the CLI and the app both use it: the store converts itself
(core/memory/encryption.py); what else under the data folder could tell of the memory's words
is dealt with here. The model's saved prompt state (the portrait and overview, evaluated:
core/answering/prefix_cache.py) is not kept on disk while the memory is encrypted."""
from __future__ import annotations

import shutil
from pathlib import Path

from core.memory.keys import is_encrypted  # noqa: F401  (the app asks it here)


def encrypt(mnemo, secret, progress=None):
    """Turn encryption on (`secret`: a Passphrase, or None for the keyring); returns the status."""
    status = mnemo.store.encrypt(secret, progress)
    forget_prompt_state(mnemo)
    return status


def forget_prompt_state(mnemo) -> None:
    """Delete the saved prompt states and keep no new ones (the memory is encrypted now)."""
    from core.models.library import PREFIX_CACHE

    from .model_library import models_dir

    cache = getattr(mnemo.model, "prefix_cache", None)
    if cache is not None:
        cache.folder = None
    shutil.rmtree(models_dir(mnemo.data_dir) / PREFIX_CACHE, ignore_errors=True)


def decrypt(mnemo, progress=None):
    """Turn encryption off (the memory and its backups back in the clear); returns the status."""
    return mnemo.store.decrypt(progress)


def change_passphrase(mnemo, secret):
    """Unlock with `secret` (a Passphrase, or None for the keyring) from now on."""
    return mnemo.store.change_secret(secret)


def status(mnemo):
    return mnemo.store.encryption()


def needs_passphrase(data_dir) -> bool:
    """Is the memory in `data_dir` encrypted with a passphrase (asked before it opens)?"""
    from core.memory.keys import KeyFile

    try:
        keys = KeyFile.load(Path(data_dir) / "store")
    except Exception:  # a damaged key file: opening says so, with what to do
        return False
    return keys is not None and keys.method == "passphrase"


def check_passphrase(data_dir, text: str):
    """The Passphrase when it unlocks the memory in `data_dir`; else DecryptError (or
    InvalidInputError for one too short), with the sentence to show. Nothing is written."""
    from core.memory.keys import KeyFile, Passphrase, unwrap

    given = Passphrase(text)
    keys = KeyFile.load(Path(data_dir) / "store")
    if keys is not None:
        unwrap(keys, lambda: given)
    return given


def check_unlock(mnemo, text: str):
    """The Passphrase when it unlocks the key the open memory uses (the lock screen, and before the
    passphrase is changed or encryption turned off); else DecryptError with the sentence to show."""
    from core.memory.keys import DecryptError, Passphrase

    given = Passphrase(text)
    if not mnemo.store.verify_passphrase(given):
        raise DecryptError("The passphrase is wrong; the memory stays locked and nothing was changed.")
    return given
