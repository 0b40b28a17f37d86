"""Reading a Mnemo archive (core/transfer/archive.py says what is in one) without trusting it.

An archive comes from outside, even one the user wrote: every part is checked against the
manifest's checksum, every record's fields against the schema, and every text is cleaned of
control characters. A record whose text is nothing readable is left out (and counted, with
the reason); anything else wrong refuses the whole archive with a sentence.

Memory stays bounded: the two .jsonl parts are streamed a line at a time, first to check
them (holding only the record ids), then, once everything is known to be sound, to build the
records; the small parts have fixed limits; the counts the manifest declares are capped."""
from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections import Counter
from typing import Callable

import numpy as np

from ..bounded import MAX_FILE_BYTES, MAX_LINE_CHARS, byte_lines, open_member, read_member
from ..errors import ImportFormatError
from ..memory.records import HistoryEntry, Kind, Memory, State, content_hash
from ..memory.schema import SCALAR_FIELDS
from ..text import clean, has_words
from .archive import ADDED_IN_2, FLOATS, FORMAT, FORMAT_VERSION, HISTORY_FIELDS, OPTIONAL, PARTS, TEXTS, \
    ArchiveContent, app_version

SMALL_PARTS = {"manifest.json": 1 << 20, "settings.json": 1 << 20, "lesson_vectors.json": 64 << 20}
MAX_RECORDS = 500_000  # records in one archive (the exact search holds 250,000 comfortably)
MAX_HISTORY = 5_000_000  # history entries in one archive
IDS = {"id"}  # fields that must be an id as they are (cleaning would make another record of them)
UNIT = 1e-3  # a lesson's key is a unit vector, give or take this much
EMPTY = "the record's text is empty once control characters are removed"


def read(archive: zipfile.ZipFile, dim: int) -> ArchiveContent:
    """Validate every part against the manifest and every record's fields; raise
    ImportFormatError on the first problem (nothing has been written at that point)."""
    manifest = _json(read_member(archive, "manifest.json", SMALL_PARTS["manifest.json"]), "manifest.json")
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
    entries = {name: _entry(archive, name, listed[name]) for name in PARTS}
    declared = _counts(manifest.get("counts"))
    small = {name: _small_part(archive, name, entries[name]) for name in ("settings.json", "lesson_vectors.json")}

    # first pass: every line checked, nothing kept but the ids
    ids: set[str] = set()
    lessons: set[str] = set()

    def note(row: dict, n: int) -> None:
        memory, _ = _memory(row, n)
        if row["id"] in ids:
            raise ImportFormatError("The archive holds two records with the same id.")
        ids.add(row["id"])
        if memory is not None and memory.kind == Kind.LESSON:
            lessons.add(memory.id)
    found = (_stream(archive, "memories.jsonl", entries["memories.jsonl"], declared[0], note),
             _stream(archive, "history.jsonl", entries["history.jsonl"], declared[1], _history))
    if found != declared:
        raise ImportFormatError("The archive's record counts do not match its manifest.")
    settings = _json(small["settings.json"], "settings.json")
    if not isinstance(settings, dict):
        raise ImportFormatError("settings.json in the archive should be an object.")
    vectors = _lesson_vectors(small["lesson_vectors.json"], dim, lessons)
    ids.clear()

    # second pass: the archive is sound; build the records
    memories, history = [], []
    rejected, examples = Counter(), {}

    def keep(row: dict, n: int) -> None:
        memory, reason = _memory(row, n)
        if memory is not None:
            memories.append(memory)
        else:
            rejected[reason] += 1
            shown = examples.setdefault(reason, [])
            if len(shown) < 3:
                shown.append(f"memories.jsonl line {n}")
    _stream(archive, "memories.jsonl", entries["memories.jsonl"], declared[0], keep)
    _stream(archive, "history.jsonl", entries["history.jsonl"], declared[1],
            lambda row, n: history.append(_history(row, n)))
    return ArchiveContent(manifest, memories, history, settings, vectors, rejected, examples)


