"""JSON Lines: one turn per line, {"conversation": id, "role": "user" | "assistant",
"content": text, "timestamp": ISO-8601}; conversation and timestamp may be left out (the
file's name is then the conversation). Read a line at a time (core/bounded.py `text_lines`):
the file never sits in memory whole."""
from __future__ import annotations

import json
from typing import Iterable

from ...bounded import MAX_LINE_CHARS
from .model import ImportFormatError, ParsedImport, expect
from .times import iso_time

NAME = "jsonl"

Lines = Iterable[tuple[int, str, bool]]  # (number, text, cut): core/bounded.py text_lines


def first_object(lines: Lines) -> dict | None:
    """The first line that is not blank, when it is a whole JSON object (else None)."""
    for _, line, cut in lines:
        if line.strip():
            if cut:
                return None
            try:
                first = json.loads(line)
            except (ValueError, RecursionError):
                return None
            return first if isinstance(first, dict) else None
    return None


def looks_like(lines: Lines) -> bool:
    """Is the first line that is not blank a turn ({"role", "content"})?"""
    first = first_object(lines)
    return first is not None and "role" in first and "content" in first


def parse(lines: Lines, default_conversation: str) -> ParsedImport:
    result = ParsedImport("jsonl")
    found = False
    for n, line, cut in lines:
        if not line.strip():
            continue
        found = True
        if cut:
            result.rejected.add(f"the line is longer than {MAX_LINE_CHARS:,} characters (a message holds far "
                                "fewer)", f"line {n}")
            continue
        _line(result, n, line, default_conversation)
    if not found:
        raise ImportFormatError("The file is empty: there is no line to import.")
    return result


def _line(result: ParsedImport, n: int, line: str, default_conversation: str) -> None:
    try:
        item = json.loads(line)
    except RecursionError:
        raise ImportFormatError(f"Line {n} nests JSON too deeply to be a conversation turn.") from None
    except ValueError as exc:
        raise ImportFormatError(f"Line {n} is not valid JSON ({exc.msg}, column {exc.colno}).") from None
    expect(item, dict, f"Line {n}")
    role = item.get("role")
    if role not in ("user", "assistant"):
        raise ImportFormatError(f"Line {n}: 'role' must be \"user\" or \"assistant\", not {_shown(role)}.")
    if "content" not in item:
        raise ImportFormatError(f"Line {n} has no 'content'.")
    conversation = item.get("conversation", default_conversation)
    if isinstance(conversation, int) and not isinstance(conversation, bool):
        conversation = str(conversation)
    expect(conversation, str, f"Line {n}: 'conversation'")
    stamp = item.get("timestamp")
    at = iso_time(stamp, f"Line {n}: 'timestamp'") if stamp is not None else None
    result.add_turn(item["content"], role, "", conversation, at, f"line {n}")


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"
