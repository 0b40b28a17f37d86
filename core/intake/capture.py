"""Capture: what the user says or notes becomes a memory (embedded, deduplicated, stored)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

import numpy as np

from ..clock import Clock, to_epoch
from ..errors import InvalidInputError
from ..memory.decay import DecayPolicy
from ..memory.records import (
    USER_SOURCES,
    Kind,
    Memory,
    Source,
    State,
    base_source,
    content_hash,
    new_id,
)
from ..memory.store import MemoryStore
from ..recall.embedder import Embedder
from ..recall.retrieval import index_text
from ..text import clean, has_words

if TYPE_CHECKING:
    from .importance import ImportanceJudge

MAX_TEXT = 20_000
NOTE_SOURCES = {str(s) for s in Source} - {str(Source.MNEMO)}


def default_importance(kind: str, source: str, role: str = "") -> float:
    """How much a new memory matters before anyone recalls it; sets its initial strength.
    A note the user chose to save matters most; the assistant's own words least."""
    if role == "assistant" or source == Source.ASSISTANT:
        return 0.3
    if base_source(source) in ("import", "agent"):
        return 0.4
    return 0.7 if kind == Kind.NOTE else 0.5


@dataclass(frozen=True)
class CaptureResult:
    memory: Memory
    duplicate: bool  # True when an equal note was already stored (and is returned instead)


def weigh(memories: list[Memory], judge: "ImportanceJudge | None", policy: DecayPolicy) -> list[Memory]:
    """Each memory (with its vector) with its importance, the reason, and the strength that follows."""
    if judge is None or not memories:
        return memories
    judged = judge.judge_many(memories, np.stack([np.asarray(m.vector, dtype=np.float32) for m in memories]))
    return [m.with_changes(importance=importance, importance_reason=reason,
                           strength=policy.initial_strength(importance))
            for m, (importance, reason) in zip(memories, judged)]


class CaptureService:
    def __init__(self, store: MemoryStore, embedder: Embedder, clock: Clock, policy: DecayPolicy | None = None,
                 screen: Callable[[Memory], Memory] | None = None,
                 stored: Callable[[list[Memory]], None] | None = None,
                 judge: "ImportanceJudge | None" = None):
        """`screen(memory)` sees every new record before it is stored (the guard quarantines
        suspicious clipboard and imported records there); `judge` weighs each new memory
        (core/intake/importance.py; without one, the defaults of `default_importance`)."""
        self.judge = judge
        self.screen = screen or (lambda memory: memory)
        self.stored = stored or (lambda memories: None)  # told what was written (the guard learns)
        self.store = store
        self.embedder = embedder
        self.clock = clock
        self.policy = policy or DecayPolicy()

    def add_note(
        self,
        text: str,
        source: str = Source.USER,
        at: datetime | None = None,
        importance: float | None = None,
    ) -> CaptureResult:
        """Store a note. The same note (case and spacing aside) is stored once."""
        text = _checked(text)
        if base_source(source) not in NOTE_SOURCES:
            raise InvalidInputError(
                f"'{source}' is not a known source; use one of {', '.join(sorted(NOTE_SOURCES))}."
            )
        digest = content_hash(text)
        existing = self.store.find_by_hash(digest, kinds=[Kind.NOTE])
        if existing is not None and existing.state == State.QUARANTINED and source in USER_SOURCES:
            existing = None  # the user typed it themselves: their own note, not the held-back paste
        if existing is not None:
            return CaptureResult(existing, duplicate=True)
        memory = self._new(text, Kind.NOTE, source, at, digest, importance=importance)
        if importance is None:
            memory = weigh([memory], self.judge, self.policy)[0]
        else:
            memory = memory.with_changes(importance_reason="set by you")
        memory = self.screen(memory)
        saved = self.store.add([memory], actor=_actor(source), reason=_why(memory, "note captured"))
        self.stored(saved)
        return CaptureResult(saved[0], False)

    def add_turn(
        self,
        text: str,
        role: str,
        conversation_id: str,
        source: str = Source.CHAT,
        speaker: str = "",
        at: datetime | None = None,
    ) -> Memory:
        """Store one chat turn. Turns are events: repeating earlier words is a new turn."""
        return self.add_turns([(text, role, speaker)], conversation_id, source, at)[0]

    def add_turns(
        self,
        turns: list[tuple[str, str, str]],
        conversation_id: str,
        source: str = Source.CHAT,
        at: datetime | None = None,
    ) -> list[Memory]:
        """Store several turns of one exchange in one write: (text, role, speaker) each, or
        (text, role, speaker, source) when the turns came from different places."""
        memories = []
        for turn in turns:
            text, role, speaker = turn[:3]
            if role not in ("user", "assistant"):
                raise InvalidInputError(f"A turn's role must be 'user' or 'assistant', not '{role}'.")
            turn_source = Source.ASSISTANT if role == "assistant" else (turn[3] if len(turn) > 3 else source)
            text = _checked(text)
            memories.append(
                self._new(text, Kind.TURN, turn_source, at, content_hash(text),
                          role=role, speaker=speaker, conversation_id=conversation_id, embed=False)
            )
        vectors = self.embedder.embed([index_text(m) for m in memories])
        memories = weigh([m.with_changes(vector=v) for m, v in zip(memories, vectors)], self.judge, self.policy)
        memories = [self.screen(m) for m in memories]
        saved = self.store.add(memories, actor=_actor(source), reason="conversation turn captured")
        self.stored(saved)
        return saved

    def _new(self, text, kind, source, at, digest, importance=None, role="", speaker="",
             conversation_id="", embed=True) -> Memory:
        now = to_epoch(self.clock.now())
        if importance is None:
            importance = default_importance(kind, source, role)
        memory = Memory(
            id=new_id(),
            text=text,
            kind=str(kind),
            source=str(source),
            created_at=now,
            role=role,
            speaker=speaker,
            conversation_id=conversation_id,
            event_at=to_epoch(at) if at is not None else None,
            importance=float(importance),
            strength=self.policy.initial_strength(importance),
            state=str(State.ACTIVE),
            content_hash=digest,
        )
        if embed:
            memory = memory.with_changes(vector=self.embedder.embed([index_text(memory)])[0])
        return memory


def _checked(text: str) -> str:
    if isinstance(text, str):
        text = clean(text).strip()
    if not isinstance(text, str) or not text or not has_words(text):
        raise InvalidInputError("There is nothing to remember: the text is empty.")
    if len(text) > MAX_TEXT:
        raise InvalidInputError(
            f"The text is {len(text):,} characters long; a single memory holds at most {MAX_TEXT:,}."
        )
    return text


def _why(memory: Memory, reason: str) -> str:
    return f"{reason}; quarantined: {memory.guard_reason}" if memory.state == State.QUARANTINED else reason


def _actor(source: str) -> str:
    if base_source(source) == "agent":
        return str(source)  # the program, by the name it gave ("agent:Claude Desktop")
    return "assistant" if source == Source.ASSISTANT else "user" if base_source(source) != "import" else "import"
