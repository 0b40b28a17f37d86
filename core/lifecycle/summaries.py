"""Day summaries and the global summary (MemoryBank's "daily event summaries" and "global
summary"). Each is a memory of its own kind whose `links` name what it summarises.

- A day summary covers one local calendar day with activity (turns or notes, whatever
  their state now, so a day whose details have faded keeps its gist). Its id is derived
  from the day, and its content_hash from the exact inputs: regenerating with unchanged
  inputs writes nothing (idempotent); new activity on that day rewrites it in place.
- Written by the local model when it is capable (see `capable`), else extractively: the
  most central sentences by MiniLM embedding (core/lifecycle/extractive.py). Both state the date range."""
from __future__ import annotations

import hashlib
import logging
import math
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Callable

from ..clock import Clock
from ..days import day_bounds, day_of, long_day, short_day
from ..memory.records import Kind, Memory, Source, State
from ..memory.store import MemoryStore
from ..recall.embedder import Embedder
from ..recall.retrieval import index_text
from .extractive import Sentence, central, clip, split_sentences

log = logging.getLogger(__name__)

ACTIVITY_KINDS = frozenset({Kind.TURN, Kind.NOTE})
IGNORED_STATES = frozenset({State.DELETED, State.QUARANTINED})


def ignored(memory: Memory) -> bool:
    """Left out of summaries and the portrait: deleted, quarantined, or kept out of answers
    by the guard (a poisoned record must not come back through a summary)."""
    return memory.state in IGNORED_STATES or memory.guard_verdict == "excluded"

NAMESPACE = uuid.UUID("6f1d7c5e-1b9e-4c55-9a53-0d3c8f6b2a10")
CAPABLE_PARAMETERS = 1_000_000_000  # "auto": models this size and up write summaries themselves
SEPARATOR = " · "


def summary_id(key: str) -> str:
    return uuid.uuid5(NAMESPACE, key).hex


def fingerprint(memories: list[Memory], method: str) -> str:
    h = hashlib.sha256(method.encode())
    for m in sorted(memories, key=lambda m: m.id):
        h.update(f"{m.id}:{m.content_hash}|".encode())
    return h.hexdigest()


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def who(memory: Memory) -> str:
    if memory.speaker:
        return memory.speaker
    if memory.kind == Kind.NOTE:
        return "note"
    return "assistant" if memory.role == "assistant" else "user"


def _weight(memory: Memory, sentence: str) -> float:
    """Prefer statements the user made over questions, pleasantries and the assistant's words."""
    weight = 0.8 if memory.role == "assistant" else 1.0
    if sentence.rstrip().endswith("?"):
        weight *= 0.8
    if re.match(r"(ok|okay|sure|thanks|thank you|great|alright|yes|no|well)\b", sentence, re.I):
        weight *= 0.6
    if memory.role != "assistant" and _ABOUT_THE_CHAT.search(sentence):
        weight *= 0.7
    return weight


# Talk about the conversation itself ("your suggestions are helpful") says little about the day.
_ABOUT_THE_CHAT = re.compile(r"\b(you|your|chat|chatting|talking to you|suggestions?|advice|recommendations?)\b", re.I)


@dataclass(frozen=True)
class SummaryOptions:
    use_model: str = "auto"  # "auto" | "always" | "never"
    day_sentences: int = 4
    global_days: int = 8


