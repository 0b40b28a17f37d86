"""Bounded input: what Mnemo reads from a file it did not write is read within fixed limits, so
a hostile or broken file gets a sentence instead of exhausting memory.

- Zip members are streamed, never trusted: a member that decompresses to more than its header
  says, or far more than its compressed size (a zip bomb), is refused as soon as that shows.
- JSON is parsed as a stream of events (ijson) by a small builder that limits the nesting
  depth, the number of values and the bytes of any one top-level item; a top-level array is
  handed over one item at a time (`StreamedArray`), so a large export never sits in memory
  whole, as text and as objects at once.
- Text files (transcripts, JSON Lines) and an archive's .jsonl parts are read a line at a time
  (`text_lines`, `byte_lines`), each line at most MAX_LINE_CHARS long."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import ImportFormatError

MAX_FILE_BYTES = 1 << 30  # whole files larger than this are refused before they are read
MAX_MEMBER_BYTES = 1 << 30  # a zip member, decompressed
MAX_RATIO = 100  # decompressed / compressed, for members of more than RATIO_FROM bytes
RATIO_FROM = 16 << 20
MAX_DEPTH = 64  # exports nest 10 deep at most
MAX_VALUES = 60_000_000  # JSON values in one file
# An item built whole costs about 4.5 times its bytes as Python objects: these two keep it within
# ~150 MB (the whole import stays within ~300 MB above the app's own memory; tests/app/test_hostile_files.py).
MAX_ITEM_BYTES = 32 << 20  # one conversation (one item of a top-level array)
MAX_DOCUMENT_BYTES = 32 << 20  # JSON that is not an array is built whole: this much at most
MAX_LINE_CHARS = 1 << 20  # one line of a text file (a message holds at most 20,000 characters)
CHUNK = 1 << 16


class _Capped(io.RawIOBase):
    """A reader that refuses to give more than `limit` bytes (raising `error`)."""

    def __init__(self, raw: BinaryIO, limit: int, error: str):
        self._raw, self._limit, self._error = raw, limit, error
        self.position = 0
        self.mark = 0  # where the current item began
        self.item_limit: int | None = None
        self.item_error = ""  # the sentence when the item grows past item_limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(min(len(buffer), CHUNK))
        self.position += len(data)
        if self.position > self._limit:
            raise ImportFormatError(self._error)
        if self.item_limit is not None and self.position - self.mark > self.item_limit:
            raise ImportFormatError(self.item_error or f"One item of the file is larger than {self.item_limit:,} "
                                    "bytes; Mnemo does not import it.")
        buffer[:len(data)] = data
        return len(data)


def open_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_MEMBER_BYTES) -> BinaryIO:
    """A stream of the member's decompressed bytes, refused early when it is a zip bomb or
    holds more than its header declares."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportFormatError(f"The archive has no {name}.") from None
    if info.file_size > limit:
        raise ImportFormatError(f"{name} in the archive says it is {info.file_size:,} bytes, more than Mnemo imports "
                                f"({limit:,}).")
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ImportFormatError(f"{name} in the archive would unpack from {info.compress_size:,} to "
                                f"{info.file_size:,} bytes: that is a zip bomb, not an export. Nothing was imported.")
    try:
        handle = archive.open(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ImportFormatError(f"{name} in the archive is damaged ({exc}).") from None
    capped = _Capped(_Guarded(handle, name), min(limit, info.file_size),
                     f"{name} in the archive holds more than the {info.file_size:,} bytes it declares; it is damaged "
                     "or hostile. Nothing was imported.")
    return io.BufferedReader(capped, CHUNK)


class _Guarded:
    """Zip read errors (a bad CRC, a truncated member) as sentences."""

    def __init__(self, handle, name: str):
        self._handle, self._name = handle, name

    def read(self, n: int) -> bytes:
        try:
            return self._handle.read(n)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise ImportFormatError(f"{self._name} in the archive is damaged ({exc}).") from None


def read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole member (for parts that are needed whole), within the same limits."""
    with open_member(archive, name, limit) as stream:
        return stream.read()


# ---------------------------------------------------------------------------- JSON
class StreamedArray:
    """The items of a top-level JSON array, parsed one at a time as they are iterated (once)."""

    def __init__(self, first, rest: Iterator, empty: bool = False):
        self.first, self._rest, self._empty = first, rest, empty
        self._used = False

    def __bool__(self) -> bool:
        return not self._empty

    def __iter__(self):
        if self._used:
            raise RuntimeError("a streamed array can be read once")
        self._used = True
        if self._empty:
            return iter(())
        return _chain(self.first, self._rest)


def _chain(first, rest):
    yield first
    yield from rest


def load_json(stream: BinaryIO, name: str):
    """The JSON document in `stream`: a StreamedArray when it is an array, else the value (built
    whole, at most MAX_DOCUMENT_BYTES). Raises ImportFormatError with a sentence."""
    capped = _Capped(stream, MAX_FILE_BYTES, f"{name} is larger than Mnemo imports ({MAX_FILE_BYTES:,} bytes).")
    reader = io.BufferedReader(capped, CHUNK)
    if reader.peek(3)[:3] == b"\xef\xbb\xbf":
        reader.read(3)
    events = _events(reader, name)
    items = _Builder(events, capped, name)
    # what is not an array is built whole: refused as soon as it grows past MAX_DOCUMENT_BYTES
    capped.item_limit = MAX_DOCUMENT_BYTES
    capped.item_error = (f"{name} is a single JSON object of more than {MAX_DOCUMENT_BYTES:,} bytes; Mnemo imports "
                         "objects that large only as a list.")
    top = items.top()
    if top is not _ARRAY:
        return top
    capped.item_limit = MAX_ITEM_BYTES
    capped.item_error = ""
    rest = items.array_items()
    try:
        first = next(rest)
    except StopIteration:
        return StreamedArray(None, iter(()), empty=True)
    return StreamedArray(first, rest)


def parse_json_bytes(raw: bytes, name: str):
    """`load_json` for bytes already in memory; arrays come back as lists."""
    value = load_json(io.BytesIO(raw), name)
    return list(value) if isinstance(value, StreamedArray) else value


_ARRAY = object()


def _events(reader, name: str):
    import ijson

    try:
        yield from ijson.basic_parse(reader, use_float=True)
    except ImportFormatError:
        raise
    except ijson.JSONError as exc:
        raise ImportFormatError(f"{name} is not valid JSON ({_clean(exc)}).") from None
    except UnicodeDecodeError:
        raise ImportFormatError(f"{name} is not valid JSON (it is not UTF-8 text).") from None


def _clean(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:120] + "…") if len(text) > 120 else text or "it ends too early"


class _Builder:
    """Values from ijson's events, with the depth and the number of values limited."""

    def __init__(self, events, capped: _Capped, name: str):
        self._events, self._capped, self._name = events, capped, name
        self._values = 0

    def _next(self):
        try:
            event = next(self._events)
        except StopIteration:
            raise ImportFormatError(f"{self._name} is not valid JSON (it ends too early).") from None
        self._values += 1
        if self._values > MAX_VALUES:
            raise ImportFormatError(f"{self._name} holds more than {MAX_VALUES:,} values; split it and import the parts.")
        return event

    def top(self):
        event, value = self._next()
        if event == "start_array":
            return _ARRAY
        result = self._value(event, value, 1)
        for _ in self._events:
            raise ImportFormatError(f"{self._name} is not valid JSON (something follows its end).")
        return result

    def array_items(self):
        while True:
            self._capped.mark = self._capped.position
            event, value = self._next()
            if event == "end_array":
                for _ in self._events:
                    raise ImportFormatError(f"{self._name} is not valid JSON (something follows its end).")
                return
            yield self._value(event, value, 2)

    def _value(self, event, value, depth: int):
        if depth > MAX_DEPTH:
            raise ImportFormatError(f"{self._name} nests more than {MAX_DEPTH} levels deep; it is not an export "
                                    "Mnemo knows.")
        if event == "start_map":
            result = {}
            while True:
                event, key = self._next()
                if event == "end_map":
                    return result
                event, value = self._next()
                result[key] = self._value(event, value, depth + 1)
        if event == "start_array":
            result = []
            while True:
                event, value = self._next()
                if event == "end_array":
                    return result
                result.append(self._value(event, value, depth + 1))
        return value


# ---------------------------------------------------------------------------- lines
def text_lines(path: Path, name: str, max_line: int = MAX_LINE_CHARS) -> Iterator[tuple[int, str, bool]]:
    """The lines of a UTF-8 text file, one at a time: (number, text without its line end, cut).
    A line longer than `max_line` characters comes cut to that length (cut True), the rest of it
    skipped unread into memory. Not UTF-8, NUL characters, or a read error: ImportFormatError."""
    try:
        handle = open(path, encoding="utf-8-sig", errors="strict", newline=None)
    except OSError as exc:
        raise ImportFormatError(f"{name} cannot be read ({exc.strerror or exc}).") from None
    with handle:
        n = 0
        while True:
            try:
                line = handle.readline(max_line)
                cut = False
                if len(line) == max_line and not line.endswith("\n"):
                    while rest := handle.readline(max_line):  # the rest of an over-long line, unkept
                        cut = cut or rest != "\n"
                        if rest.endswith("\n"):
                            break
            except UnicodeDecodeError:
                raise ImportFormatError(f"{name} is neither text (UTF-8), nor a zip, nor a Mnemo archive: Mnemo "
                                        "cannot import it.") from None
            except OSError as exc:
                raise ImportFormatError(f"{name} cannot be read ({exc.strerror or exc}).") from None
            if not line:
                return
            n += 1
            if "\x00" in line:
                raise ImportFormatError(f"{name} holds binary data, not a conversation Mnemo can import.")
            yield n, line.rstrip("\n"), cut


def byte_lines(stream: BinaryIO, name: str, max_line: int = MAX_LINE_CHARS) -> Iterator[tuple[int, bytes]]:
    """The lines of a binary stream (an archive's .jsonl part), one at a time, each at most
    `max_line` bytes (a longer one: ImportFormatError)."""
    n = 0
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        n += 1
        if len(line) > max_line:
            raise ImportFormatError(f"{name} line {n} is longer than {max_line:,} bytes: no record Mnemo writes is "
                                    "that long. Nothing was imported.")
        yield n, line
