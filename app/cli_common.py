"""What the CLI's commands share: the JSON shapes of memories, hits and guard records,
finding a memory by the first characters of its id, and printing. Every cli_* module
imports this one; it imports none of them."""
from __future__ import annotations

import json
import re

from core.clock import from_epoch
from core.errors import NotFoundError
from core.memory.records import Memory
from core.recall.retrieval import Hit


def iso(seconds: float | None) -> str | None:
    return from_epoch(seconds).isoformat() if seconds is not None else None


def memory_json(m: Memory, retention: float | None = None) -> dict:
    """strength is in days (after `strength` days unreinforced, retention is 37%)."""
    return {
        "id": m.id, "text": m.text, "kind": m.kind, "source": m.source, "state": m.state,
        "role": m.role, "speaker": m.speaker, "conversation_id": m.conversation_id,
        "created_at": iso(m.created_at), "event_at": iso(m.event_at),
        "importance": round(m.importance, 4), "importance_reason": m.importance_reason,
        "strength": round(m.strength, 4),
        "retention": round(retention, 4) if retention is not None else None,
        "recall_count": m.recall_count, "last_recalled_at": iso(m.last_recalled_at),
        "reinforced_at": iso(m.reinforced_at), "links": list(m.links),
        "fact_key": m.fact_key or None, "fact_value": m.fact_value or None,
        "valid_from": iso(m.valid_from), "valid_until": iso(m.valid_until),
    }


def hit_json(h: Hit) -> dict:
    return {"id": h.memory.id, "text": h.memory.text, "score": round(h.score, 6), "source": h.memory.source,
            "kind": h.memory.kind, "created_at": iso(h.memory.created_at), "retention": round(h.retention, 4),
            "reason": h.reason, "cued": h.cued}


def flagged_json(memory: Memory, reason: str | None = None) -> dict:
    return {"id": memory.id, "text": memory.text, "reason": reason if reason is not None else memory.guard_reason,
            "source": memory.source, "state": memory.state, "verdict": memory.guard_verdict,
            "created_at": from_epoch(memory.created_at).isoformat(), "conflicts": list(memory.links)}


def lesson_json(lesson: Memory) -> dict:
    return {"id": lesson.id, "text": lesson.text, "verdict": lesson.guard_verdict,
            "learnt_from": lesson.links[0] if lesson.links else None,
            "created_at": from_epoch(lesson.created_at).isoformat()}


def resolve_id(mnemo, given: str) -> str:
    """The full id of the memory whose id is `given` or starts with it (6+ characters)."""
    given = given.strip()
    if mnemo.store.find(given) is not None:
        return given
    if len(given) < 6:
        raise NotFoundError(f"There is no memory with id {given}; give at least 6 characters of an id.")
    matches = [m.id for m in mnemo.store.all() if m.id.startswith(given)]
    if not matches:
        raise NotFoundError(f"There is no memory with id {given}.")
    if len(matches) > 1:
        raise NotFoundError(f"{len(matches)} memories have ids starting with {given}; give more characters.")
    return matches[0]


# Shown escaped, never sent to the terminal: control characters (an imported ESC sequence can
# clear the screen or write the clipboard, OSC 52) and the marks that reorder text on screen.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def printable(text: str) -> str:
    """`text` for the terminal: control characters as \\x.. / \\u.... escapes (tab and newline kept)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


def short(text: str, width: int = 70) -> str:
    text = printable(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def print_json(value) -> None:
    """JSON escapes C0 controls itself; DEL, C1 controls and direction marks are escaped here too."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    print(_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
