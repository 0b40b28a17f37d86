"""Finding out what a file is, and reading it with the right importer."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Callable

from ...bounded import StreamedArray, load_json, open_member
from . import chatgpt, claude, jsonl, locomo, memorybank, transcript
from .model import MAX_FILE_BYTES, ImportFormatError, ParsedImport

FORMATS = ("mnemo", "chatgpt", "claude", "jsonl", "transcript", "locomo", "memorybank")
JSON_FORMATS = {"chatgpt": chatgpt, "claude": claude, "locomo": locomo, "memorybank": memorybank}
HEAD = 4096
MAX_TEXT_BYTES = 256 << 20  # transcripts and JSON Lines are read whole


def read_import(path: Path, format: str | None = None, passphrase: Callable | None = None,
                dim: int = 384) -> ParsedImport:
    """Read and validate the whole file; nothing is written. `passphrase()` is asked only for
    an archive encrypted with one. Raises ImportFormatError (or DecryptError) with a reason.
    Zips and JSON are streamed within fixed limits (core/bounded.py); text formats are read whole."""
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
        with path.open("rb") as handle:
            head = handle.read(HEAD)
            while head and not head.strip() and len(head) < size:
                more = handle.read(HEAD)
                if not more:
                    break
                head = head[-16:] + more
    except FileNotFoundError:
        raise ImportFormatError(f"There is no file {path}.") from None
    except OSError as exc:
        raise ImportFormatError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    if not head.strip():
        raise ImportFormatError(f"{path.name} is empty: there is nothing to import.")
    if archive_crypto.is_encrypted(head):
        if format not in (None, "mnemo"):
            raise ImportFormatError(f"{path.name} is an encrypted Mnemo archive, not {format}.")
        raw = archive_crypto.decrypt(_read(path), passphrase)
        if not raw.startswith(b"PK"):
            raise ImportFormatError(f"{path.name} decrypts, but what is inside is not a Mnemo archive.")
        return _zip(io.BytesIO(raw), path.name, format, dim)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip(path, path.name, format, dim)
    if format == "mnemo":
        raise ImportFormatError(f"{path.name} is not a Mnemo archive (it is not a zip file).")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # (not merely a character cut off at the end of the sample)
            raise ImportFormatError(f"{path.name} is neither text (UTF-8), nor a zip, nor a Mnemo archive: Mnemo "
                                    "cannot import it.") from None
    if b"\x00" in head:
        raise ImportFormatError(f"{path.name} holds binary data, not a conversation Mnemo can import.")
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    wants_json = format in JSON_FORMATS or (format is None and first in (b"[", b"{")
                                            and path.suffix.lower() != ".jsonl")
    if wants_json:
        try:
            with path.open("rb") as handle:  # the file stays open while the readers stream it
                data = load_json(handle, path.name)
                if format is None and isinstance(data, dict) and "role" in data and "content" in data:
                    data = None  # a JSON Lines file with a single line
                else:
                    return _json_format(data, format, path.name)
        except ImportFormatError as exc:
            if format is not None or "not valid JSON" not in str(exc):
                raise
            text = _text_of(path)
            if jsonl.looks_like(text):
                return jsonl.parse(text, path.stem)
            if path.suffix.lower() not in (".json", ""):
                return transcript.parse(text, path.stem)
            raise
        return jsonl.parse(_text_of(path), path.stem)
    text = _text_of(path)
    if format == "transcript" or (format is None and path.suffix.lower() != ".jsonl" and first not in (b"{",)):
        return transcript.parse(text, path.stem)
    return jsonl.parse(text, path.stem)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"{path} cannot be read ({exc.strerror or exc}).") from None


def _text_of(path: Path) -> str:
    """A text format's whole file (transcripts, JSON Lines), at most MAX_TEXT_BYTES."""
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise ImportFormatError(f"{path.name} is {path.stat().st_size:,} bytes; Mnemo reads text files (transcripts, "
                                f"JSON Lines) of up to {MAX_TEXT_BYTES:,} bytes. Split it and import the parts.")
    try:
        text = _read(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError(f"{path.name} is neither text (UTF-8), nor a zip, nor a Mnemo archive: Mnemo "
                                "cannot import it.") from None
    if "\x00" in text:
        raise ImportFormatError(f"{path.name} holds binary data, not a conversation Mnemo can import.")
    return text


def _zip(source, name: str, format: str | None, dim: int) -> ParsedImport:
    from ...transfer import archive as mnemo_archive

    try:
        bundle = zipfile.ZipFile(source)
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
        with open_member(bundle, inner[0]) as stream:
            data = load_json(stream, inner[0])
            return _json_format(data, format, f"{name}/{inner[0]}")


def _json_format(data, format: str | None, name: str) -> ParsedImport:
    if format is not None:
        return JSON_FORMATS[format].parse(data)
    probe = [data.first] if isinstance(data, StreamedArray) and data else data
    for module in (chatgpt, claude, locomo, memorybank):
        if module.looks_like(probe):
            return module.parse(data)
    if isinstance(data, (list, StreamedArray)) and not data:
        raise ImportFormatError(f"{name} holds an empty list: there is nothing to import.")
    raise ImportFormatError(f"{name} is JSON, but not a ChatGPT or Claude export, LoCoMo or MemoryBank data; "
                            "choose the format with --format if it is one of them.")
