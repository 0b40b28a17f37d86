"""Consolidation: the facts of the user's world, distilled from what was said (notes, chat turns,
imports) into durable memories of their own (kind "fact"), each linked to the episodes it came
from. Episodes fade along their curve; the facts they carried stay:

- the same fact said again strengthens it (one fact, several sources in `links`);
- a newer statement that contradicts it (same subject and attribute, another value) supersedes
  it: the old fact is kept with `valid_until` ("until 2026-02-01"), the new one is valid from
  then, and the history says so. What the user typed outranks an import: an imported record
  never supersedes the user's own fact;
- a fact fades far more slowly than an episode (importance 0.9 and up: over a year) and leaves
  only when superseded, deleted with its sources, or unused for very long.

Facts are found by pattern (core/lifecycle/fact_patterns.py) as each memory is saved, so this
works with the bundled 135M model and generates nothing. With a capable model (1B weights and
up) the upkeep job also asks the model (core/lifecycle/fact_model.py) for the facts the patterns
missed, in the memories of some importance saved since its last pass, keeping only values that
are the memory's own words."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import numpy as np

from ..clock import Clock
from ..memory.decay import DecayPolicy, memory_retention
from ..memory.records import (
    USER_SOURCES,
    Kind,
    Memory,
    Source,
    State,
    content_hash,
    new_id,
)
from ..memory.store import MemoryStore
from ..recall.embedder import Embedder
from .extractive import split_sentences
from .fact_patterns import Found, find

log = logging.getLogger(__name__)
FACT_IMPORTANCE = 0.9
WATERMARK = "facts_upto"  # meta: episodes created up to here were consolidated
MODEL_WATERMARK = "facts_model_upto"  # meta: ...and read by a capable model up to here
MODEL_MIN_IMPORTANCE = 0.4  # the model reads memories above small talk (and the assistant's words never)
MODEL_BATCH = 200  # memories the model reads per upkeep run (the rest wait for the next one)
SOURCE_KINDS = frozenset({Kind.NOTE, Kind.TURN})


@dataclass
class ConsolidationReport:
    made: list[Memory] = field(default_factory=list)
    merged: list[Memory] = field(default_factory=list)  # facts said again: strengthened
    superseded: list[Memory] = field(default_factory=list)  # the old facts, now with valid_until


def eligible(memory: Memory) -> bool:
    """What can carry a fact: the user's (or an imported conversation's) statements, not the
    assistant's words, not a question asked in the chat, not what the guard held back."""
    if memory.kind not in SOURCE_KINDS or memory.state in (State.QUARANTINED, State.DELETED):
        return False
    if memory.role == "assistant" or memory.source == Source.ASSISTANT or memory.guard_verdict == "excluded":
        return False
    return not (memory.source == Source.CHAT and memory.text.rstrip().endswith("?"))


def same_value(a: str, b: str) -> bool:
    norm = lambda v: re.sub(r"[^\w]+", " ", v.casefold()).strip()  # noqa: E731
    return norm(a) == norm(b) or norm(a).startswith(norm(b) + " ") or norm(b).startswith(norm(a) + " ")


def _trust(memory: Memory) -> int:
    return 2 if memory.source in USER_SOURCES else 1


