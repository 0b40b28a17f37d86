"""The memory record and the vocabularies it uses (kinds, sources, states)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass, field, fields
from enum import StrEnum

import numpy as np


class Kind(StrEnum):
    TURN = "turn"
    NOTE = "note"
    DAY_SUMMARY = "day_summary"
    GLOBAL_SUMMARY = "global_summary"
    PORTRAIT = "portrait"
    LESSON = "lesson"
    FACT = "fact"  # a statement about the user's world, distilled from episodes (core/lifecycle/facts.py)


class Source(StrEnum):
    CHAT = "chat"
    QUICK_CAPTURE = "quick_capture"
    USER = "user"
    CLIPBOARD = "clipboard"
    IMPORT = "import"
    ASSISTANT = "assistant"
    MNEMO = "mnemo"  # written by Mnemo itself: summaries, the portrait, lessons
    AGENT = "agent"  # another program the user allowed (MCP), as "agent:NAME": trusted as imports are


class State(StrEnum):
    ACTIVE = "active"
    PINNED = "pinned"
    FADING = "fading"
    FORGOTTEN = "forgotten"
    QUARANTINED = "quarantined"
    DELETED = "deleted"


# States whose memories take part in ordinary retrieval.
RETRIEVABLE_STATES = frozenset({State.ACTIVE, State.PINNED, State.FADING})

# Sources whose text the user typed themselves.
USER_SOURCES = frozenset({Source.CHAT, Source.QUICK_CAPTURE, Source.USER})


def base_source(source: str) -> str:
    """`import:chatgpt.json` -> `import`."""
    return source.split(":", 1)[0]


def normalise_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", folded).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Memory:
    id: str
    text: str
    kind: str
    source: str
    created_at: float  # epoch seconds, UTC
    role: str = ""  # "user" | "assistant" | "" for notes
    speaker: str = ""
    conversation_id: str = ""
    event_at: float | None = None  # when the event happened, when known
    importance: float = 0.5
    strength: float = 1.0
    last_recalled_at: float | None = None
    recall_count: int = 0
    state: str = State.ACTIVE
    guard_verdict: str = ""
    guard_reason: str = ""
    content_hash: str = ""
    updated_at: float = 0.0
    reinforced_at: float | None = None  # last recall or restore; decay counts from here (else created_at)
    links: tuple[str, ...] = ()  # the memories a summary, portrait or fact was made from
    importance_reason: str = ""  # why the importance is what it is ("health: a medication")
    fact_key: str = ""  # a fact's subject and attribute ("sister|lives in"): the same key is the same fact
    fact_value: str = ""  # what it says of them ("Lisbon"); a newer value for the key supersedes it
    valid_from: float | None = None  # a fact holds from here (its first statement)...
    valid_until: float | None = None  # ...until a newer statement by the user superseded it
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)

    def with_changes(self, **changes) -> "Memory":
        """A copy with these fields changed. Equivalent to dataclasses.replace (no field
        has init=False and there is no __post_init__), without its per-call overhead: a
        sweep copies thousands of records."""
        unknown = changes.keys() - _MEMORY_FIELDS
        if unknown:
            raise TypeError(f"Memory has no field {', '.join(sorted(unknown))}")
        copy = object.__new__(Memory)
        object.__setattr__(copy, "__dict__", {**self.__dict__, **changes})
        return copy

    @property
    def when(self) -> float:
        """The time the memory is about: event time when known, else capture time."""
        return self.event_at if self.event_at is not None else self.created_at


_MEMORY_FIELDS = frozenset(f.name for f in fields(Memory))


@dataclass(frozen=True)
class HistoryEntry:
    id: str
    memory_id: str
    at: float
    actor: str  # "user", "system", "guard", "import", ...
    action: str  # "created", "state", "recalled", ...
    from_state: str
    to_state: str
    reason: str


# "Memories", wherever Mnemo counts them (the Memories tab, Health, `mnemo stats`): what was said,
# noted and written about it, not deleted; the facts distilled from them are counted apart, and the
# guard's lessons not at all.
COUNTED_KINDS = frozenset({Kind.TURN, Kind.NOTE, Kind.DAY_SUMMARY, Kind.GLOBAL_SUMMARY, Kind.PORTRAIT})


def counted(memories) -> dict[str, int]:
    """{"memories": n, "facts": f} by the one rule above."""
    live = [m for m in memories if m.state != State.DELETED]
    return {"memories": sum(1 for m in live if m.kind in COUNTED_KINDS),
            "facts": sum(1 for m in live if m.kind == Kind.FACT)}
