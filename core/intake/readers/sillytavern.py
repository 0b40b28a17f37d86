"""SillyTavern (and TavernAI) chats: the `.jsonl` files in SillyTavern's data folder
(data/<user>/chats/<character>/*.jsonl, group chats in data/<user>/group chats/), or a chat
saved with "Export chat" ▸ .jsonl.

    {"user_name": "Ana", "character_name": "Seraphina", "create_date": "2024-6-3 @16h 05m 12s 345ms", ...}
    {"name": "Seraphina", "is_user": false, "is_system": false, "send_date": "June 3, 2024 4:05pm",
     "mes": "Welcome back, traveller.", "swipes": [...], "swipe_id": 0, "extra": {...}}
    {"name": "Ana", "is_user": true, "send_date": "June 3, 2024 4:06pm", "mes": "I moved to Porto."}

The first line is the chat's header (group chats may have none). A character is an AI persona:
its turns are the assistant's (said by the character's name); the user's are the user's own.
Only the chosen reply (`mes`) is kept, not the other swipes. System, narrator and comment
messages are left out and counted. send_date comes in several shapes: "June 3, 2024 4:05pm",
"2024-6-3@16h05m12s", "2024-6-3 @16h 05m 12s 345ms" (local time), ISO 8601, or a number
(milliseconds or seconds since 1970)."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from typing import Callable, Iterable

from ...bounded import MAX_LINE_CHARS
from .chat_times import epoch_any, local_time
from .model import ImportFormatError, ParsedImport
from .jsonl import first_object

NAME = "sillytavern"

Lines = Iterable[tuple[int, str, bool]]
HEADER_KEYS = ("user_name", "character_name", "chat_metadata")
SYSTEM = "a system, narrator or comment message"
SYSTEM_TYPES = {"help", "welcome", "group", "empty", "generic", "narrator", "comment", "slash_commands",
                "formatting", "hotkeys", "macros", "welcome_prompt", "assistant_note"}
MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"), start=1)}
MERIDIEM = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)$", re.I)
HUMANIZED = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\s*@(\d{1,2})h\s*(\d{1,2})m\s*(\d{1,2})s(?:\s*(\d{1,3})ms)?$")


def looks_like(lines: Lines) -> bool:
    """Is the first line that is not blank a SillyTavern header or message (and not a JSON Lines turn)?"""
    first = first_object(lines)
    return first is not None and "role" not in first and (_is_header(first) or _is_message(first))


def parse(lines: Callable[[], Lines], conversation: str) -> ParsedImport:
    result = ParsedImport("sillytavern")
    users: Counter = Counter()
    header_user = None
    character = None
    seen = 0
    for n, line, cut in lines():
        if not line.strip():
            continue
        seen += 1
        where = f"line {n}"
        if cut:
            result.rejected.add(f"the line is longer than {MAX_LINE_CHARS:,} characters (a message holds far fewer)",
                                where)
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            item = None
            if seen == 1:
                raise ImportFormatError(f"{conversation} is not a SillyTavern chat: its first line is not JSON (a "
                                        "SillyTavern chat holds one JSON object a line).") from None
        if seen == 1 and isinstance(item, dict) and "mes" not in item and _is_header(item):
            header_user = _name(item.get("user_name"))
            character = _name(item.get("character_name"))
            continue
        if seen == 1 and not (isinstance(item, dict) and _is_message(item)):
            raise ImportFormatError(f"{conversation} is not a SillyTavern chat: its first line is neither the "
                                    "chat's header (user_name, character_name) nor a message (name, mes).")
        if not isinstance(item, dict) or not _is_message(item):
            result.rejected.add("the line is not a message (name, is_user, mes)", where)
            continue
        _message(result, item, conversation, character, where, users)
    if seen == 0:
        raise ImportFormatError(f"{conversation} is empty: there is no line to import.")
    result.me = header_user or (users.most_common(1)[0][0] if users else None)
    return result


def _is_header(item: dict) -> bool:
    return any(key in item for key in HEADER_KEYS)


def _is_message(item: dict) -> bool:
    return "mes" in item and ("is_user" in item or "name" in item)


def _name(value) -> str | None:
    """A name from the file; SillyTavern writes "unused" in headers that do not keep one."""
    if not isinstance(value, str) or not value.strip() or value.strip() == "unused":
        return None
    return " ".join(value.split())[:200]


def _message(result: ParsedImport, item: dict, conversation: str, character: str | None, where: str,
             users: Counter) -> None:
    extra = item.get("extra") if isinstance(item.get("extra"), dict) else {}
    kind = extra.get("type")
    if item.get("is_system") is True or (isinstance(kind, str) and kind in SYSTEM_TYPES):
        result.skip(SYSTEM, where)
        return
    mine = item.get("is_user", False)
    if not isinstance(mine, bool):
        result.rejected.add("'is_user' is not true or false", where)
        return
    stamp = item.get("send_date")
    at = None
    if stamp not in (None, ""):
        at = send_date(stamp, where)
        if at is None:
            result.rejected.add("the message's send_date cannot be read", where)
            return
    name = _name(item.get("name"))
    if mine:
        if name:
            users[name] += 1
        result.add_turn(item.get("mes"), "user", "", conversation, at, where)
    else:
        result.add_turn(item.get("mes"), "assistant", name or character or "", conversation, at, where)


def send_date(value, where: str = "the message") -> datetime | None:
    """A message's time in any of the shapes SillyTavern and TavernAI wrote; None: not a time."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool) or (
                isinstance(value, str) and value.strip().isdigit()):
            return epoch_any(value, f"{where}: send_date")
        if not isinstance(value, str):
            return None
        raw = value.strip()
        if (m := MERIDIEM.match(raw)) is not None:
            month = MONTHS.get(m.group(1).casefold()) or next(
                (i for k, i in MONTHS.items() if len(m.group(1)) >= 3 and k.startswith(m.group(1).casefold())), None)
            hour = int(m.group(4))
            if month is None or not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if m.group(7).casefold() == "pm" else 0)
            moment = datetime(int(m.group(3)), month, int(m.group(2)), hour, int(m.group(5)), int(m.group(6) or 0))
        elif (m := HUMANIZED.match(raw)) is not None:
            y, mo, d, h, mi, s, ms = (int(g or 0) for g in m.groups())
            moment = datetime(y, mo, d, h, mi, s, ms * 1000)
        else:
            moment = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
        return local_time(moment, f"{where}: send_date")  # (a clock without a zone: local time)
    except (ValueError, OverflowError, ImportFormatError):
        return None
