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

from .model import ImportFormatError, ParsedImport
from .times import iso_time

USER_NAMES = {"user", "you", "me", "human", "i"}
ASSISTANT_NAMES = {"assistant", "ai", "chatgpt", "gpt", "claude", "bot", "mnemo", "gemini", "copilot", "model"}
SPEAKER = re.compile(
    r"^\s*(?:[>#\-*]+\s*)?(?:\[(?P<time>[0-9T:.+\- Z]{8,35})\]\s*)?(?:\*\*|__)?"
    r"(?P<name>[^\W\d_][\w .'\-]{0,38}?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<text>.*)$")
DATE_LINE = re.compile(r"^\s*(?:#+\s*|date:\s*)?(?P<date>\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]+)?)\s*#*\s*$", re.I)


def parse(text: str, conversation: str) -> ParsedImport:
    lines = text.splitlines()
    names = Counter(m.group("name").strip().casefold() for line in lines if (m := SPEAKER.match(line)))
    speakers = {n for n, count in names.items() if n in USER_NAMES | ASSISTANT_NAMES or count >= 2}
    if not speakers:
        raise ImportFormatError(
            "No conversation was found: a transcript needs lines that start with a speaker, "
            "like 'User: ...' and 'Assistant: ...'.")
    result = ParsedImport("transcript")
    day = None
    current: dict | None = None

    def flush() -> None:
        if current is not None:
            result.add_turn("\n".join(current["lines"]), current["role"], current["speaker"], conversation,
                            current["at"], f"line {current['line']}")

    for n, line in enumerate(lines, start=1):
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
            current = {"lines": [match.group("text")], "role": role, "speaker": speaker, "at": at, "line": n}
        elif current is not None:
            current["lines"].append(line)
    flush()
    return result
