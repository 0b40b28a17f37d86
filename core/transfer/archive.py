"""Mnemo archives: everything needed to restore a memory exactly, in one zip.

    manifest.json        format + version, app version, creation time, counts, and the
                         SHA-256 and size of every other part (a changed part is refused)
    memories.jsonl       every record (notes, turns, summaries, portrait, lessons) with its
                         state, strength, times, provenance and guard verdict
    history.jsonl        every change ever recorded
    settings.json        the settings that shape the memory (decay, schedule, summaries)
    lesson_vectors.json  the guard lessons' search keys

Vectors are left out and rebuilt on import with the same MiniLM model: they are 1.5 kB per
record (more than the text, usually), are a pure function of the text, and rebuilding keeps
an archive usable after a change of embedding model. Lessons are the exception: their key
is embedded from the question they were learnt on, which the record does not hold.

Reading one back, without trusting it: core/transfer/archive_read.py."""
from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import io
import json
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np

from ..bounded import MAX_FILE_BYTES
from ..errors import InvalidInputError
from ..memory.records import HistoryEntry, Memory
from ..memory.schema import SCALAR_FIELDS, SCHEMA_VERSION

FORMAT = "mnemo-archive"
FORMAT_VERSION = 2
PARTS = ("memories.jsonl", "history.jsonl", "settings.json", "lesson_vectors.json")
VECTORS_NOTE = ("rebuilt on import from each record's text with all-MiniLM-L6-v2 (lessons' keys are "
                "included in lesson_vectors.json)")
FLOATS = {"created_at", "event_at", "importance", "strength", "last_recalled_at", "updated_at", "reinforced_at",
          "valid_from", "valid_until"}
OPTIONAL = {"event_at", "last_recalled_at", "reinforced_at", "valid_from", "valid_until"}
TEXTS = {"id", "text", "kind", "source", "role", "speaker", "conversation_id", "state", "guard_verdict",
         "guard_reason", "content_hash", "importance_reason", "fact_key", "fact_value"}
# fields archives of format 1 did not have, and what they mean there
ADDED_IN_2 = {"importance_reason": "", "fact_key": "", "fact_value": "", "valid_from": None, "valid_until": None}
HISTORY_FIELDS = {"id": str, "memory_id": str, "at": float, "actor": str, "action": str, "from_state": str,
                  "to_state": str, "reason": str}


@dataclass
class ArchiveContent:
    manifest: dict
    memories: list[Memory]
    history: list[HistoryEntry]
    settings: dict = field(default_factory=dict)
    lesson_vectors: dict[str, np.ndarray] = field(default_factory=dict)
    rejected: Counter = field(default_factory=Counter)  # records left out, by reason
    rejected_examples: dict[str, list[str]] = field(default_factory=dict)  # a few of each: where they were


def app_version() -> str:
    try:
        return importlib.metadata.version("mnemo")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def memory_dict(m: Memory) -> dict:
    row = {name: getattr(m, name) for name in SCALAR_FIELDS}
    row["links"] = list(m.links)
    return row


def build(memories: list[Memory], history: list[HistoryEntry], settings: dict,
          lesson_vectors: dict[str, np.ndarray], now: datetime) -> bytes:
    """The archive's bytes."""
    parts = {
        "memories.jsonl": _jsonl(memory_dict(m) for m in memories),
        "history.jsonl": _jsonl(asdict(h) for h in history),
        "settings.json": json.dumps(settings, indent=2, sort_keys=True).encode(),
        "lesson_vectors.json": json.dumps(
            {k: base64.b64encode(np.asarray(v, dtype="<f4").tobytes()).decode() for k, v in lesson_vectors.items()},
            sort_keys=True).encode(),
    }
    kinds: dict[str, int] = {}
    for m in memories:
        kinds[m.kind] = kinds.get(m.kind, 0) + 1
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": app_version(),
        "schema_version": SCHEMA_VERSION, "created_at": now.isoformat(), "vectors": VECTORS_NOTE,
        "counts": {"memories": len(memories), "history": len(history), "by_kind": kinds},
        "parts": {name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for name, data in parts.items()},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def is_archive(archive: zipfile.ZipFile) -> bool:
    return "manifest.json" in archive.namelist()


def _jsonl(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode("utf-8")


def require_bytes(size: int, what: str) -> None:
    if size > MAX_FILE_BYTES:
        raise InvalidInputError(f"{what} is {size:,} bytes, more than Mnemo imports ({MAX_FILE_BYTES:,}).")
