"""Forgetting as a service: the decay sweep, reinforcement on recall, restore and purge, and
what the "Memory health" view shows. The curve itself is in core/memory/decay.py."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np

from ..clock import Clock
from ..errors import InvalidInputError
from ..memory.decay import (
    DAY,
    DECAYING_KINDS,
    DecayPolicy,
    SweepResult,
    anchor,
    curve,
    decays,
    memory_retention,
    plan_sweep,
)
from ..memory.records import Kind, Memory, State, counted
from ..memory.store import MemoryStore

_STATE_OF_CODE = {1: State.ACTIVE, 2: State.FADING, 3: State.FORGOTTEN}
FACT_SOON_DAYS = 30
LAST_SWEEP = "last_sweep_at"
AWAY_DAYS = 7.0  # a sweep this long after the previous one reports what it did (core/lifecycle/review.py)


@dataclass(frozen=True)
class Fading:
    memory: Memory
    retention: float
    days_left: float  # until it is forgotten, if never recalled


@dataclass(frozen=True)
class Health:
    counts: dict[str, int]  # state -> number of turns and notes (deleted left out; summaries do not fade)
    fading_soon: list[Fading]  # decaying memories that will be forgotten soonest
    forgotten: list[Memory]
    pinned: list[Memory]
    last_sweep_at: float | None
    to_review: list[Fading] = field(default_factory=list)  # of some importance, forgotten within a week
    total: dict[str, int] = field(default_factory=dict)  # {"memories": n, "facts": f} (records.counted)


class Forgetting:
    def __init__(self, store: MemoryStore, clock: Clock, policy: DecayPolicy | None = None):
        self.store = store
        self.clock = clock
        self.policy = policy or DecayPolicy()
        self._sweeping = threading.Lock()

    def now(self) -> float:
        return self.clock.now().timestamp()

    def retention(self, memory: Memory) -> float:
        return memory_retention(memory, self.now())

    # ---------------------------------------------------------------- sweep
    def plan(self) -> SweepResult:
        """What a sweep would change now (nothing is written): one vectorised pass."""
        started = time.perf_counter()
        cols = self.store.columns()
        _, target = plan_sweep(self.policy, cols["swept"], cols["decays"], cols["strength"], cols["anchor"],
                               self.now())
        changes: dict[str, list[str]] = {}
        for code, state in _STATE_OF_CODE.items():
            rows = np.flatnonzero((target == code) & (cols["state_code"] != code))
            if len(rows):
                changes[state] = [str(i) for i in cols["ids"][rows]]
        return SweepResult(len(cols["ids"]), changes, time.perf_counter() - started)

    def sweep(self) -> SweepResult | None:
        """Move memories between active, fading and forgotten by their retention now.
        Deterministic (only the data and the clock decide) and idempotent. Returns None
        when a sweep is already running (it is never run twice at once)."""
        if not self._sweeping.acquire(blocking=False):
            return None
        try:
            started = time.perf_counter()
            plan = self.plan()
            now = self.now()
            last = self.last_sweep_at()
            away = (now - last) / DAY if last is not None and now - last >= AWAY_DAYS * DAY else None
            for state, ids in plan.changes.items():
                # re-checked at the moment of writing: a pin, delete or recall since the plan wins
                still = (lambda m, state=state: m.state in (State.ACTIVE, State.FADING) and decays(m)
                         and self.policy.state_for(memory_retention(m, now)) == state)
                self.store.set_state(ids, state, actor="decay", reason=self._why(state), only_if=still)
            self.store.set_meta(LAST_SWEEP, repr(self.now()))
            return SweepResult(plan.checked, plan.changes, time.perf_counter() - started, away)
        finally:
            self._sweeping.release()

    def _why(self, state: str) -> str:
        p = self.policy
        if state == State.FORGOTTEN:
            return f"retention fell below {p.forget_below:.2f}: forgotten (restore it to bring it back)"
        if state == State.FADING:
            return f"retention fell below {p.fading_below:.2f}: fading"
        return f"retention is back above {p.fading_below:.2f}"

    def last_sweep_at(self) -> float | None:
        value = self.store.meta(LAST_SWEEP)
        return float(value) if value else None

    # ---------------------------------------------------------------- changes
    def reinforce(self, memory_ids: list[str], reason: str, actor: str = "assistant") -> None:
        """Memories placed in an answer's prompt (or kept at a review) grow stronger and start a
        fresh curve."""
        records = [m for m in (self.store.find(i) for i in memory_ids) if m is not None]
        now = self.now()
        strengths = {m.id: self.policy.reinforced(m.strength, memory_retention(m, now))
                     if m.kind in DECAYING_KINDS else m.strength for m in records}
        self.store.reinforce([m.id for m in records], strengths, actor=actor, reason=reason)
        revived = [m.id for m in records if m.state in (State.FADING, State.FORGOTTEN)]
        if revived:  # a forgotten memory a strong cue brought back is remembered again
            self.store.set_state(revived, State.ACTIVE, actor="decay", reason=reason,
                                 only_if=lambda m: m.state in (State.FADING, State.FORGOTTEN))

    def restore(self, memory_id: str) -> Memory:
        memory = self.store.get(memory_id)
        if memory.state not in (State.FORGOTTEN, State.FADING):
            raise InvalidInputError(f"Memory {memory_id} is {memory.state}, not forgotten or fading; "
                                    "there is nothing to restore.")
        restored = self.store.restore([memory_id], State.ACTIVE, actor="user", reason="restored by the user",
                                      only_if=lambda m: m.state in (State.FORGOTTEN, State.FADING))
        return restored[0] if restored else self.store.get(memory_id)

    def unpin(self, memory_id: str) -> Memory:
        """Let a pinned memory fade again, starting from full retention (not from its capture)."""
        changed = self.store.restore([memory_id], State.ACTIVE, actor="user", reason="unpinned by the user",
                                     only_if=lambda m: m.state == State.PINNED)
        return changed[0] if changed else self.store.get(memory_id)

    def purge(self, memory_id: str) -> None:
        memory = self.store.get(memory_id)
        if memory.state not in (State.FORGOTTEN, State.DELETED):
            raise InvalidInputError(f"Memory {memory_id} is {memory.state}; only forgotten or deleted "
                                    "memories can be purged. Delete it first.")
        self.store.purge([memory_id], actor="user", reason="purged by the user",
                         only_if=lambda m: m.state in (State.FORGOTTEN, State.DELETED))

    # ---------------------------------------------------------------- views
    def health(self, fading_limit: int = 50) -> Health:
        now = self.now()
        records = self.store.all()
        counts: dict[str, int] = {}
        fading: list[Fading] = []
        for m in records:
            if m.state == State.DELETED or m.kind not in DECAYING_KINDS:
                continue
            counts[m.state] = counts.get(m.state, 0) + 1
            if m.state in (State.ACTIVE, State.FADING) and decays(m):
                age = (now - anchor(m)) / DAY
                left = self.policy.days_until(self.policy.forget_below, m.strength, age)
                if m.kind == Kind.FACT and left > FACT_SOON_DAYS:
                    continue  # facts fade over years: listed only when it is close
                fading.append(Fading(m, memory_retention(m, now), left))
        fading.sort(key=lambda f: f.days_left)
        return Health(
            counts=counts,
            fading_soon=fading[:fading_limit],
            forgotten=sorted((m for m in records if m.state == State.FORGOTTEN), key=anchor),
            pinned=[m for m in records if m.state == State.PINNED],
            last_sweep_at=self.last_sweep_at(),
            total=counted(records),
        )

    def curve(self, memory_id: str, days_ahead: float = 30, points: int = 120) -> list[tuple[float, float]]:
        """(epoch seconds, retention) from capture to `days_ahead` days from now, with each
        recall or restore in the memory's history shown as a reset."""
        memory = self.store.get(memory_id)
        events = []
        for entry in self.store.history(memory_id):
            if entry.action == "recalled":
                events.append((entry.at, True))
            elif (entry.action == "state" and entry.actor == "user" and entry.to_state == State.ACTIVE
                  and entry.from_state in (State.FORGOTTEN, State.FADING)):
                events.append((entry.at, False))
        return curve(memory, self.policy, events, self.now() + days_ahead * DAY, points)
