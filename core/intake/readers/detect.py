"""Finding out what a file is, and reading it with the right importer."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Callable

from ...bounded import read_member
from . import chatgpt, claude, jsonl, locomo, memorybank, transcript
from .model import MAX_FILE_BYTES, ImportFormatError, ParsedImport

FORMATS = ("mnemo", "chatgpt", "claude", "jsonl", "transcript", "locomo", "memorybank")
JSON_FORMATS = {"chatgpt": chatgpt, "claude": claude, "locomo": locomo, "memorybank": memorybank}


def read_import(path: Path, format: str | None = None, passphrase: Callable | None = None,
                dim: int = 384) -> ParsedImport:
    """Read and validate the whole file; nothing is written. `passphrase()` is asked only for
    an archive encrypted with one. Raises ImportFormatError (or DecryptError) with a reason."""
    from ...transfer import crypto as archive_crypto

    path = Path(path)
    if format is not None and format not in FORMATS:
        raise ImportFormatError(f"'{format}' is not a format Mnemo imports; use one of {', '.join(FORMATS)}.")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportFormatError(f"{path} is not a file.")
        if size > MAX_FILE_BYTES:
            raise ImportFormatError(f"{path.name} is {size:,} bytes; Mnemo imports files of up to {MAX_FILE_BYTES:,}.")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFormatError(f"There is no file {path}.") from None
    except OSError as exc:
        raise ImportFormatError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    if not raw.strip():
        raise ImportFormatError(f"{path.name} is empty: there is nothing to import.")
    if archive_crypto.is_encrypted(raw):
        if format not in (None, "mnemo"):
            raise ImportFormatError(f"{path.name} is an encrypted Mnemo archive, not {format}.")
        raw = archive_crypto.decrypt(raw, passphrase)
        if not raw.startswith(b"PK"):
            raise ImportFormatError(f"{path.name} decrypts, but what is inside is not a Mnemo archive.")
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        return _zip(raw, path.name, format, dim)
    if format == "mnemo":
        raise ImportFormatError(f"{path.name} is not a Mnemo archive (it is not a zip file).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError(f"{path.name} is neither text (UTF-8), nor a zip, nor a Mnemo archive: Mnemo "
                                "cannot import it.") from None
    if "\x00" in text:
        raise ImportFormatError(f"{path.name} holds binary data, not a conversation Mnemo can import.")
    return _text(text, path, format)


def _zip(raw: bytes, name: str, format: str | None, dim: int) -> ParsedImport:
    from ...transfer import archive as mnemo_archive

    try:
        bundle = zipfile.ZipFile(io.BytesIO(raw))
        names = bundle.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFormatError(f"{name} is a damaged or truncated zip file ({exc}).") from None
    if len(names) > 100_000:
        raise ImportFormatError(f"{name} holds {len(names):,} files; it is not an export Mnemo knows.")
    with bundle:
        if mnemo_archive.is_archive(bundle) and format in (None, "mnemo"):
            return ParsedImport("mnemo", archive=mnemo_archive.read(bundle, dim))
        if format == "mnemo":
            raise ImportFormatError(f"{name} is a zip file but not a Mnemo archive (it has no manifest.json).")
        inner = sorted((n for n in names if n.rsplit("/", 1)[-1] == "conversations.json"), key=len)
        if not inner:
            raise ImportFormatError(f"{name} holds neither a Mnemo archive nor a conversations.json "
                                    "(ChatGPT or Claude export).")
        data = _json(read_member(bundle, inner[0]), inner[0])
    return _json_format(data, format, f"{name}/{inner[0]}")


def _text(text: str, path: Path, format: str | None) -> ParsedImport:
    stem = path.stem
    if format == "jsonl" or (format is None and path.suffix.lower() == ".jsonl"):
        return jsonl.parse(text, stem)
    if format == "transcript":
        return transcript.parse(text, stem)
    stripped = text.lstrip()
    if format in JSON_FORMATS or (format is None and stripped[:1] in "[{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            if format is None and jsonl.looks_like(text):
                return jsonl.parse(text, stem)
            if format is None and path.suffix.lower() not in (".json", ""):
                return transcript.parse(text, stem)
            raise ImportFormatError(f"{path.name} is not valid JSON ({exc}).") from None
        if format is None and isinstance(data, dict) and "role" in data and "content" in data:
            return jsonl.parse(text, stem)  # a JSON Lines file with a single line
        return _json_format(data, format, path.name)
    return transcript.parse(text, stem)


def _json(raw: bytes, name: str):
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFormatError(f"{name} is not valid JSON ({exc}).") from None


def _json_format(data, format: str | None, name: str) -> ParsedImport:
    if format is not None:
        return JSON_FORMATS[format].parse(data)
    for module in (chatgpt, claude, locomo, memorybank):
        if module.looks_like(data):
            return module.parse(data)
    if isinstance(data, list) and not data:
        raise ImportFormatError(f"{name} holds an empty list: there is nothing to import.")
    raise ImportFormatError(f"{name} is JSON, but not a ChatGPT or Claude export, LoCoMo or MemoryBank data; "
                            "choose the format with --format if it is one of them.")