# ---------------------------------------------------------------------------- parts
def _entry(archive: zipfile.ZipFile, name: str, entry) -> dict:
    """The manifest's entry for a part, checked against the part's own zip header."""
    changed = (f"The archive's {name} does not match its checksum in the manifest: the file was changed or damaged "
               "after it was written. Nothing was imported.")
    if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) or not _count(entry.get("bytes")):
        raise ImportFormatError(changed)
    limit = SMALL_PARTS.get(name, MAX_FILE_BYTES)
    if entry["bytes"] > limit:
        raise ImportFormatError(f"The archive's {name} is {entry['bytes']:,} bytes, more than Mnemo imports "
                                f"({limit:,}).")
    try:
        size = archive.getinfo(name).file_size
    except KeyError:
        raise ImportFormatError(f"The archive has no {name}.") from None
    if size != entry["bytes"]:
        raise ImportFormatError(changed)
    return {**entry, "changed": changed}


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _counts(counts) -> tuple[int, int]:
    if not isinstance(counts, dict) or not _count(counts.get("memories")) or not _count(counts.get("history")):
        raise ImportFormatError("The archive's record counts do not match its manifest.")
    if counts["memories"] > MAX_RECORDS or counts["history"] > MAX_HISTORY:
        raise ImportFormatError(f"The archive holds {counts['memories']:,} records and {counts['history']:,} history "
                                f"entries; Mnemo imports at most {MAX_RECORDS:,} and {MAX_HISTORY:,} at once.")
    return counts["memories"], counts["history"]


def _small_part(archive: zipfile.ZipFile, name: str, entry: dict) -> bytes:
    raw = read_member(archive, name, SMALL_PARTS[name])
    if hashlib.sha256(raw).hexdigest() != entry["sha256"] or len(raw) != entry["bytes"]:
        raise ImportFormatError(entry["changed"])
    return raw


def _stream(archive: zipfile.ZipFile, name: str, entry: dict, declared: int,
            each: Callable[[dict, int], object]) -> int:
    """Hand each row of a .jsonl part to `each(row, line number)`, a line at a time, checking the
    part's checksum as it goes; returns the number of rows. A changed part is named as changed
    even when one of its rows was found wrong before its end."""
    digest, size, rows, problem = hashlib.sha256(), 0, 0, None
    with open_member(archive, name, entry["bytes"]) as stream:
        for n, raw in byte_lines(stream, f"{name} in the archive", MAX_LINE_CHARS):
            digest.update(raw)
            size += len(raw)
            if problem is not None or not raw.strip():
                continue
            rows += 1
            try:
                if rows > declared:
                    raise ImportFormatError("The archive's record counts do not match its manifest.")
                each(_row(raw, name, n), n)
            except ImportFormatError as exc:
                problem = exc  # the rest is only hashed: a changed part says so first
    if size != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
        raise ImportFormatError(entry["changed"])
    if problem is not None:
        raise problem
    return rows


def _row(raw: bytes, name: str, n: int) -> dict:
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportFormatError(f"{name} line {n} in the archive is not UTF-8 text.") from None
    except RecursionError:
        raise ImportFormatError(f"{name} line {n} in the archive nests too deeply to be Mnemo's.") from None
    except ValueError as exc:
        raise ImportFormatError(f"{name} line {n} in the archive is not valid JSON ({exc}).") from None
    if not isinstance(row, dict):
        raise ImportFormatError(f"{name} line {n} in the archive should be an object.")
    return row


