"""JSON Lines: one turn per line, {"conversation": id, "role": "user" | "assistant",
"content": text, "timestamp": ISO-8601}; conversation and timestamp may be left out (the
file's name is then the conversation)."""
from __future__ import annotations

import json

from .model import ImportFormatError, ParsedImport, expect
from .times import iso_time


def looks_like(text: str) -> bool:
    for line in text.splitlines():
        if line.strip():
            try:
                first = json.loads(line)
            except (ValueError, RecursionError):
                return False
            return isinstance(first, dict) and "role" in first and "content" in first
    return False


def parse(text: str, default_conversation: str) -> ParsedImport:
    result = ParsedImport("jsonl")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise ImportFormatError("The file is empty: there is no line to import.")
    for n, line in lines:
        where = f"line {n}"
        try:
            item = json.loads(line)
        except RecursionError:
            raise ImportFormatError(f"Line {n} nests JSON too deeply to be a conversation turn.") from None
        except ValueError as exc:
            raise ImportFormatError(f"Line {n} is not valid JSON ({exc.msg}, column {exc.colno}).") from None
        expect(item, dict, f"Line {n}")
        role = item.get("role")
        if role not in ("user", "assistant"):
            raise ImportFormatError(f"Line {n}: 'role' must be \"user\" or \"assistant\", not {role!r}.")
        if "content" not in item:
            raise ImportFormatError(f"Line {n} has no 'content'.")
        conversation = item.get("conversation", default_conversation)
        if isinstance(conversation, int) and not isinstance(conversation, bool):
            conversation = str(conversation)
        expect(conversation, str, f"Line {n}: 'conversation'")
        stamp = item.get("timestamp")
        at = iso_time(stamp, f"Line {n}: 'timestamp'") if stamp is not None else None
        result.add_turn(item["content"], role, "", conversation, at, where)
    return result
