"""What every importer produces: conversation turns with their time, speaker and grouping,
the items it had to leave out (and why), and for Mnemo archives the full records."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from ...bounded import MAX_FILE_BYTES, StreamedArray
from ...errors import ImportFormatError
from ...text import clean, has_words

__all__ = ["MAX_FILE_BYTES", "MAX_TURNS", "MAX_TURN_CHARS", "ImportFormatError", "ParsedImport", "Rejected", "Turn"]

# One imported message holds at most this many characters (as one typed memory, core/intake/capture.py).
MAX_TURN_CHARS = 20_000
# What one import may hold while it is read: a file that holds more is refused as soon as that shows,
# within ~300 MB above the app's own memory (tests/app/test_hostile_files.py measures it).
MAX_TURNS = 200_000
MAX_TEXT_BYTES = 64 << 20  # of message text (UTF-8) in one import
MAX_REASONS = 50  # different reasons for leaving items out, kept apart (the rest are counted together)


@dataclass(frozen=True, slots=True)
class Turn:
    text: str
    role: str  # "user" | "assistant"
    speaker: str
    conversation_id: str
    at: datetime | None  # the original time, when the file gives one


@dataclass
class Rejected:
    """Items left out of an import, by reason (with a few examples of where)."""
    reasons: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, reason: str, where: str) -> None:
        reason, where = clean(reason)[:200], clean(where)[:200]  # (parts of them may come from the file)
        if reason not in self.reasons and len(self.reasons) >= MAX_REASONS:
            reason = "other reasons"
        self.reasons[reason] += 1
        shown = self.examples.setdefault(reason, [])
        if len(shown) < 3:
            shown.append(where)

    @property
    def total(self) -> int:
        return sum(self.reasons.values())


@dataclass
class ParsedImport:
    format: str  # "chatgpt", "claude", "jsonl", "transcript", "locomo", "memorybank", "mnemo"
    turns: list[Turn] = field(default_factory=list)
    rejected: Rejected = field(default_factory=Rejected)
    archive: object | None = None  # core.transfer.archive.ArchiveContent for Mnemo archives
    text_bytes: int = 0

    def add_turn(self, text, role: str, speaker: str, conversation_id: str, at: datetime | None,
                 where: str) -> None:
        """Keep a turn, or note why it was left out (empty, too long, not text)."""
        if not isinstance(text, str):
            self.rejected.add("the message is not text", where)
            return
        text = clean(text).strip()
        if not text or not has_words(text):
            self.rejected.add("the message is empty", where)
        elif len(text) > MAX_TURN_CHARS:
            self.rejected.add(f"the message is longer than {MAX_TURN_CHARS:,} characters", where)
        else:
            if len(self.turns) >= MAX_TURNS:
                raise ImportFormatError(f"The file holds more than {MAX_TURNS:,} messages; Mnemo imports at most that "
                                        "many at once. Split it and import the parts. Nothing was imported.")
            self.text_bytes += len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
            if self.text_bytes > MAX_TEXT_BYTES:
                raise ImportFormatError(f"The file holds more than {MAX_TEXT_BYTES >> 20} MB of message text; Mnemo "
                                        "imports at most that much at once. Split it and import the parts. Nothing "
                                        "was imported.")
            # (the same conversation and speaker, line after line, are kept once)
            self.turns.append(Turn(text, role, sys.intern(speaker), sys.intern(str(conversation_id)), at))


def expect(value, kind, what: str):
    """`value` if it is of `kind`, else an ImportFormatError naming `what`. A streamed JSON
    array (core/bounded.py) counts as a list."""
    if kind is list and isinstance(value, StreamedArray):
        return value
    if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
        names = {list: "a list", dict: "an object", str: "text", int: "a number", float: "a number",
                 (int, float): "a number"}
        raise ImportFormatError(f"{what} should be {names.get(kind, kind)}, not {_type_name(value)}.")
    return value


def _type_name(value) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)
