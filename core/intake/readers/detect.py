"""Finding out what a file is, and reading it with the right importer."""
from __future__ import annotations

import fnmatch
import io
import zipfile
from pathlib import Path
from typing import Callable

from ...bounded import MAX_LINE_CHARS, StreamedArray, load_json, open_member, text_lines
from . import chatgpt, claude, jsonl, locomo, markdown_notes, memorybank, text_notes, transcript
from . import aistudio, gemini, grok, openwebui  # (the assistants' exports)
from . import deepseek  # (DeepSeek's export: a tree like ChatGPT's, told apart by its 'fragments')
from . import sillytavern, telegram, whatsapp  # (chat apps: SillyTavern, Telegram Desktop, WhatsApp)
from .model import MAX_FILE_BYTES, ImportFormatError, ParsedImport

# The readers, by what they read; each module has NAME (its --format) and parse(...).
# - JSON exports: looks_like(probe) on the document (or a list's first item); MEMBERS, when
#   present, are the file names (fnmatch on the member's path) it reads inside a zip.
# - Line-based exports (chat apps): looks_like(lines) on the first lines, parse(lines, name),
#   where `lines()` gives (number, text, cut) a line at a time; tried before JSON Lines and
#   transcripts, which take what no other reader does.
# - Folders (notes): looks_like(folder), parse(folder).
JSON_READERS = [chatgpt, claude, locomo, memorybank, grok, openwebui, gemini, aistudio, deepseek, telegram]
LINE_READERS: list = [sillytavern, whatsapp, whatsapp.DAY_FIRST, whatsapp.MONTH_FIRST]
FOLDER_READERS: list = [markdown_notes, text_notes]
JSON_FORMATS = {m.NAME: m for m in JSON_READERS}
LINE_FORMATS = {m.NAME: m for m in LINE_READERS}
FOLDER_FORMATS = {m.NAME: m for m in FOLDER_READERS}
FORMATS = ("mnemo", *JSON_FORMATS, *LINE_FORMATS, "jsonl", "transcript", *FOLDER_FORMATS)
HEAD = 4096


def read_import(path: Path, format: str | None = None, passphrase: Callable | None = None,
                dim: int = 384) -> ParsedImport:
    """Read and validate the whole file; nothing is written. `passphrase()` is asked only for
    an archive encrypted with one. Raises ImportFormatError (or DecryptError) with a reason,
    also for a file in which every record was bad (nothing of it could be imported).
    Zips and JSON are streamed within fixed limits (core/bounded.py), text formats a line at a time."""
    parsed = _read_import(path, format, passphrase, dim)
    if parsed.archive is None and not parsed.turns and not parsed.notes and parsed.rejected.total:
        rejected = parsed.rejected
        why = "; ".join(f"{count:,} × {reason}" + (f" (e.g. {rejected.examples[reason][0]})"
                                                    if rejected.examples.get(reason) else "")
                        for reason, count in rejected.reasons.most_common(3))
        raise ImportFormatError(f"Nothing in {Path(path).name} could be imported: {why}.")
    return parsed


def _read_import(path: Path, format: str | None, passphrase: Callable | None, dim: int) -> ParsedImport:
    from ...transfer import crypto as archive_crypto

    path = Path(path)
    if format is not None and format not in FORMATS:
        raise ImportFormatError(f"'{format}' is not a format Mnemo imports; use one of {', '.join(FORMATS)}.")
    if path.is_dir():
        return _folder(path, format)
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
        try:
            plain = archive_crypto.decrypt_file(path, passphrase)  # a chunk at a time, never the file whole
        except OSError as exc:
            raise ImportFormatError(f"{path} cannot be read ({exc.strerror or exc}).") from None
        with plain:
            if plain.read(2) != b"PK":
                raise ImportFormatError(f"{path.name} decrypts, but what is inside is not a Mnemo archive.")
            plain.seek(0)
            return _zip(plain, path.name, format, dim)
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
    if wants_json and not format and (chat := _chat_lines(head, size)) is not None:
        return chat.parse(lambda: _lines(path), path.stem)  # ("[31.12.23, 21:05:09] Ana: ..." is not JSON)
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
            if jsonl.looks_like(_lines(path)):
                return jsonl.parse(_lines(path), path.stem)
            if (chat := next((r for r in LINE_READERS if r.looks_like(_lines(path))), None)) is not None:
                return chat.parse(lambda: _lines(path), path.stem)  # (SillyTavern's lines in a .json or .txt)
            if path.suffix.lower() not in (".json", ""):
                return transcript.parse(lambda: _lines(path), path.stem)
            raise
        return jsonl.parse(_lines(path), path.stem)
    for reader in LINE_READERS:
        if format == reader.NAME or (format is None and reader.looks_like(_lines(path))):
            return reader.parse(lambda: _lines(path), path.stem)
    if format == "transcript" or (format is None and path.suffix.lower() != ".jsonl" and first not in (b"{",)):
        return transcript.parse(lambda: _lines(path), path.stem)
    return jsonl.parse(_lines(path), path.stem)


def _folder(path: Path, format: str | None) -> ParsedImport:
    for reader in FOLDER_READERS:
        if format == reader.NAME or (format is None and reader.looks_like(path)):
            return reader.parse(path)
    raise ImportFormatError(f"{path} is a folder, and Mnemo found no notes in it it can import.")


def _lines(path: Path):
    """A text format's lines (transcripts, JSON Lines), read one at a time: never the whole file."""
    return text_lines(path, path.name)


