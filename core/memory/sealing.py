"""Sealing rows: what an encrypted store writes in place of a memory's words and its vector.

A sealed memory row keeps in the clear only what says nothing of its content (its id, kind,
source, role, times, importance, strength, state, the guard's verdict, its checksum). Its words,
and every field that quotes or reveals them (speaker, conversation, the guard's and importance's
reasons, the fact's key and value, the content hash, links), travel with its vector in one
AES-256-GCM message in the `sealed` column; the vector column is null. The message is bound to
the row's id (associated data), so sealed contents cannot be swapped between rows unnoticed.
A history row's reason is sealed the same way, as text ("enc1:" + base64). Each row says
whether it is sealed, so a store half-way through a conversion is read correctly row by row."""
from __future__ import annotations

import base64
import hashlib
import json
import os

import numpy as np

from .keys import DecryptError, key_id

SEALED_FIELDS = ("text", "speaker", "conversation_id", "guard_reason", "content_hash", "links", "importance_reason",
                 "fact_key", "fact_value")
TOKEN = "enc1:"
NONCE = 12
DAMAGED = "a sealed record cannot be decrypted (it was changed on disk, or sealed with another key)"


class RowCipher:
    """AES-256-GCM (`cryptography`) with the store's data key."""

    def __init__(self, data_key: bytes):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(data_key)
        self.data_key = data_key  # to wrap it again under a new passphrase
        self.key_id = key_id(data_key)
        # the records' checksums are keyed when sealed: a checksum in the clear must not confirm a guess
        self.checksum_key = hashlib.blake2b(data_key, digest_size=32, person=b"mnemo-checksum").digest()

    # ---------------------------------------------------------------- memory rows
    def seal_row(self, row: dict, vector: np.ndarray) -> dict:
        """The row as it is written sealed (`row` as core/memory/schema.to_row makes it)."""
        fields = json.dumps([row[name] for name in SEALED_FIELDS], ensure_ascii=False).encode("utf-8")
        nonce = os.urandom(NONCE)
        payload = np.ascontiguousarray(vector, dtype="<f4").tobytes() + fields
        sealed = dict(row)
        for name in SEALED_FIELDS:
            sealed[name] = "" if name in ("text", "links") else None
        sealed["vector"] = None
        sealed["sealed"] = nonce + self._aead.encrypt(nonce, payload, _row_aad(row["id"]))
        return sealed

    def unseal_row(self, record_id: str, blob: bytes, dim: int) -> tuple[dict, np.ndarray]:
        """The sealed fields (by name) and the vector; DecryptError if the message is not whole."""
        from cryptography.exceptions import InvalidTag

        try:
            payload = self._aead.decrypt(blob[:NONCE], blob[NONCE:], _row_aad(record_id))
        except (InvalidTag, ValueError):
            raise DecryptError(DAMAGED) from None
        width = dim * 4
        vector = np.frombuffer(payload[:width], dtype="<f4").astype(np.float32)
        values = json.loads(payload[width:].decode("utf-8"))
        return dict(zip(SEALED_FIELDS, values)), vector

    # ---------------------------------------------------------------- text (history reasons)
    def seal_text(self, text: str | None, row_id: str) -> str | None:
        if not text:
            return text
        nonce = os.urandom(NONCE)
        blob = nonce + self._aead.encrypt(nonce, text.encode("utf-8"), _text_aad(row_id))
        return TOKEN + base64.b64encode(blob).decode("ascii")

    def open_text(self, token: str | None, row_id: str) -> str | None:
        from cryptography.exceptions import InvalidTag

        if not is_sealed_text(token):
            return token
        try:
            blob = base64.b64decode(token[len(TOKEN):], validate=True)
            return self._aead.decrypt(blob[:NONCE], blob[NONCE:], _text_aad(row_id)).decode("utf-8")
        except (InvalidTag, ValueError):
            raise DecryptError("a sealed history entry cannot be decrypted (it was changed on disk)") from None


def is_sealed_text(value) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN)


def _row_aad(record_id: str) -> bytes:
    return b"mnemo/memory/v1/" + record_id.encode("utf-8")


def _text_aad(row_id: str) -> bytes:
    return b"mnemo/history/v1/" + row_id.encode("utf-8")