class Facts:
    def __init__(self, store: MemoryStore, embedder: Embedder, clock: Clock, policy: DecayPolicy | None = None):
        self.store = store
        self.embedder = embedder
        self.clock = clock
        self.policy = policy or DecayPolicy()

    # ---------------------------------------------------------------- reading
    def all(self, include_superseded: bool = True) -> list[Memory]:
        facts = [m for m in self.store.all(kinds=[Kind.FACT]) if m.state != State.DELETED]
        if not include_superseded:
            facts = [m for m in facts if m.valid_until is None]
        return sorted(facts, key=lambda m: (m.fact_key, m.valid_from or m.when))

    def current(self, key: str) -> Memory | None:
        live = [m for m in self.store.all(kinds=[Kind.FACT])
                if m.fact_key == key and m.valid_until is None and m.state not in (State.DELETED, State.QUARANTINED)]
        return max(live, key=lambda m: m.valid_from or m.when, default=None)

    # ---------------------------------------------------------------- consolidating
    def consolidate(self, memories: list[Memory], progress=None) -> ConsolidationReport:
        """Distil the facts these (stored) memories state; idempotent. `progress(done, total)`:
        how many of the memories were read (a large import's last stage)."""
        report = ConsolidationReport()
        found: list[tuple[Memory, str, Found]] = []
        readable = sorted((m for m in memories if eligible(m)), key=lambda m: m.when)
        for done, memory in enumerate(readable):
            if progress is not None and done % 500 == 0:
                progress(done, len(readable))
            for sentence in self._sentences(memory.text):
                if sentence.rstrip().endswith("?"):
                    continue  # a question states nothing ("Does my sister live in Madrid now?"), imported or not
                for fact in find(sentence, memory.speaker):
                    found.append((memory, sentence, fact))
        if progress is not None and readable:
            progress(len(readable), len(readable))
        if not found:
            return report
        vectors = self._vectors([(m, s) for m, s, _ in found])
        batch = _Batch(self.store)
        for (memory, sentence, fact), vector in zip(found, vectors):
            self._apply(memory, sentence, fact, vector, report, batch)
        batch.save(report)
        return report

    def consolidate_pending(self, cancel=None) -> ConsolidationReport:
        """The upkeep job: episodes created since the last run (all of them, the first time)."""
        upto = float(self.store.meta(WATERMARK) or 0.0)
        pending = [m for m in self.store.all(kinds=SOURCE_KINDS) if m.created_at > upto]
        report = ConsolidationReport()
        for start in range(0, len(pending), 500):
            if cancel is not None and cancel.is_set():
                return report
            part = self.consolidate(pending[start:start + 500])
            report.made += part.made
            report.merged += part.merged
            report.superseded += part.superseded
        if pending:
            self.store.set_meta(WATERMARK, repr(max(m.created_at for m in pending)))
        return report

    def consolidate_with_model(self, finder, cancel=None) -> ConsolidationReport:
        """The facts a capable model finds (`finder.find(text, speaker)`) in episodes saved since
        its last pass, beside the patterns'; MODEL_BATCH at a time, oldest first."""
        upto = float(self.store.meta(MODEL_WATERMARK) or 0.0)
        pending = sorted((m for m in self.store.all(kinds=SOURCE_KINDS) if m.created_at > upto),
                         key=lambda m: m.created_at)[:MODEL_BATCH]
        report = ConsolidationReport()
        done = upto
        for memory in pending:
            if cancel is not None and cancel.is_set():
                break
            if eligible(memory) and memory.importance >= MODEL_MIN_IMPORTANCE:
                text = " ".join(memory.text.split())
                known = {f.key for s in self._sentences(memory.text) for f in find(s, memory.speaker)}
                found = [f for f in finder.find(text, memory.speaker) if f.key not in known]
                batch = _Batch(self.store)
                for fact, vector in zip(found, self._vectors([(memory, text)] * len(found))):
                    self._apply(memory, text, fact, vector, report, batch)
                batch.save(report)
            done = memory.created_at
        if done > upto:
            self.store.set_meta(MODEL_WATERMARK, repr(done))
        return report

    def model_pending(self) -> bool:
        upto = float(self.store.meta(MODEL_WATERMARK) or 0.0)
        return any(m.created_at > upto and m.importance >= MODEL_MIN_IMPORTANCE and eligible(m)
                   for m in self.store.all(kinds=SOURCE_KINDS))

    def pending(self) -> bool:
        upto = float(self.store.meta(WATERMARK) or 0.0)
        return any(m.created_at > upto for m in self.store.all(kinds=SOURCE_KINDS))

    @staticmethod
    def _sentences(text: str) -> list[str]:
        sentences = split_sentences(text, min_words=3)
        return sentences or [" ".join(text.split())]

    def _vectors(self, pairs: list[tuple[Memory, str]]) -> list[np.ndarray]:
        """A fact that is its episode's whole text shares the episode's vector; the others are embedded."""
        out: list[np.ndarray | None] = []
        todo = []
        for i, (memory, sentence) in enumerate(pairs):
            if " ".join(memory.text.split()) == sentence and self.store.row_of(memory.id) is not None:
                out.append(self.store.vector(memory.id))
            else:
                out.append(None)
                todo.append(i)
        if todo:
            texts = [f"{pairs[i][0].speaker}: {pairs[i][1]}" if pairs[i][0].speaker else pairs[i][1] for i in todo]
            for i, vector in zip(todo, self.embedder.embed(texts)):
                out[i] = vector
        return out

    def _apply(self, memory: Memory, sentence: str, fact: Found, vector: np.ndarray,
               report: ConsolidationReport, batch: "_Batch") -> None:
        existing = batch.current(fact.key)
        if existing is not None and memory.id in existing.links:
            return  # already consolidated from this episode
        if existing is not None and (fact.many or same_value(existing.fact_value, fact.value)):
            report.merged.append(batch.put(self._restated(existing, memory), f"said again in {memory.id[:8]}"))
            return
        if existing is not None and memory.when < (existing.valid_from or existing.when):
            return  # an older statement of a value since replaced: the episode keeps it
        if existing is not None and _trust(memory) < _trust(existing):
            return  # an import never supersedes what the user said
        new = self._new(memory, sentence, fact, vector)
        if existing is not None:
            day = _day(new.valid_from)
            report.superseded.append(batch.put(existing.with_changes(valid_until=new.valid_from),
                                               f"superseded by a newer statement ({new.id[:8]}): true until {day}"))
        report.made.append(batch.put(new, f"fact distilled from {memory.id[:8]}"))

    def _new(self, memory: Memory, sentence: str, fact: Found, vector: np.ndarray) -> Memory:
        now = self.clock.now().timestamp()
        importance = max(FACT_IMPORTANCE, memory.importance)
        text = sentence  # the words as said (a fact that is a whole note has the note's text)
        return Memory(
            id=new_id(), text=text, kind=str(Kind.FACT), source=memory.source, created_at=now,
            speaker=memory.speaker, conversation_id=memory.conversation_id, event_at=memory.when,
            importance=importance, strength=self.policy.initial_strength(importance), state=str(State.ACTIVE),
            content_hash=content_hash(text), links=(memory.id,), fact_key=fact.key, fact_value=fact.value,
            valid_from=memory.when, importance_reason=f"a fact ({fact.subject}: {fact.attribute})",
            vector=np.asarray(vector, dtype=np.float32))

    def _restated(self, fact: Memory, memory: Memory) -> Memory:
        """The same fact again: one more source, stronger, its clock restarted."""
        now = self.clock.now().timestamp()
        grown = self.policy.reinforced(fact.strength, memory_retention(fact, now))
        return fact.with_changes(links=tuple(dict.fromkeys((*fact.links, memory.id))), strength=grown,
                                 reinforced_at=now)

    # ---------------------------------------------------------------- the user's say
    def follow_delete(self, memory_id: str) -> list[str]:
        """An episode was deleted: the facts that came only from deleted episodes go with it."""
        gone = []
        for fact in self.store.all(kinds=[Kind.FACT]):
            if memory_id in fact.links and fact.state != State.DELETED:
                sources = [self.store.find(i) for i in fact.links]
                if all(s is None or s.state == State.DELETED for s in sources):
                    gone.append(fact.id)
        if gone:
            self.store.set_state(gone, State.DELETED, actor="user", reason="the memory it came from was deleted")
        return gone

    def follow_undelete(self, memory_id: str) -> list[str]:
        back = [f.id for f in self.store.all(kinds=[Kind.FACT], states=[State.DELETED]) if memory_id in f.links]
        if back:
            self.store.set_state(back, State.ACTIVE, actor="user", reason="the memory it came from is back")
        return back

    def newer_than(self, memories: list[Memory]) -> dict[str, Memory]:
        """For each of `memories` that states a value since replaced (a superseded fact, or the
        episode it came from), the current fact that replaced it."""
        facts = [f for f in self.store.all(kinds=[Kind.FACT]) if f.state not in (State.DELETED, State.QUARANTINED)]
        old = [f for f in facts if f.valid_until is not None]
        if not old:
            return {}
        current: dict[str, Memory] = {}
        for fact in facts:
            if fact.valid_until is None and (fact.fact_key not in current or
                                             (fact.valid_from or fact.when) > (current[fact.fact_key].valid_from or 0)):
                current[fact.fact_key] = fact
        wanted = {m.id for m in memories}
        out: dict[str, Memory] = {}
        for fact in old:
            new = current.get(fact.fact_key)
            if new is None:
                continue
            for memory_id in (fact.id, *fact.links):
                if memory_id in wanted and memory_id != new.id and memory_id not in new.links:
                    out[memory_id] = new
        return out

    def made_from(self, memory_id: str) -> list[Memory]:
        return [f for f in self.store.all(kinds=[Kind.FACT]) if memory_id in f.links]

    def reopened(self, removed: list[Memory]) -> list[tuple[str, dict, str]]:
        """The facts `removed` had superseded, once they are gone (their episode's words were
        edited): each holds again as long as the removed one did, (id, changes, reason)."""
        gone = {f.id for f in removed}
        others = [f for f in self.store.all(kinds=[Kind.FACT]) if f.id not in gone]
        until: dict[str, float | None] = {}
        for dropped in sorted((f for f in removed if f.valid_from is not None), key=lambda f: f.valid_from):
            for fact in others:
                end = until.get(fact.id, fact.valid_until)
                if fact.fact_key == dropped.fact_key and end is not None and end == dropped.valid_from:
                    until[fact.id] = dropped.valid_until
        return [(i, {"valid_until": end}, "holds again: the statement that replaced it was edited")
                for i, end in until.items()]


