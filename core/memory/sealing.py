"""Sealing rows: what an encrypted store writes in place of a memory's words and its vector.

A sealed memory row keeps in the clear only what says nothing of its content (its id, kind,
the kind of its source ("import", not the file's name), role, times, state, the guard's verdict,
its checksum). Its words, and every field that quotes or reveals them (speaker, conversation, the
guard's and importance's reasons, the fact's key and value, the content hash, links, the source's
detail, and how much it matters: importance and strength), travel with its vector in one
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
                 "fact_key", "fact_value", "source", "importance", "strength")
# sealed as text, opened as numbers: how much a memory matters says what kind of thing it is (health, codes...)
NUMBERS = ("importance", "strength")
SEALED_META = ("portrait_corrections",)  # meta values that quote the memory (core/lifecycle/portrait.py)
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
        nonce = os.urandom(NONCE)
        values = [repr(float(row[name])) if name in NUMBERS and row[name] is not None else row[name]
                  for name in SEALED_FIELDS]
        payload = np.ascontiguousarray(vector, dtype="<f4").tobytes() + _pack(values)
        sealed = dict(row)
        for name in SEALED_FIELDS:
            sealed[name] = "" if name in ("text", "links") else None
        sealed["source"] = str(row["source"]).split(":", 1)[0]  # "import", not the file's name
        sealed["vector"] = None
        sealed["sealed"] = nonce + self._aead.encrypt(nonce, payload, _row_aad(row["id"]))
        return sealed

    def unseal_rows(self, ids: list[str], blobs: list, dim: int) -> tuple[list[int], dict[str, list], np.ndarray, set[int]]:
        """Every sealed row of a table opened at once (a store of 100,000 opens in well under a
        second): the rows opened (not in table order when some were packed as JSON), their
        sealed fields by name (aligned with those rows), their vectors (one matrix, aligned too)
        and the rows that could not be opened (changed on disk, or sealed with another key)."""
        from cryptography.exceptions import InvalidTag

        decrypt = self._aead.decrypt
        width = dim * 4
        plain_rows, plain, json_rows, as_json, vectors, json_vectors, bad = [], [], [], [], [], [], set()
        for i, blob in enumerate(blobs):
            if blob is None:
                continue
            view = memoryview(blob)
            try:
                payload = decrypt(view[:NONCE], view[NONCE:], b"mnemo/memory/v1/" + ids[i].encode("utf-8"))
            except (InvalidTag, ValueError):
                bad.add(i)
                continue
            if payload[width:width + 1] == b"S":
                plain_rows.append(i)
                plain.append(payload[width + 1:])
                vectors.append(payload[:width])
            else:
                json_rows.append(i)
                as_json.append(json.loads(payload[width + 1:].decode("utf-8")))
                json_vectors.append(payload[:width])
        parts = b"\x1e".join(plain).decode("utf-8").split("\x1e") if plain else []
        count = len(SEALED_FIELDS)
        fields = {name: [None if v == "\x1f" else v for v in parts[k::count]] + [row[k] for row in as_json]
                  for k, name in enumerate(SEALED_FIELDS)}
        for name in NUMBERS:
            fields[name] = [None if v is None else float(v) for v in fields[name]]
        rows = plain_rows + json_rows
        matrix = (np.frombuffer(b"".join(vectors + json_vectors), dtype="<f4").reshape(len(rows), dim) if rows
                  else np.zeros((0, dim), np.float32))
        return rows, fields, matrix, bad

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


def _pack(values: list) -> bytes:
    """The sealed fields: "S" and the values between record separators (None as a unit
    separator), or "J" and JSON when a value holds either separator itself."""
    if all(v is None or (isinstance(v, str) and "\x1e" not in v and "\x1f" not in v) for v in values):
        return b"S" + "\x1e".join("\x1f" if v is None else v for v in values).encode("utf-8")
    return b"J" + json.dumps(values, ensure_ascii=False).encode("utf-8")


def is_sealed_text(value) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN)


def _row_aad(record_id: str) -> bytes:
    return b"mnemo/memory/v1/" + record_id.encode("utf-8")


def _text_aad(row_id: str) -> bytes:
    return b"mnemo/history/v1/" + row_id.encode("utf-8")
