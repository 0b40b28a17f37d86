"""Plain-text and Markdown transcripts: lines that start with a speaker's name and a colon.

    # 2024-05-01                      a date on its own line (or a Markdown heading) dates
    User: I moved to Porto.           the turns below it
    **Assistant:** Congratulations!   Markdown emphasis and quote marks around names are fine
    [2024-05-01 10:02] Me: thanks     a time in brackets before the name dates that turn
    and how is the weather?           a line without a name continues the turn above

"User", "You", "Me", "Human" and "I" are the user; "Assistant", "AI", "ChatGPT", "Claude",
"Bot"... are the assistant; any other name that starts two or more lines is a person
speaking (stored as said by them)."""
from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable

from .model import MAX_TURN_CHARS, ImportFormatError, ParsedImport
from .times import iso_time

NAME = "transcript"

USER_NAMES = {"user", "you", "me", "human", "i"}
ASSISTANT_NAMES = {"assistant", "ai", "chatgpt", "gpt", "claude", "bot", "mnemo", "gemini", "copilot", "model"}
SPEAKER = re.compile(
    r"^\s*(?:[>#\-*]+\s*)?(?:\[(?P<time>[0-9T:.+\- Z]{8,35})\]\s*)?(?:\*\*|__)?"
    r"(?P<name>[^\W\d_][\w .'\-]{0,38}?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<text>.*)$")
DATE_LINE = re.compile(r"^\s*(?:#+\s*|date:\s*)?(?P<date>\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]+)?)\s*#*\s*$", re.I)


MAX_NAMES = 100_000  # different "Name:" line starts counted while looking for the speakers
KEPT_CHARS = 4 * MAX_TURN_CHARS  # of one turn's lines (before cleaning); a longer turn is rejected unkept


def parse(lines: Callable[[], Iterable[tuple[int, str, bool]]], conversation: str) -> ParsedImport:
    """`lines()` gives the file's lines afresh (core/bounded.py `text_lines`): it is read twice,
    once to find who speaks, once for the turns, a line at a time."""
    speakers = _speakers(lines())
    if not speakers:
        raise ImportFormatError(
            "No conversation was found: a transcript needs lines that start with a speaker, "
            "like 'User: ...' and 'Assistant: ...'.")
    result = ParsedImport("transcript")
    day = None
    current: dict | None = None

    def flush() -> None:
        if current is None:
            return
        where = f"line {current['line']}"
        if current["size"] > KEPT_CHARS:  # its lines were not kept past the limit
            result.rejected.add(f"the message is longer than {MAX_TURN_CHARS:,} characters", where)
        else:
            result.add_turn("\n".join(current["lines"]), current["role"], current["speaker"], conversation,
                            current["at"], where)

    for n, line, cut in lines():
        date = DATE_LINE.match(line)
        if date:
            flush()
            current = None
            day = iso_time(date.group("date").replace(" ", "T"), f"Line {n}: the date")
            continue
        match = SPEAKER.match(line)
        if match and match.group("name").strip().casefold() in speakers:
            flush()
            name = match.group("name").strip()
            key = name.casefold()
            at = iso_time(match.group("time").strip().replace(" ", "T"), f"Line {n}: the time") \
                if match.group("time") else day
            role = "assistant" if key in ASSISTANT_NAMES else "user"
            speaker = "" if key in USER_NAMES | ASSISTANT_NAMES else name
            text = match.group("text")
            current = {"lines": [text], "size": len(text) + (KEPT_CHARS if cut else 0), "role": role,
                       "speaker": speaker, "at": at, "line": n}
        elif current is not None:
            current["size"] += len(line) + 1 + (KEPT_CHARS if cut else 0)
            if current["size"] <= KEPT_CHARS:
                current["lines"].append(line)
            else:
                current["lines"] = []  # too long to import: the rest is counted, not kept
    flush()
    return result


def _speakers(lines: Iterable[tuple[int, str, bool]]) -> set[str]:
    """The names that start lines as speakers: the known ones, and any other that starts two or more."""
    names: Counter = Counter()
    for _, line, _cut in lines:
        if (m := SPEAKER.match(line)):
            name = m.group("name").strip().casefold()
            if name in names or len(names) < MAX_NAMES or name in USER_NAMES | ASSISTANT_NAMES:
                names[name] += 1  # (past MAX_NAMES different ones, a new name is not counted)
    return {n for n, count in names.items() if n in USER_NAMES | ASSISTANT_NAMES or count >= 2}