class Summaries:
    def __init__(self, store: MemoryStore, embedder: Embedder, clock: Clock,
                 model_getter: Callable[[], object] | None = None, options: SummaryOptions | None = None):
        self.store = store
        self.embedder = embedder
        self.clock = clock
        self.model_getter = model_getter or (lambda: None)
        self.options = options or SummaryOptions()

    # ---------------------------------------------------------------- what exists
    def activity(self) -> dict[date, list[Memory]]:
        """The memories each day's summary is made from: what the user said (notes, their chat
        turns, imported conversations), never the assistant's answers (a summary of its own
        words would come back as evidence: A-MemGuard's self-reinforcing loop)."""
        days: dict[date, list[Memory]] = {}
        for m in self.store.all(kinds=ACTIVITY_KINDS):
            if not ignored(m) and m.role != "assistant" and m.source != Source.ASSISTANT:
                days.setdefault(day_of(m.when), []).append(m)
        for memories in days.values():
            memories.sort(key=lambda m: m.when)
        return dict(sorted(days.items()))

    def day_summaries(self) -> list[Memory]:
        found = [m for m in self.store.all(kinds=[Kind.DAY_SUMMARY]) if m.state not in IGNORED_STATES]
        return sorted(found, key=lambda m: m.when)

    def global_summary(self) -> Memory | None:
        return self._live(summary_id("global"))

    def pending_days(self, before: date | None = None) -> list[date]:
        """Days whose summary is missing or out of date, up to but not including `before`
        (default: today, which is not over yet). Out of date means: the day has activity the
        summary does not cover, or something it quotes was deleted or quarantined since.
        Details that were merely forgotten or purged after being forgotten do not count: the
        summary is the gist that outlives them. A summary the user deleted stays deleted."""
        before = before or day_of(self.clock.now().timestamp())
        activity = self.activity()
        days = set(activity) | {day_of(m.when) for m in self.day_summaries()}
        return sorted(d for d in days if d < before and self._stale(d, activity.get(d, [])))

    def _stale(self, day: date, live: list[Memory]) -> bool:
        existing = self.store.find(summary_id(f"day:{day.isoformat()}"))
        if existing is None:
            return bool(live)
        if existing.state in IGNORED_STATES:
            return False
        links = set(existing.links)
        if any(m.id not in links for m in live):
            return True
        return any((m := self.store.find(i)) is not None and ignored(m) for i in links)

    def global_pending(self) -> bool:
        days = self.day_summaries()
        existing = self.store.find(summary_id("global"))
        if not days:
            return existing is not None and existing.state not in IGNORED_STATES
        return existing is None or existing.content_hash != fingerprint(days, "overview")

    # ---------------------------------------------------------------- writing
    def summarize_day(self, day: date, force: bool = False) -> Memory | None:
        """Write the summary of `day` if it is missing or out of date (or `force`); returns it.
        None if the day has nothing left to summarise; a summary whose every detail was
        deleted is deleted with them."""
        memories = self.activity().get(day, [])
        key = summary_id(f"day:{day.isoformat()}")
        existing = self.store.find(key)
        if not memories:
            if existing is not None and existing.state not in IGNORED_STATES:
                self.store.set_state([key], State.DELETED, actor="summaries",
                                     reason="everything it summarised was deleted")
            return None
        if existing is not None and not force and not self._stale(day, memories):
            return existing
        body = self._write_day(day, memories) if self._method() == "model" else self._extract_day(memories)
        text = f"Day summary, {long_day(day)} ({_count(len(memories), 'memory', 'memories')}): {body}"
        start, _ = day_bounds(day)
        return self._save(key, Kind.DAY_SUMMARY, text, fingerprint(memories, "day"), tuple(m.id for m in memories),
                          start + 12 * 3600, f"summary of {day.isoformat()}")

    def days_quoting(self, memory_id: str) -> list[date]:
        return [day_of(m.when) for m in self.day_summaries() if memory_id in m.links]

    def summarize_pending(self, before: date | None = None, cancel=None) -> list[Memory]:
        written = []
        for day in self.pending_days(before):
            if cancel is not None and cancel.is_set():
                break
            summary = self.summarize_day(day)
            if summary is not None:
                written.append(summary)
        return written

    def summarize_global(self) -> Memory | None:
        days = self.day_summaries()
        if not days:
            existing = self._live(summary_id("global"))
            if existing is not None:  # every day summary is gone: so is the overview built on them
                self.store.set_state([existing.id], State.DELETED, actor="summaries",
                                     reason="no day summaries are left")
            return None
        key = summary_id("global")
        digest = fingerprint(days, "overview")
        existing = self.store.find(key)
        if existing is not None and existing.content_hash == digest:
            return existing
        first, last = day_of(days[0].when), day_of(days[-1].when)
        body = self._write_global(days) if self._method() == "model" else self._extract_global(days)
        span = short_day(first) if first == last else f"{short_day(first)} to {short_day(last)}"
        text = f"Overview, {span} ({_count(len(days), 'day', 'days')} with activity): {body}"
        return self._save(key, Kind.GLOBAL_SUMMARY, text, digest, tuple(m.id for m in days), days[-1].when,
                          "global summary")

    # ---------------------------------------------------------------- extractive
    def _extract_day(self, memories: list[Memory]) -> str:
        sentences = [Sentence(s, m, _weight(m, s)) for m in memories for s in split_sentences(m.text)]
        if not sentences:  # only very short messages: quote them as they are
            sentences = [Sentence(clip(" ".join(m.text.split())), m) for m in memories]
        k = min(self.options.day_sentences, max(1, math.ceil(len(sentences) * 0.75)))  # a short day: leave the least
        picked = central(sentences, self.embedder, k, per_origin=2)
        picked.sort(key=lambda s: s.origin.when)
        return SEPARATOR.join(f"{who(s.origin)}: {s.text}" for s in picked)

    def _extract_global(self, days: list[Memory]) -> str:
        """The most central part of each of the most central days, in date order."""
        pieces = []
        for day in days:
            body = day.text.split(": ", 1)[1] if ": " in day.text else day.text
            first = body.split(SEPARATOR)
            pieces += [Sentence(part, day, 0.7 if part.startswith("assistant:") else 1.0)
                       for part in first if part.strip()]
        picked = central(pieces, self.embedder, self.options.global_days, per_origin=1)
        picked.sort(key=lambda s: s.origin.when)
        return "; ".join(f"{short_day(day_of(s.origin.when)).rsplit(' ', 1)[0]}, {s.text}" for s in picked)

    # ---------------------------------------------------------------- by the model
    def capable(self) -> bool:
        """Is the answering model trusted to write summaries? ("auto": 1B weights and up)."""
        choice = self.options.use_model
        if choice == "never":
            return False
        model = self.model_getter()
        if model is None:
            return False
        if choice == "always":
            return True
        try:
            parameters = getattr(model, "parameters", None)
        except Exception:  # the model file is missing or broken: summaries fall back
            return False
        return bool(parameters and parameters >= CAPABLE_PARAMETERS)

    def _method(self) -> str:
        return "model" if self.capable() else "extractive"

    def _generate(self, instruction: str, lines: list[str], max_tokens: int = 160) -> str:
        """The model's text, or "" when it cannot (the caller then falls back to extracting).
        The lines are cut to fit the model's context (about 3 characters a token, to be safe)."""
        model = self.model_getter()
        budget = (getattr(model, "n_ctx", 2048) - max_tokens - len(instruction) // 3 - 64) * 3
        kept, used = [], 0
        for line in lines:
            if used + len(line) + 1 > budget:
                break
            kept.append(line)
            used += len(line) + 1
        messages = [{"role": "system", "content": instruction}, {"role": "user", "content": "\n".join(kept)}]
        try:
            text = "".join(model.stream_chat(messages, max_tokens=max_tokens, cancel=None)).strip()
        except Exception as exc:  # a broken or missing model file, a context overflow...
            log.warning("the model could not write a summary (%s); using the extractive one", exc)
            return ""
        return " ".join(text.split())

    def _write_day(self, day: date, memories: list[Memory]) -> str:
        lines = [f"- {who(m)}: {clip(m.text, 300)}" for m in memories[-40:]]
        text = self._generate(f"Summarize what happened on {long_day(day)} in two or three sentences. "
                              "Keep names, places, plans, dates and preferences.", lines)
        return text or self._extract_day(memories)

    def _write_global(self, days: list[Memory]) -> str:
        lines = [f"- {d.text}" for d in days[-30:]]
        text = self._generate("Summarize these days in three or four sentences: the main events, people and "
                              "interests.", lines, max_tokens=200)
        return text or self._extract_global(days)

    # ---------------------------------------------------------------- storing
    def _live(self, key: str) -> Memory | None:
        found = self.store.find(key)
        return found if found is not None and found.state not in IGNORED_STATES else None

    def _save(self, key: str, kind: str, text: str, digest: str, links: tuple[str, ...], when: float,
              reason: str) -> Memory:
        now = self.clock.now().timestamp()
        memory = Memory(id=key, text=text, kind=str(kind), source=str(Source.MNEMO), created_at=now,
                        event_at=when, importance=1.0, strength=1.0, state=str(State.ACTIVE),
                        content_hash=digest, links=links)
        vector = self.embedder.embed([index_text(memory)])[0]
        existing = self.store.find(key)
        if existing is not None and existing.state in IGNORED_STATES:
            # the user deleted the old summary: the new one starts afresh
            self.store.set_state([key], State.ACTIVE, actor="summaries", reason="regenerated")
        return self.store.upsert(memory.with_changes(vector=vector), actor="summaries", reason=reason)
