"""What the notes folders' readers share (markdown_notes.py, text_notes.py): walking the folder
within bounds, reading one file as text, a note's time, and long notes cut into parts.

- The walk goes into every folder, in name order, never following a link: a link to a file
  inside the folder is read as that file, a link to a folder or to anything outside the folder
  is left out (counted). Hidden files and folders (".obsidian", ".trash", ".git") are left out
  and counted, a hidden folder once. Only regular files are opened (never a pipe or a device).
- Bounds: at most MAX_ENTRIES files and folders and MAX_DEPTH levels (more: the folder is
  refused with a sentence), a note file of at most MAX_FILE_BYTES; the notes and their text
  within the import's limits (ParsedImport: 200,000 items, 64 MB of text), refused as soon as
  they are passed, before anything is written.
- A note holds at most MAX_TURN_CHARS (20,000) characters: a longer file becomes several notes,
  cut at headings, else between paragraphs, else between lines, else after a sentence (a word,
  for text without any), each part as long as fits.
- Times: what the file itself says (the reader's), else a daily note's name ("2024-05-01.md":
  that day; the file's modification time when it falls on that day), else the modification time."""
from __future__ import annotations

import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Iterator

from .markdown_text import NoteProblem
from .model import MAX_TEXT_BYTES, MAX_TURN_CHARS, MAX_TURNS, ImportFormatError, ParsedImport
from .times import EARLIEST, LATEST

MAX_ENTRIES = 500_000  # files and folders walked in one import
MAX_DEPTH = 64
MAX_FILE_BYTES = 16 << 20  # one note file
PROBE_ENTRIES = 2_000  # looked at to tell what a folder holds
BOM = b"\xef\xbb\xbf"
HIDDEN = {".obsidian": "Obsidian's settings folder (.obsidian)", ".trash": "Obsidian's trash (deleted notes)"}
_DAILY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_CUTS = [  # where a long note may be cut, best first: (pattern, cut before the match?)
    (re.compile(r"^#{1,6}[ \t]", re.M), True),  # headings
    (re.compile(r"\n[ \t]*\n\s*"), False),  # paragraphs
    (re.compile(r"\n"), False),  # lines
    (re.compile(r"(?<=[.!?…。！？])[\"'”’)\]]*\s+"), False),  # sentences
    (re.compile(r"\s+"), False),  # words
]


@dataclass(frozen=True)
class Found:
    path: str  # what to open (a link's target, inside the folder)
    where: str  # the path inside the folder, for the report
    mtime: float

    @property
    def name(self) -> str:
        return self.where.rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        return os.path.splitext(self.name)[1].casefold()


def walk(folder: Path, parsed: ParsedImport) -> Iterator[Found]:
    """Every regular file under `folder` (see the module's rules), in name order, depth first."""
    root = os.path.realpath(folder)
    entries = 0
    stack = [("", root, 0)]
    while stack:
        where_dir, real_dir, depth = stack.pop()
        try:
            with os.scandir(real_dir) as listing:
                items = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            if not where_dir:
                raise ImportFormatError(f"The folder {folder} cannot be read ({exc.strerror or exc}).") from None
            parsed.rejected.add("a folder that cannot be read", where_dir)
            continue
        folders = []
        for entry in items:
            entries += 1
            if entries > MAX_ENTRIES:
                raise ImportFormatError(f"{Path(folder).name} holds more than {MAX_ENTRIES:,} files and folders; "
                                        "Mnemo imports a notes folder of at most that many. Import its folders one at "
                                        "a time. Nothing was imported.")
            where = f"{where_dir}/{entry.name}" if where_dir else entry.name
            try:
                found = _entry(entry, where, root, parsed)
                is_dir = found is None and entry.is_dir(follow_symlinks=False) and not entry.is_symlink()
            except OSError:
                parsed.rejected.add("a file that cannot be read", where)
                continue
            if found is not None:
                yield found
            elif is_dir and not entry.name.startswith("."):
                if depth + 1 >= MAX_DEPTH:
                    raise ImportFormatError(f"{Path(folder).name} has folders nested more than {MAX_DEPTH} deep "
                                            f"({where[:80]}…); Mnemo does not import it. Nothing was imported.")
                else:
                    folders.append((where, entry.path, depth + 1))
        stack.extend(reversed(folders))  # (name order, depth first)


def _entry(entry: os.DirEntry, where: str, root: str, parsed: ParsedImport) -> Found | None:
    """The file to read for this entry, or None (a folder to walk, or left out and counted)."""
    if entry.name.startswith("."):
        hidden_dir = entry.is_dir(follow_symlinks=False)
        parsed.skip(HIDDEN.get(entry.name, "a hidden folder" if hidden_dir else "a hidden file"), where)
        return None
    if entry.is_symlink():
        target = os.path.realpath(entry.path)
        if os.path.commonpath([root, target]) != root:
            parsed.skip("a link to outside the folder (not followed)", where)
        elif os.path.isdir(target):
            parsed.skip("a link to a folder (not followed)", where)
        elif os.path.isfile(target):
            return Found(target, where, os.stat(target).st_mtime)
        else:
            parsed.skip("a broken link or a link to something that is not a file", where)
        return None
    if entry.is_dir(follow_symlinks=False):
        return None
    info = entry.stat(follow_symlinks=False)
    if not stat.S_ISREG(info.st_mode):
        parsed.skip("not a file (a pipe, socket or device)", where)
        return None
    return Found(entry.path, where, info.st_mtime)


