"""Forgetting and reinforcement after Ebbinghaus, as MemoryBank defines it.

Retention R = exp(-Δt / S), where Δt is the time in DAYS since the memory was last
reinforced (captured, recalled into an answer, or restored) and S is its strength in days.
A larger S means a slower fade: after S days an unreinforced memory keeps 37%.
(MemoryBank's public code writes `exp(-t / 5*S)`, which Python reads as `exp(-(t/5)*S)`, so
stronger memories would fade faster there; tests/core/memory/test_decay.py pins the right way.)

- Initial strength comes from importance (0..1), log-linearly: S0 = min_days * (max_days / min_days) ** importance
  (see `DecayPolicy.initial_strength`: small talk about 2 days, a saved note 141, health 525).
- Each recall into an answer resets Δt to 0 and grows S by the spacing effect:
  S <- S * (1 + (recall_growth - 1) * (1 - R)), R being the retention at the moment of recall.
  Recalling a half-forgotten memory strengthens it most; ten recalls in one conversation
  (R ~ 1 each time) barely add to one, so strength cannot explode.
- Below `fading_below` a memory is "fading"; below `forget_below` it is "forgotten": kept,
  but out of ordinary retrieval until the user restores it. Pinned memories never fade;
  summaries, the portrait and lessons do not decay (they are the gist that remains)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .records import Kind, Memory, State

DAY = 86_400.0
MIN_PACE, MAX_PACE = 0.25, 4.0  # how much shorter or longer than designed the user may have memories kept
PACE_KEY = "decay_pace"  # store meta: the pace the stored strengths were set with
DECAYING_KINDS = frozenset({Kind.TURN, Kind.NOTE, Kind.FACT})
# States the sweep moves between; pinned, quarantined, forgotten and deleted stay put.
SWEPT_STATES = frozenset({State.ACTIVE, State.FADING})


@dataclass(frozen=True)
class DecayPolicy:
    min_strength_days: float = 1.0
    max_strength_days: float = 730.0
    recall_growth: float = 2.0
    fading_below: float = 0.5
    forget_below: float = 0.1
    retention_weight: float = 0.3  # how much retention shapes ranking among relevant memories
    pace: float = 1.0  # the user's "keep memories longer" (2: twice as long as designed); scales strength

    def __post_init__(self) -> None:
        if not 0 < self.min_strength_days <= self.max_strength_days:
            raise ValueError("strength in days must satisfy 0 < min_strength_days <= max_strength_days")
        if self.recall_growth < 1:
            raise ValueError("recall_growth must be at least 1 (a recall never weakens a memory)")
        if not 0 <= self.forget_below < self.fading_below <= 1:
            raise ValueError("thresholds must satisfy 0 <= forget_below < fading_below <= 1")
        if not 0 <= self.retention_weight <= 1:
            raise ValueError("retention_weight must lie between 0 and 1")
        if not MIN_PACE <= self.pace <= MAX_PACE:
            raise ValueError(f"pace must lie between {MIN_PACE} and {MAX_PACE}")

    def initial_strength(self, importance: float) -> float:
        """Log-linear in importance: min at 0, max at 1, each step of importance multiplies the
        strength (defaults: small talk 0.1 -> 1.9 days, an everyday detail 0.45 -> 20 days, a note
        you save 0.75 -> 141 days, health 0.95 -> 525 days)."""
        importance = min(1.0, max(0.0, float(importance)))
        return float(self.pace * self.min_strength_days * (self.max_strength_days / self.min_strength_days)
                     ** importance)

    def reinforced(self, strength: float, retention_now: float = 0.0) -> float:
        """Strength after a recall made when the memory's retention was `retention_now`."""
        r = min(1.0, max(0.0, float(retention_now)))
        return float(strength) * (1.0 + (self.recall_growth - 1.0) * (1.0 - r))

    def state_for(self, retention: float) -> str:
        if retention < self.forget_below:
            return State.FORGOTTEN
        return State.FADING if retention < self.fading_below else State.ACTIVE

    def days_until(self, threshold: float, strength: float, age_days: float) -> float:
        """Days from now until retention falls below `threshold` (0 if it already has)."""
        return max(0.0, -float(strength) * float(np.log(threshold)) - age_days)


def retention(strength: np.ndarray | float, age_days: np.ndarray | float) -> np.ndarray | float:
    """R = exp(-Δt / S); vectorised over arrays."""
    strength = np.maximum(np.asarray(strength, dtype=np.float64), 1e-9)
    age = np.maximum(np.asarray(age_days, dtype=np.float64), 0.0)
    result = np.exp(-age / strength)
    return float(result) if result.ndim == 0 else result


def anchor(memory: Memory) -> float:
    """When the memory was last reinforced (its Δt counts from here)."""
    return memory.reinforced_at if memory.reinforced_at is not None else memory.created_at


def decays(memory: Memory) -> bool:
    return memory.kind in DECAYING_KINDS and memory.state != State.PINNED


def memory_retention(memory: Memory, now: float) -> float:
    """The memory's retention at epoch-second `now` (1.0 for what does not decay)."""
    if not decays(memory):
        return 1.0
    return retention(memory.strength, (now - anchor(memory)) / DAY)


def curve(memory: Memory, policy: DecayPolicy, events: list[tuple[float, bool]], until: float,
          points: int = 120) -> list[tuple[float, float]]:
    """The retention of `memory` over time, from its capture to `until` (epoch seconds).
    `events` are its reinforcements in time order as (time, grew): a recall grows the
    strength, a restore only resets the clock. Each resets the curve: a saw-tooth."""
    start = memory.created_at
    if until <= start or not decays(memory):
        return [(start, 1.0), (max(until, start), 1.0)]
    strength = policy.initial_strength(memory.importance)
    steps = [(start, strength)]
    for at, grew in events:
        if grew:
            last_at, last_s = steps[-1]
            strength = policy.reinforced(last_s, retention(last_s, (at - last_at) / DAY))
        steps.append((at, strength))
    times = np.union1d(np.linspace(start, until, points), [at for at, _ in steps if at <= until])
    out = []
    for t in times:
        at, s = [step for step in steps if step[0] <= t][-1]
        out.append((float(t), float(retention(s, (t - at) / DAY))))
    return out


@dataclass(frozen=True)
class SweepResult:
    checked: int
    changes: dict[str, list[str]]  # new state -> memory ids
    seconds: float
    away_days: float | None = None  # set when the previous sweep was long ago (the user was away)

    @property
    def changed(self) -> int:
        return sum(len(ids) for ids in self.changes.values())


def plan_sweep(policy: DecayPolicy, states: np.ndarray, kinds_decay: np.ndarray, strength: np.ndarray,
               anchors: np.ndarray, now: float) -> tuple[np.ndarray, np.ndarray]:
    """One vectorised pass over the store's columns: (retention, new state code per row).
    State codes: 0 = unchanged, 1 = active, 2 = fading, 3 = forgotten."""
    r = retention(strength, (now - anchors) / DAY)
    swept = kinds_decay & states
    target = np.where(r < policy.forget_below, 3, np.where(r < policy.fading_below, 2, 1))
    return r, np.where(swept, target, 0)


def kept_days(policy: DecayPolicy, importance: float) -> float:
    """How many days a memory of this importance is kept when it is never used: until its
    retention falls below the forgetting threshold (each use keeps it longer)."""
    return policy.days_until(policy.forget_below, policy.initial_strength(importance), 0.0)