def _zip(source, name: str, format: str | None, dim: int) -> ParsedImport:
    from ...transfer import archive as mnemo_archive
    from ...transfer import archive_read

    try:
        bundle = zipfile.ZipFile(source)
        names = bundle.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFormatError(f"{name} is a damaged or truncated zip file ({exc}).") from None
    if len(names) > 100_000:
        raise ImportFormatError(f"{name} holds {len(names):,} files; it is not an export Mnemo knows.")
    with bundle:
        if mnemo_archive.is_archive(bundle) and format in (None, "mnemo"):
            content = archive_read.read(bundle, dim)
            parsed = ParsedImport("mnemo", archive=content)
            for reason, count in content.rejected.items():
                for where in content.rejected_examples.get(reason, []):
                    parsed.rejected.add(reason, where)
                parsed.rejected.reasons[reason] += count - len(content.rejected_examples.get(reason, []))
            return parsed
        if format == "mnemo":
            raise ImportFormatError(f"{name} is a zip file but not a Mnemo archive (it has no manifest.json).")
        return _zip_chat_text(bundle, names, name, format) or _zip_members(bundle, names, name, format)


def _chat_lines(head: bytes, size: int):
    """The line reader that knows the file by its first lines (those whole in `head`), if any: a
    chat app's text can start like JSON. Never reads further (a JSON export may be one huge line)."""
    lines = head.decode("utf-8-sig", "ignore").splitlines()
    start = [(n, line, False) for n, line in enumerate(lines if len(head) >= size else lines[:-1], 1)]
    return next((r for r in LINE_READERS if start and r.looks_like(start)), None)


def _zip_chat_text(bundle: zipfile.ZipFile, names: list[str], name: str, format: str | None) -> ParsedImport | None:
    """A chat app's zip holding the chat as text (WhatsApp's "WhatsApp Chat with Ana.zip": the
    .txt and the media): the members a line reader knows by name (its MEMBERS), read a line at a
    time. A member with a generic name ("_chat.txt") is the chat the zip is named after."""
    readers = [r for r in LINE_READERS if getattr(r, "MEMBERS", ()) and format in (None, r.NAME)]
    result: ParsedImport | None = None
    for member in sorted(names, key=len):
        base = member.rsplit("/", 1)[-1]
        reader = next((r for r in readers if any(fnmatch.fnmatch(base, p) for p in r.MEMBERS)), None)
        if reader is None or (format is None and not reader.looks_like(_member_lines(bundle, member))):
            continue
        chat = Path(name).stem if base.startswith("_") else Path(base).stem
        part = reader.parse(lambda m=member: _member_lines(bundle, m), chat)
        if result is None:
            result = part
        else:
            result.merge(part)
    if result is None and format in LINE_FORMATS:
        raise ImportFormatError(f"{name} holds no chat Mnemo reads as {format} (it looks for "
                                f"{', '.join(getattr(LINE_FORMATS[format], 'MEMBERS', ()))}).")
    return result


def _member_lines(bundle: zipfile.ZipFile, member: str, max_line: int = MAX_LINE_CHARS):
    """A zip member's text lines as text_lines gives a file's: (number, text, cut), one at a time."""
    with open_member(bundle, member) as raw:
        handle = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline=None)
        n = 0
        while True:
            try:
                line, cut = handle.readline(max_line), False
                if len(line) == max_line and not line.endswith("\n"):
                    while rest := handle.readline(max_line):  # the rest of an over-long line, unkept
                        cut = cut or rest != "\n"
                        if rest.endswith("\n"):
                            break
            except UnicodeDecodeError:
                raise ImportFormatError(f"{member} in the zip is not text (UTF-8).") from None
            if not line:
                return
            n += 1
            if "\x00" in line:
                raise ImportFormatError(f"{member} in the zip holds binary data, not a conversation.")
            yield n, line.rstrip("\n"), cut


def _zip_members(bundle: zipfile.ZipFile, names: list[str], name: str, format: str | None) -> ParsedImport:
    """An export's zip ("download your data"): every member a reader knows by its name, read
    and put together (a Claude export's conversations and its saved memories)."""
    readers = [format] if format in JSON_FORMATS else list(JSON_FORMATS)
    wanted = [(n, JSON_FORMATS[r]) for n in sorted(names, key=len) for r in readers
              if any(fnmatch.fnmatch(n.rsplit("/", 1)[-1], p) or fnmatch.fnmatch(n, p)
                     for p in getattr(JSON_FORMATS[r], "MEMBERS", ()))]
    if not wanted:
        known = sorted({p for m in JSON_READERS for p in getattr(m, "MEMBERS", ())})
        raise ImportFormatError(f"{name} holds neither a Mnemo archive nor an export Mnemo knows (it looks for "
                                f"{', '.join(known)}).")
    result: ParsedImport | None = None
    for member, reader in wanted:
        with open_member(bundle, member) as stream:
            data = load_json(stream, member)
            probe = [data.first] if isinstance(data, StreamedArray) and data else data
            if format is None and not reader.looks_like(probe):
                continue  # (a file of that name that is something else)
            part = reader.parse(data)
        if result is None:
            result = part
        else:
            result.merge(part)
    if result is None:
        raise ImportFormatError(f"{name} holds {', '.join(m for m, _ in wanted)}, but not in a shape Mnemo knows.")
    return result


def _json_format(data, format: str | None, name: str) -> ParsedImport:
    if format is not None:
        return JSON_FORMATS[format].parse(data)
    probe = [data.first] if isinstance(data, StreamedArray) and data else data
    for module in JSON_READERS:
        if module.looks_like(probe):
            return module.parse(data)
    if isinstance(data, (list, StreamedArray)) and not data:
        raise ImportFormatError(f"{name} holds an empty list: there is nothing to import.")
    raise ImportFormatError(f"{name} is JSON, but not a ChatGPT or Claude export, nor any other export Mnemo "
                            f"knows ({', '.join(JSON_FORMATS)}); choose the format with --format if it is one of them.")
