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
is embedded from the question they were learnt on, which the record does not hold."""
from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np

from ..bounded import MAX_FILE_BYTES, read_member
from ..errors import ImportFormatError, InvalidInputError
from ..memory.records import HistoryEntry, Kind, Memory, State
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


def read(archive: zipfile.ZipFile, dim: int) -> ArchiveContent:
    """Validate every part against the manifest and every record's fields; raise
    ImportFormatError on the first problem (nothing has been written at that point)."""
    manifest = _json(read_member(archive, "manifest.json"), "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ImportFormatError("manifest.json does not describe a Mnemo archive.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFormatError("The archive's manifest has no valid format_version.")
    if version > FORMAT_VERSION:
        raise ImportFormatError(f"The archive was written by a newer Mnemo (format {version}; this Mnemo reads up "
                                f"to {FORMAT_VERSION}, app {app_version()}). Update Mnemo to import it.")
    listed = manifest.get("parts")
    if not isinstance(listed, dict) or set(listed) != set(PARTS):
        raise ImportFormatError(f"The archive's manifest should list the parts {', '.join(PARTS)}.")
    data = {}
    for name in PARTS:
        entry = listed[name]
        raw = read_member(archive, name)
        if not isinstance(entry, dict) or entry.get("sha256") != hashlib.sha256(raw).hexdigest() \
                or entry.get("bytes") != len(raw):
            raise ImportFormatError(f"The archive's {name} does not match its checksum in the manifest: the file "
                                    "was changed or damaged after it was written. Nothing was imported.")
        data[name] = raw
    memories = [_memory(row, n) for n, row in _rows(data["memories.jsonl"], "memories.jsonl")]
    history = [_history(row, n) for n, row in _rows(data["history.jsonl"], "history.jsonl")]
    counts = manifest.get("counts", {})
    if counts.get("memories") != len(memories) or counts.get("history") != len(history):
        raise ImportFormatError("The archive's record counts do not match its manifest.")
    ids = [m.id for m in memories]
    if len(set(ids)) != len(ids):
        raise ImportFormatError("The archive holds two records with the same id.")
    settings = _json(data["settings.json"], "settings.json")
    if not isinstance(settings, dict):
        raise ImportFormatError("settings.json in the archive should be an object.")
    vectors = _lesson_vectors(data["lesson_vectors.json"], dim, {m.id for m in memories if m.kind == Kind.LESSON})
    return ArchiveContent(manifest, memories, history, settings, vectors)


def _jsonl(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode("utf-8")


def _json(raw: bytes, name: str):
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ImportFormatError(f"{name} in the archive nests too deeply to be Mnemo's.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFormatError(f"{name} in the archive is not valid JSON ({exc}).") from None


def _rows(raw: bytes, name: str):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFormatError(f"{name} in the archive is not UTF-8 text.") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                row = json.loads(line)
            except RecursionError:
                raise ImportFormatError(f"{name} line {n} in the archive nests too deeply to be Mnemo's.") from None
            except ValueError as exc:
                raise ImportFormatError(f"{name} line {n} in the archive is not valid JSON ({exc}).") from None
            if not isinstance(row, dict):
                raise ImportFormatError(f"{name} line {n} in the archive should be an object.")
            yield n, row


def _memory(row: dict, n: int) -> Memory:
    where = f"memories.jsonl line {n}"
    expected = set(SCALAR_FIELDS)
    for name, default in ADDED_IN_2.items():  # an archive of format 1
        row.setdefault(name, default)
    if set(row) != expected:
        missing, extra = expected - set(row), set(row) - expected
        raise ImportFormatError(f"{where}: " + ("missing " + ", ".join(sorted(missing)) if missing else
                                               "unknown fields " + ", ".join(sorted(extra))) + ".")
    for name in TEXTS:
        if not isinstance(row[name], str):
            raise ImportFormatError(f"{where}: '{name}' should be text, not {row[name]!r}.")
    for name in FLOATS:
        value = row[name]
        if value is None and name in OPTIONAL:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e11:
            raise ImportFormatError(f"{where}: '{name}' should be a number, not {value!r}.")
        row[name] = float(value)
    if isinstance(row["recall_count"], bool) or not isinstance(row["recall_count"], int) or row["recall_count"] < 0:
        raise ImportFormatError(f"{where}: 'recall_count' should be a whole number ≥ 0.")
    if row["kind"] not in {str(k) for k in Kind}:
        raise ImportFormatError(f"{where}: unknown kind '{row['kind']}'.")
    if row["state"] not in {str(s) for s in State}:
        raise ImportFormatError(f"{where}: unknown state '{row['state']}'.")
    if not row["id"] or not row["text"].strip():
        raise ImportFormatError(f"{where}: a record needs an id and text.")
    links = row["links"]
    if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
        raise ImportFormatError(f"{where}: 'links' should be a list of ids.")
    row["links"] = tuple(links)
    return Memory(**row)


def _history(row: dict, n: int) -> HistoryEntry:
    where = f"history.jsonl line {n}"
    if set(row) != set(HISTORY_FIELDS):
        raise ImportFormatError(f"{where}: should have exactly the fields {', '.join(HISTORY_FIELDS)}.")
    for name, kind in HISTORY_FIELDS.items():
        value = row[name]
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool) and value == value) \
            if kind is float else isinstance(value, str)
        if not ok:
            raise ImportFormatError(f"{where}: '{name}' should be {'a number' if kind is float else 'text'}.")
    row["at"] = float(row["at"])
    return HistoryEntry(**row)


def _lesson_vectors(raw: bytes, dim: int, lesson_ids: set[str]) -> dict[str, np.ndarray]:
    found = _json(raw, "lesson_vectors.json")
    if not isinstance(found, dict):
        raise ImportFormatError("lesson_vectors.json in the archive should be an object.")
    vectors = {}
    for key, value in found.items():
        try:
            vector = np.frombuffer(base64.b64decode(value, validate=True), dtype="<f4").astype(np.float32)
        except (ValueError, TypeError):
            raise ImportFormatError(f"lesson_vectors.json: the key of {key} is not valid.") from None
        if vector.shape != (dim,) or not np.all(np.isfinite(vector)):
            raise ImportFormatError(f"lesson_vectors.json: the key of {key} is not a {dim}-number vector.")
        if key in lesson_ids:
            vectors[key] = vector
    return vectors


def require_bytes(size: int, what: str) -> None:
    if size > MAX_FILE_BYTES:
        raise InvalidInputError(f"{what} is {size:,} bytes, more than Mnemo imports ({MAX_FILE_BYTES:,}).")