def probe(folder: Path) -> tuple[Counter, bool]:
    """(file suffixes among the first PROBE_ENTRIES entries, is there a .obsidian folder at the top).
    Cheap and bounded: for looks_like."""
    suffixes: Counter = Counter()
    try:
        vault = (Path(folder) / ".obsidian").is_dir()
        stack, seen = [os.path.realpath(folder)], 0
        while stack and seen < PROBE_ENTRIES:
            with os.scandir(stack.pop()) as listing:
                for entry in listing:
                    seen += 1
                    if entry.name.startswith(".") or entry.is_symlink():
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        suffixes[os.path.splitext(entry.name)[1].casefold()] += 1
                    if seen >= PROBE_ENTRIES:
                        break
    except OSError:
        return suffixes, False
    return suffixes, vault


def read_text(found: Found) -> str:
    """The file's text (UTF-8, a BOM allowed; line ends made "\\n"). Raises NoteProblem."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.fdopen(os.open(found.path, flags), "rb")
    except OSError as exc:
        raise NoteProblem("a file that cannot be read", exc.strerror or str(exc)) from None
    with handle:
        try:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise NoteProblem("not a file (a pipe, socket or device)")
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise NoteProblem("a file that cannot be read", exc.strerror or str(exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise NoteProblem(f"a note file larger than {MAX_FILE_BYTES >> 20} MB")
    data = data.removeprefix(BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NoteProblem("not UTF-8 text (save it as UTF-8 to import it)", f"byte {exc.start:,} is not") from None
    if "\x00" in text:
        raise NoteProblem("binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def file_time(found: Found) -> datetime | None:
    """A daily note's day (its name), else the file's modification time (None if implausible)."""
    try:
        modified = datetime.fromtimestamp(found.mtime, timezone.utc)
    except (OverflowError, OSError, ValueError):
        modified = None
    if modified is not None and not EARLIEST <= modified < LATEST:
        modified = None
    daily = _DAILY.fullmatch(os.path.splitext(found.name)[0])
    if daily:
        try:
            day = datetime(*map(int, daily.groups())).date()
            if modified is not None and modified.astimezone().date() == day:
                return modified
            return datetime.combine(day, time()).astimezone().astimezone(timezone.utc)
        except (ValueError, OverflowError, OSError):
            pass
    return modified


def split_note(text: str, limit: int = MAX_TURN_CHARS) -> list[str]:
    """The text in parts of at most `limit` characters (see the module's rules), none empty."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    return [p for p in (part.strip() for part in _split(text, limit, 0)) if p]


def _split(text: str, limit: int, level: int) -> list[str]:
    if len(text) <= limit:
        return [text]
    if level >= len(_CUTS):
        return [text[i:i + limit] for i in range(0, len(text), limit)]
    pattern, before = _CUTS[level]
    cuts = sorted({m.start() if before else m.end() for m in pattern.finditer(text)} - {0, len(text)})
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        for small in _split(piece, limit, level + 1) if len(piece) > limit else [piece]:
            if current and size + len(small) > limit:
                parts.append("".join(current))
                current, size = [], 0
            current.append(small)
            size += len(small)
    if current:
        parts.append("".join(current))
    return parts


def add_note(parsed: ParsedImport, folder: Path, text: str, at: datetime | None, where: str,
             tags: tuple[str, ...] = (), title: str = "") -> int:
    """The note (a long one in parts, each led by `title` when given); returns how many parts.
    Past the import's limits: ImportFormatError for the whole folder."""
    prefix = f"{title}\n\n" if title else ""
    parts = split_note(text, MAX_TURN_CHARS - len(prefix))
    for n, part in enumerate(parts, start=1):
        if len(parsed.turns) + len(parsed.notes) >= MAX_TURNS:
            raise ImportFormatError(f"{Path(folder).name} holds more than {MAX_TURNS:,} notes; Mnemo imports at most "
                                    "that many at once. Import its folders one at a time. Nothing was imported.")
        size = len(part.encode("utf-8", "replace")) + len(prefix)
        if parsed.text_bytes + size > MAX_TEXT_BYTES:
            raise ImportFormatError(f"{Path(folder).name} holds more than {MAX_TEXT_BYTES >> 20} MB of note text; "
                                    "Mnemo imports at most that much at once. Import its folders one at a time. "
                                    "Nothing was imported.")
        parsed.add_note(prefix + part, at, where if len(parts) == 1 else f"{where} (part {n} of {len(parts)})",
                        tags)
    return len(parts)