def _json(raw: bytes, name: str):
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ImportFormatError(f"{name} in the archive nests too deeply to be Mnemo's.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFormatError(f"{name} in the archive is not valid JSON ({exc}).") from None


# ---------------------------------------------------------------------------- records
def _memory(row: dict, n: int) -> tuple[Memory | None, str]:
    """The record, its texts cleaned of control characters; or None and why it is left out."""
    where = f"memories.jsonl line {n}"
    row = dict(row)
    expected = set(SCALAR_FIELDS)
    for name, default in ADDED_IN_2.items():  # an archive of format 1
        row.setdefault(name, default)
    if set(row) != expected:
        missing, extra = expected - set(row), set(row) - expected
        raise ImportFormatError(f"{where}: " + ("missing " + ", ".join(sorted(missing)) if missing else
                                               "unknown fields " + ", ".join(sorted(_shown(x) for x in extra))) + ".")
    for name in TEXTS:
        if not isinstance(row[name], str):
            raise ImportFormatError(f"{where}: '{name}' should be text, not {_shown(row[name])}.")
    for name in FLOATS:
        value = row[name]
        if value is None and name in OPTIONAL:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e11:
            raise ImportFormatError(f"{where}: '{name}' should be a number, not {_shown(value)}.")
        row[name] = float(value)
    if isinstance(row["recall_count"], bool) or not isinstance(row["recall_count"], int) or row["recall_count"] < 0:
        raise ImportFormatError(f"{where}: 'recall_count' should be a whole number ≥ 0.")
    if row["kind"] not in {str(k) for k in Kind}:
        raise ImportFormatError(f"{where}: unknown kind '{_shown(row['kind'])}'.")
    if row["state"] not in {str(s) for s in State}:
        raise ImportFormatError(f"{where}: unknown state '{_shown(row['state'])}'.")
    links = row["links"]
    if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
        raise ImportFormatError(f"{where}: 'links' should be a list of ids.")
    if not _is_id(row["id"]) or not all(_is_id(x) for x in links):
        raise ImportFormatError(f"{where}: a record needs an id (and links) of printable characters, at most 200.")
    row["links"] = tuple(links)
    original = row["text"]
    for name in TEXTS - IDS:
        row[name] = clean(row[name])
    if row["text"] != original and row["content_hash"] == content_hash(original):
        row["content_hash"] = content_hash(row["text"])  # the hash of the text as it is kept
    if not row["text"].strip() or not has_words(row["text"]):
        return None, EMPTY
    return Memory(**row), ""


def _is_id(value: str) -> bool:
    return 0 < len(value) <= 200 and value.isprintable() and value.strip() == value


def _history(row: dict, n: int) -> HistoryEntry:
    where = f"history.jsonl line {n}"
    if set(row) != set(HISTORY_FIELDS):
        raise ImportFormatError(f"{where}: should have exactly the fields {', '.join(HISTORY_FIELDS)}.")
    row = dict(row)
    for name, kind in HISTORY_FIELDS.items():
        value = row[name]
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool) and value == value) \
            if kind is float else isinstance(value, str)
        if not ok:
            raise ImportFormatError(f"{where}: '{name}' should be {'a number' if kind is float else 'text'}.")
        if kind is str:
            row[name] = clean(value)  # shown by `mnemo history` and the memory's detail
    row["at"] = float(row["at"])
    return HistoryEntry(**row)


def _lesson_vectors(raw: bytes, dim: int, lesson_ids: set[str]) -> dict[str, np.ndarray]:
    found = _json(raw, "lesson_vectors.json")
    if not isinstance(found, dict):
        raise ImportFormatError("lesson_vectors.json in the archive should be an object.")
    vectors = {}
    for key, value in found.items():
        if key not in lesson_ids:
            continue
        try:
            vector = np.frombuffer(base64.b64decode(value, validate=True), dtype="<f4").astype(np.float32)
        except (ValueError, TypeError):
            raise ImportFormatError(f"lesson_vectors.json: the key of {_shown(key)} is not valid.") from None
        if vector.shape != (dim,) or not np.all(np.isfinite(vector)):
            raise ImportFormatError(f"lesson_vectors.json: the key of {_shown(key)} is not a {dim}-number vector.")
        if abs(float(np.linalg.norm(vector)) - 1.0) > UNIT:
            raise ImportFormatError(f"lesson_vectors.json: the key of {_shown(key)} is not a unit vector (its length "
                                    f"is {float(np.linalg.norm(vector)):.3g}); it was not written by Mnemo. Nothing "
                                    "was imported.")
        vectors[key] = vector
    return vectors


def _shown(value) -> str:
    """A value from the archive, for a sentence: no control characters, not too long."""
    text = clean(value if isinstance(value, str) else repr(value))
    return text if len(text) <= 60 else text[:59] + "…"
