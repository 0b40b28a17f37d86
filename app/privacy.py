"""Encryption at rest as the CLI and the app both use it: the store converts itself
(core/memory/encryption.py); what else under the data folder could tell of the memory's words
is dealt with here. The model's saved prompt state (the portrait and overview, evaluated:
core/answering/prefix_cache.py) is not kept on disk while the memory is encrypted."""
from __future__ import annotations

import shutil

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
