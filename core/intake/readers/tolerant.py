"""Tolerant records, strict files: what the readers of assistants' exports (ChatGPT, Claude,
DeepSeek) share.

A record that cannot be read (a conversation whose message tree is damaged, a null message, a
time that is not a time) is left out and reported with its place, and the rest imports; the
file is refused, with a sentence, when its overall shape is wrong or when not one of its
conversations can be read. What is readable but not the user's conversation (reasoning, tool
calls, hidden context, images) is left out and counted by the reasons below."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Callable

from .model import MAX_TURN_CHARS, ImportFormatError, ParsedImport, expect

# Why a readable part of a conversation is left out (ParsedImport.skip), the same in every reader
REASONING = "the assistant's reasoning (thinking)"
TOOLS = "a tool call or its result"
HIDDEN = "hidden context (system messages, instructions)"
MEDIA = "an image, audio or file without text"
UNREADABLE_TIME = "a message whose time cannot be read"
NOTE_CHARS = 2_000  # a saved memory is imported as notes of about this size, a section at a time


class BadRecord(Exception):
    """A record left out: `reason` (the same for every record with this problem, for the report),
    `where` (its place) and `problem` (what exactly is wrong, for a sentence)."""

    def __init__(self, reason: str, where: str, problem: str | None = None):
        super().__init__(reason)
        self.reason, self.where, self.problem = reason, where, problem or reason

    @property
    def sentence(self) -> str:
        return f"{self.where[:1].upper()}{self.where[1:]}: {self.problem}."


def kind_of(value) -> str:
    """What a value from the file is, for a sentence."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "a list", str: "text", type(None): "null"}.get(type(value), "a list")


def each_record(data, result: ParsedImport, read: Callable[[int, object], None], what: str) -> None:
    """read(n, item) for each item of the file's top-level list (a single object: itself). A
    BadRecord leaves that item out; when none of them could be read, the file is refused with
    the first problem."""
    items = [data] if isinstance(data, dict) else expect(data, list, what)
    done, first = 0, None
    for n, item in enumerate(items, start=1):
        try:
            read(n, item)
            done += 1
        except BadRecord as bad:
            result.rejected.add(bad.reason, bad.where)
            first = first or bad
    if first is not None and not done:
        raise ImportFormatError(first.sentence)


def record_time(value, read: Callable[[object, str], datetime], where: str) -> datetime | None:
    """The time `read` (times.py) makes of `value`; None when there is none; a BadRecord when it
    cannot be read."""
    if value is None:
        return None
    try:
        return read(value, where)
    except ImportFormatError as exc:
        raise BadRecord(UNREADABLE_TIME, where, str(exc).rstrip(".")) from None


def quiet_time(value, read: Callable[[object, str], datetime]) -> datetime | None:
    """A conversation's own time, used for its messages that have none: None when unreadable."""
    try:
        return record_time(value, read, "")
    except BadRecord:
        return None


def with_context(text: str, context: list[tuple[str, str]]) -> str:
    """The message's own text, then what it carried, each as "[label]" and its text (an attached
    file's extracted text, a quote), within the length of one message: what does not fit is cut
    with "…" or left out. An own text already too long is left as it is (and rejected)."""
    out = text.strip()
    for label, body in context:
        body = body.strip()
        block = f"[{label}]" + (f"\n{body}" if body else "")
        gap = "\n\n" if out else ""
        room = MAX_TURN_CHARS - len(out) - len(gap)
        if room < min(len(block), len(label) + 3):
            break
        if len(block) > room:
            block = block[:room - 1].rstrip() + "…"
        out += gap + block
    return out


def has_body(context: list[tuple[str, str]]) -> bool:
    return any(body.strip() for _, body in context if isinstance(body, str))


# ---------------------------------------------------------------------------- saved memories
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+(?P<hash>.+?)\s*#*|\*\*(?P<bold>[^*]{1,120}?)\*\*:?"
                      r"|__(?P<under>[^_]{1,120}?)__:?)\s*$")  # a Markdown heading, or a line in bold


def add_memory_notes(result: ParsedImport, text, label: str, at: datetime | None, where: str) -> None:
    """A provider's saved memory of the user (or instructions they gave it) as notes: one per
    section (a heading and what follows), a long section in parts of about NOTE_CHARS, each
    starting with `label` (and the section's heading) so that it reads alone."""
    if not isinstance(text, str):
        result.add_note(text, at, where)  # (rejected: not text)
        return
    parts = [(title, chunk) for title, body in _sections(text) for chunk in _chunks(body)]
    if not parts:
        result.add_note("", at, where)  # (rejected: empty)
    for n, (title, chunk) in enumerate(parts, start=1):
        head = f"{label} ({title})" if title else label
        result.add_note(f"{head}: {chunk}", at, where if len(parts) == 1 else f"{where}, part {n}")


def _sections(text: str) -> list[tuple[str, str]]:
    out, title, lines = [], "", []
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            out.append((title, "\n".join(lines)))
            title = next(g for g in match.groups() if g).strip()[:80]
            lines = []
        else:
            lines.append(line)
    out.append((title, "\n".join(lines)))
    return [(t, body.strip()) for t, body in out if body.strip()]


def _chunks(body: str) -> list[str]:
    out, current = [], ""
    for paragraph in re.split(r"\n\s*\n", body):
        paragraph = paragraph.strip()
        while len(paragraph) > NOTE_CHARS:  # one paragraph longer than a note: cut between words
            cut = paragraph.rfind(" ", NOTE_CHARS // 2, NOTE_CHARS)
            cut = cut if cut > 0 else NOTE_CHARS
            out += [current] if current else []
            out.append(paragraph[:cut].strip())
            current, paragraph = "", paragraph[cut:].strip()
        if current and len(current) + 2 + len(paragraph) > NOTE_CHARS:
            out.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    if current.strip():
        out.append(current)
    return [c for c in out if c.strip()]