def _day(seconds: float | None) -> str:
    from ..days import day_of

    return day_of(seconds).isoformat() if seconds is not None else "?"


__all__ = ["ConsolidationReport", "Facts"]


class _Batch:
    """The facts one consolidation pass makes and changes, saved in one write at its end (one
    write per fact made a 50,000-message import's consolidation take most of an hour). It keeps
    the current fact of each key as the pass changes them."""

    def __init__(self, store: MemoryStore):
        self.store = store
        self._current: dict[str, Memory] | None = None
        self.items: list[tuple[Memory, str]] = []

    def current(self, key: str) -> Memory | None:
        if self._current is None:
            self._current = {}
            for m in self.store.all(kinds=[Kind.FACT]):
                if m.valid_until is None and m.state not in (State.DELETED, State.QUARANTINED):
                    held = self._current.get(m.fact_key)
                    if held is None or (m.valid_from or m.when) > (held.valid_from or held.when):
                        self._current[m.fact_key] = m
        return self._current.get(key)

    def put(self, memory: Memory, reason: str) -> Memory:
        if memory.vector is None:
            memory = memory.with_changes(vector=self.store.vector(memory.id))
        self.items.append((memory, reason))
        if self._current is not None and memory.fact_key:
            if memory.valid_until is None:
                self._current[memory.fact_key] = memory
            elif self._current.get(memory.fact_key) is not None and self._current[memory.fact_key].id == memory.id:
                del self._current[memory.fact_key]
        return memory

    def save(self, report: ConsolidationReport) -> None:
        """One write; the report then holds the records as stored."""
        if not self.items:
            return
        stored = {m.id: m for m in self.store.save_batch(self.items, actor="consolidation")}
        for group in (report.made, report.merged, report.superseded):
            group[:] = [stored.get(m.id, m) for m in group]
