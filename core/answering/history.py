"""The chat's history: the conversations held in the chat (and on the command line), listed
newest first, and each one's exchanges in order, read back from the store's turns. What the
assistant said is conversation history here, never evidence (core/answering/selection.py).

Deleted turns are left out; forgotten ones are still history (the chat shows what was said,
whether or not Mnemo still uses it to answer)."""
from __future__ import annotations

from dataclasses import dataclass

from ..memory.records import Kind, Memory, Source, State

CHAT_SOURCES = frozenset({Source.CHAT, Source.ASSISTANT})
TITLE_CHARS = 60


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str  # its first question, clipped
    started: float
    last: float
    questions: int


@dataclass(frozen=True)
class Exchange:
    question: Memory | None  # None: an answer whose question is gone (deleted)
    answers: tuple[Memory, ...]  # usually one; more after Regenerate

    @property
    def answer(self) -> Memory | None:
        return self.answers[-1] if self.answers else None


def _chat_turns(records: list[Memory]) -> list[Memory]:
    return [m for m in records if m.kind == Kind.TURN and m.source in CHAT_SOURCES and m.conversation_id
            and m.state != State.DELETED]


def conversations(records: list[Memory], limit: int | None = None) -> list[Conversation]:
    """The chat's conversations, the one used last first."""
    by_id: dict[str, list[Memory]] = {}
    for m in _chat_turns(records):
        by_id.setdefault(m.conversation_id, []).append(m)
    found = []
    for cid, turns in by_id.items():
        turns.sort(key=lambda m: m.created_at)
        asked = [m for m in turns if m.role == "user"]
        first = asked[0].text if asked else turns[0].text
        found.append(Conversation(cid, clip(first), turns[0].created_at, turns[-1].created_at, len(asked)))
    found.sort(key=lambda c: c.last, reverse=True)
    return found[:limit] if limit is not None else found


def exchanges(records: list[Memory], conversation_id: str) -> list[Exchange]:
    """One conversation's questions, each with the answers given to it, in order."""
    turns = sorted((m for m in _chat_turns(records) if m.conversation_id == conversation_id),
                   key=lambda m: m.created_at)
    out: list[Exchange] = []
    for m in turns:
        if m.role == "user":
            out.append(Exchange(m, ()))
        elif out and out[-1].question is not None:
            out[-1] = Exchange(out[-1].question, (*out[-1].answers, m))
        else:
            out.append(Exchange(None, (m,)))
    return out


def clip(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
