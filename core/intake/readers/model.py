"""What every importer produces: conversation turns with their time, speaker and grouping,
the items it had to leave out (and why), and for Mnemo archives the full records."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from ...bounded import MAX_FILE_BYTES, StreamedArray
from ...errors import NOBODY, ImportFormatError, WhoIsMe
from ...text import clean, has_words

__all__ = ["MAX_FILE_BYTES", "MAX_TURNS", "MAX_TURN_CHARS", "NOBODY", "ImportFormatError", "NoteItem", "ParsedImport",
           "Rejected", "Turn", "WhoIsMe", "settle_me"]

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


def settle_me(parsed: "ParsedImport", file_name: str, me: str | None) -> "ParsedImport":
    """Who the user is in a chat app's export: `me` (a name, or "none"), else what the file says,
    else WhoIsMe. Files of other kinds are left as they are (and `me` is refused for them)."""
    if me is not None:
        if not parsed.speakers:
            raise ImportFormatError(f"{file_name} is not a chat between people; --me only applies to chat apps' "
                                    "exports.")
        parsed.choose_me(None if me.strip().casefold() == NOBODY else me)
    elif parsed.speakers and not parsed.me_chosen:
        if parsed.me is not None:
            parsed.choose_me(parsed.me)
        elif parsed.needs_me:
            raise WhoIsMe(file_name, parsed.speakers)
    return parsed


@dataclass(frozen=True, slots=True)
class NoteItem:
    """Something a file says about the user that is not a conversation: a provider's saved
    memory of them (Claude's memories.json, ChatGPT's custom instructions), a note from a notes
    folder. It is imported as a note."""
    text: str
    at: datetime | None
    where: str  # where in the file (for the report and the note's history)
    tags: tuple[str, ...] = ()


@dataclass
class ParsedImport:
    format: str  # "chatgpt", "claude", "jsonl", "transcript", "locomo", "memorybank", "mnemo", ...
    turns: list[Turn] = field(default_factory=list)
    rejected: Rejected = field(default_factory=Rejected)  # unreadable items, by reason
    archive: object | None = None  # core.transfer.archive.ArchiveContent for Mnemo archives
    text_bytes: int = 0
    notes: list[NoteItem] = field(default_factory=list)
    skipped: Rejected = field(default_factory=Rejected)  # readable, but not the user's conversation
    # Chat apps: the people who wrote (name -> messages); which one is the user is asked (`choose_me`)
    # unless the file says (`me`). Their turns keep role "user" and the speaker's name until then.
    speakers: Counter = field(default_factory=Counter)
    me: str | None = None
    me_chosen: bool = False

    @property
    def needs_me(self) -> bool:
        """Several people wrote and the file does not say which of them is the user."""
        return len(self.speakers) > 1 and not self.me_chosen

    def skip(self, reason: str, where: str) -> None:
        """Leave out, and count, what is not the user's conversation (reasoning, tool calls, notices)."""
        self.skipped.add(reason, where)

    def add_note(self, text, at: datetime | None, where: str, tags: tuple[str, ...] = ()) -> None:
        """Keep a note about the user, or note why it was left out (as for a turn)."""
        if not isinstance(text, str):
            self.rejected.add("the note is not text", where)
            return
        text = clean(text).strip()
        if not text or not has_words(text):
            self.rejected.add("the note is empty", where)
        elif len(text) > MAX_TURN_CHARS:
            self.rejected.add(f"the note is longer than {MAX_TURN_CHARS:,} characters", where)
        else:
            self._count(text)
            self.notes.append(NoteItem(text, at, where, tuple(tags)))

    def add_spoken(self, text, speaker: str, conversation_id: str, at: datetime | None, where: str) -> None:
        """A chat app's message: said by a person (the user or someone else: see `choose_me`)."""
        before = len(self.turns)
        self.add_turn(text, "user", speaker, conversation_id, at, where)
        if len(self.turns) > before:
            self.speakers[self.turns[-1].speaker] += 1

    def choose_me(self, name: str | None) -> None:
        """`name` is the user (their turns lose the name: they are the user's own words); None:
        nobody in the file is. An unknown name is refused with the names there are."""
        if name is not None and name not in self.speakers:
            found = next((s for s in self.speakers if s.casefold() == name.strip().casefold()), None)
            if found is None:
                raise ImportFormatError(f"Nobody called '{name}' wrote in this file; the people in it are "
                                        f"{', '.join(sorted(self.speakers))}.")
            name = found
        if name is not None:
            self.turns = [Turn(t.text, t.role, "", t.conversation_id, t.at) if t.speaker == name else t
                          for t in self.turns]
        self.me, self.me_chosen = name, True

    def merge(self, other: "ParsedImport") -> None:
        """Another part of the same export (a zip's conversations and its saved memories)."""
        self.turns += other.turns
        known = {note.text for note in self.notes}  # (a note both parts hold is kept once)
        self.notes += [note for note in other.notes if note.text not in known]
        self.text_bytes += other.text_bytes
        self.speakers.update(other.speakers)
        self.me = self.me or other.me
        for mine, theirs in ((self.rejected, other.rejected), (self.skipped, other.skipped)):
            for reason, count in theirs.reasons.items():
                mine.reasons[reason] += count
                mine.examples.setdefault(reason, []).extend(theirs.examples.get(reason, [])[:3])

    def _count(self, text: str) -> None:
        if len(self.turns) + len(self.notes) >= MAX_TURNS:
            raise ImportFormatError(f"The file holds more than {MAX_TURNS:,} messages; Mnemo imports at most that "
                                    "many at once. Split it and import the parts. Nothing was imported.")
        self.text_bytes += len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
        if self.text_bytes > MAX_TEXT_BYTES:
            raise ImportFormatError(f"The file holds more than {MAX_TEXT_BYTES >> 20} MB of message text; Mnemo "
                                    "imports at most that much at once. Split it and import the parts. Nothing "
                                    "was imported.")

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
            self._count(text)
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
