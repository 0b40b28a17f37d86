"""The memory guard: screening on write, consensus at answer time, lessons, the user's say.

- `screen` runs before a clipboard or imported record is stored: instructions aimed at the
  assistant, or a record like one a lesson was learnt from, go to quarantine with the reason.
- `check` runs on the memories retrieved for a question (core/guard/consensus.py) and says
  which stay out of the prompt and why; `record` keeps those verdicts on the records and
  learns a lesson from each.
- `release` is the user saying a flag was wrong: the record is trusted again and a
  false-alarm lesson keeps records like it from being flagged.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from ..clock import Clock
from ..errors import InvalidInputError, NotFoundError
from ..memory.records import RETRIEVABLE_STATES, Kind, Memory, State, base_source
from ..memory.store import MemoryStore
from ..recall.embedder import Embedder
from ..recall.retrieval import Hit
from .consensus import (
    CONFLICT_SIMILARITY,
    GUARDED_KINDS,
    Flag,
    Verdicts,
    check_structure,
    check_with_model,
    from_user,
)
from .lessons import ATTACK, FALSE_ALARM, Lessons
from .prototypes import InstructionPrototypes
from .rules import instruction_reason

SCREENED_SOURCES = frozenset({"clipboard", "import", "agent"})
QUARANTINED = "quarantined"
EXCLUDED = "excluded"
RELEASED = "released"


@dataclass
class GuardReport:
    kept: list[Hit]
    flags: list[Flag] = field(default_factory=list)
    superseded: list[tuple[Memory, Memory]] = field(default_factory=list)  # (older, newer)
    lessons: list[Memory] = field(default_factory=list)
    method: str = "off"


class MemoryGuard:
    def __init__(self, store: MemoryStore, embedder: Embedder, clock: Clock,
                 model_ask: Callable[[], Callable[[str], str] | None] = lambda: None, enabled: bool = True):
        """`model_ask()` gives a function that asks the local model, or None when the model is
        not capable enough to write reasoning paths (the structure method is used then)."""
        self.store = store
        self.embedder = embedder
        self.clock = clock
        self.lessons = Lessons(store, embedder, clock)
        self.prototypes = InstructionPrototypes(embedder.embed)
        self.model_ask = model_ask
        self.enabled = enabled

    # ---------------------------------------------------------------- on write
    def screen(self, memory: Memory) -> Memory:
        """The record as it should be stored: unchanged, or quarantined with the reason."""
        if not self.enabled or base_source(memory.source) not in SCREENED_SOURCES:
            return memory
        vector = np.asarray(memory.vector, dtype=np.float32)
        if self.lessons.like(vector, FALSE_ALARM) is not None:
            return memory
        reason = instruction_reason(memory.text) or self.prototypes.reason(vector)
        if reason:
            why = f"It {reason}."
        else:
            lesson = self.lessons.like(vector, ATTACK)
            if lesson is None:
                return memory
            why = f"It resembles a record the guard kept out before: {lesson.guard_reason}"
        return memory.with_changes(state=str(State.QUARANTINED), guard_verdict=QUARANTINED, guard_reason=why)

    def stored(self, memories: list[Memory]) -> None:
        """After a write: each record quarantined on arrival is a failure caught, and a lesson."""
        for m in memories:
            if m.state == State.QUARANTINED and m.guard_verdict == QUARANTINED:
                self.lessons.learn(m, m.guard_reason, m.text, ATTACK)

    # ---------------------------------------------------------------- at answer time
    def check(self, question: str, hits: list[Hit], question_vector: np.ndarray | None = None) -> GuardReport:
        if not self.enabled or not hits:
            return GuardReport(kept=list(hits))
        hits = [h for h in hits if self.store.find(h.memory.id) is not None]  # purged meanwhile
        memories = [h.memory for h in hits]
        ask = self.model_ask()
        if ask is not None:
            verdicts = check_with_model(question, memories, ask, self.embedder.embed, spared=self._spared)
        else:
            # what the user said near each outside record belongs to the consensus too, even
            # when the question's wording did not retrieve it
            peers = self._peers(memories)
            everything = memories + peers
            vectors = np.stack([self._vector(m) for m in everything])
            verdicts = check_structure(question, everything, vectors, spared=self._spared)
            shown = {m.id for m in memories}
            verdicts.flags = [f for f in verdicts.flags if f.memory.id in shown]
            verdicts.superseded = [(old, new) for old, new in verdicts.superseded if old.id in shown]
        self._lesson_flags(memories, verdicts)
        verdicts.flags = [replace(f, conflicts=self._without_echoes(f.conflicts)) for f in verdicts.flags]
        out = verdicts.excluded_ids()
        qvec = question_vector if question_vector is not None else self.embedder.embed([question])[0]
        return GuardReport(kept=[h for h in hits if h.memory.id not in out], flags=verdicts.flags,
                           superseded=verdicts.superseded, lessons=self.lessons.for_question(qvec),
                           method=verdicts.method)

    def _peers(self, memories: list[Memory], per_record: int = 5) -> list[Memory]:
        """The user's own memories closest in meaning to each outside record among `memories`."""
        outside = [m for m in memories if not from_user(m) and m.kind in GUARDED_KINDS]
        if not outside:
            return []
        ids, matrix = self.store.snapshot()
        have = {m.id for m in memories}
        found: dict[str, Memory] = {}
        for m in outside:
            scores = matrix @ self._vector(m)
            for row in np.argsort(-scores)[: per_record * 4]:
                if scores[row] < CONFLICT_SIMILARITY or len(found) >= per_record * len(outside):
                    break
                peer = self.store.find(ids[row])
                if (peer is not None and peer.id not in have and from_user(peer)
                        and peer.kind in GUARDED_KINDS and peer.state in RETRIEVABLE_STATES):
                    found[peer.id] = peer
        return list(found.values())

    def _without_echoes(self, ids: tuple[str, ...]) -> tuple[str, ...]:
        """A fact and the note it came from say the same: the note is named once, not twice."""
        present = set(ids)
        out = []
        for memory_id in ids:
            memory = self.store.find(memory_id)
            if memory is not None and memory.kind == Kind.FACT and present & set(memory.links):
                continue
            out.append(memory_id)
        return tuple(out)

    def _vector(self, memory: Memory) -> np.ndarray:
        """The stored vector, or the text embedded again when the record went meanwhile."""
        try:
            return self.store.vector(memory.id)
        except KeyError:
            return self.embedder.embed([memory.text])[0]

    def _spared(self, memory: Memory) -> bool:
        return memory.guard_verdict == RELEASED

    def _lesson_flags(self, memories: list[Memory], verdicts: Verdicts) -> None:
        """A record like one a lesson was learnt from is kept out even without a consensus."""
        flagged = {f.memory.id for f in verdicts.flags}
        for m in memories:
            if m.id in flagged or from_user(m) or self._spared(m) or m.kind not in GUARDED_KINDS:
                continue
            vector = self._vector(m)
            if self.lessons.like(vector, FALSE_ALARM) is not None:
                continue
            lesson = self.lessons.like(vector, ATTACK)
            if lesson is not None:
                verdicts.flags.append(Flag(m, f"It resembles a record kept out before: {lesson.guard_reason}",
                                           tuple(lesson.links[1:]), "lesson"))

    def record(self, question: str, report: GuardReport) -> None:
        """Keep each verdict on its record and learn a lesson from it."""
        for flag in report.flags:
            if flag.memory.guard_verdict == EXCLUDED:
                continue  # already kept out and learnt from: the first theme stays
            try:
                marked = self.store.set_guard(flag.memory.id, EXCLUDED, flag.reason, flag.conflicts,
                                     only_if=lambda m: m.guard_verdict != RELEASED)
            except NotFoundError:  # purged while the answer was written: nothing to mark
                continue
            if marked is None:  # released meanwhile: the user's word stands
                continue
            self.lessons.learn(flag.memory, flag.reason, question, ATTACK, flag.conflicts)

    # ---------------------------------------------------------------- the user's say
    def release(self, memory_id: str) -> Memory:
        """The flag was wrong: the record takes part again and is not flagged again."""
        memory = self.store.get(memory_id)
        if memory.state == State.DELETED or (memory.state != State.QUARANTINED and memory.guard_verdict != EXCLUDED):
            raise InvalidInputError("That memory was not held back by the guard; there is nothing to release.")
        reason = memory.guard_reason or "flagged by the guard"
        state = State.ACTIVE if memory.state == State.QUARANTINED else memory.state
        released = self.store.set_guard(memory_id, RELEASED, f"Released by the user (was: {reason})", (),
                                        state=state, actor="user")
        self.lessons.retire(memory_id, ATTACK, "the user released the record it was learnt from")
        self.lessons.learn(memory, reason, memory.text, FALSE_ALARM)
        for fact in self.store.all(kinds=[Kind.FACT]):  # the facts it stated are trusted again with it
            if memory_id in fact.links and (fact.state == State.QUARANTINED or fact.guard_verdict == EXCLUDED):
                self.store.set_guard(fact.id, RELEASED, f"Released with {memory_id[:8]} by the user", (),
                                     state=State.ACTIVE if fact.state == State.QUARANTINED else fact.state,
                                     actor="user")
        return released or self.store.get(memory_id)

    def quarantined(self) -> list[Memory]:
        return self._newest(m for m in self.store.all(states=[State.QUARANTINED]))

    def excluded(self) -> list[Memory]:
        return self._newest(m for m in self.store.all() if m.guard_verdict == EXCLUDED
                            and m.state not in (State.QUARANTINED, State.DELETED))

    @staticmethod
    def _newest(memories) -> list[Memory]:
        return sorted(memories, key=lambda m: m.created_at, reverse=True)
