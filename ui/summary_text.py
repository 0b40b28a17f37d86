"""How day summaries, the overview and the portrait read on screen: core writes them as one
line with a header ("Day summary, Friday 1 May 2026 (3 memories): ..."); the views show the
header as a title and the pieces one per line."""
from __future__ import annotations

import re

_DAY = re.compile(r"^Day summary, (?P<day>.+?) \((?P<count>[^)]*)\): (?P<body>.*)$", re.DOTALL)
_OVERVIEW = re.compile(r"^Overview, (?P<span>.+?) \((?P<count>[^)]*)\): (?P<body>.*)$", re.DOTALL)
_PORTRAIT = re.compile(r"^Portrait of the user, from what they said (?P<span>[^\n]*?):?\n(?P<body>.*)$", re.DOTALL)
_OVERVIEW_PIECE = re.compile(r"; (?=\d{1,2} [A-Z][a-z]{2}, )")  # "...; 2 May, note: ..."
_PIECE = " · "  # core/lifecycle/summaries.py SEPARATOR
_WHO = {"user: ": "You: ", "assistant: ": "Mnemo: ", "note: ": ""}  # a note is the user's own words


def _who(piece: str) -> str:
    for raw, shown in _WHO.items():
        if piece.startswith(raw):
            return shown + piece[len(raw):]
        head, sep, rest = piece.partition(", ")  # "2 May, user: ..." in the overview
        if sep and rest.startswith(raw):
            return f"{head}, {shown}{rest[len(raw):]}"
    return piece


def day_parts(text: str) -> tuple[str, list[str]]:
    """('Friday 1 May 2026 · 3 memories', ['You: ...', 'Note: ...'])."""
    match = _DAY.match(text)
    if not match:
        return "", [text]
    body = match["body"]
    pieces = body.split(_PIECE) if _PIECE in body else [body]
    return f"{match['day']} · {match['count']}", [_who(p.strip()) for p in pieces if p.strip()]


def overview_parts(text: str) -> tuple[str, list[str]]:
    match = _OVERVIEW.match(text)
    if not match:
        return "", [text]
    pieces = _OVERVIEW_PIECE.split(match["body"])
    return f"{match['span']} · {match['count']}", [_who(p.strip()) for p in pieces if p.strip()]


def portrait_parts(text: str) -> tuple[str, str]:
    """('From what you said 1 May 2026', 'Likes: ...\\nPeople: ...')."""
    match = _PORTRAIT.match(text)
    if not match:
        return "", text
    return f"From what you said {match['span']}", match["body"].strip()
