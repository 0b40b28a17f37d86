"""Forgetting you can see coming, and hear about afterwards.

- Before memories of some importance are forgotten, they are offered for review ("12 memories
  will be forgotten this week: keep them?"): the Health view lists them, the app notifies, and
  `mnemo review` prints them. Keeping one is a rehearsal: it grows stronger and starts a fresh
  curve, as a recall would (the spacing effect).
- Small talk and everyday details (importance below REVIEW_IMPORTANCE) fade without asking.
- The first sweep after a long absence says what it did (`away_message`)."""
from __future__ import annotations

from dataclasses import dataclass

from ..memory.decay import DAY, SweepResult, anchor, decays, memory_retention
from ..memory.records import Kind, State
from .forgetting import Fading, Forgetting

REVIEW_IMPORTANCE = 0.5  # an everyday detail is 0.45, a saved note at least 0.75
REVIEW_DAYS = 7.0


@dataclass(frozen=True)
class Review:
    due: list[Fading]  # soonest first
    days: float

    @property
    def message(self) -> str:
        if not self.due:
            return "Nothing of importance will be forgotten this week."
        n = len(self.due)
        what = "1 memory" if n == 1 else f"{n:,} memories"
        when = "this week" if self.days == REVIEW_DAYS else f"in the next {self.days:g} days"
        return f"{what} will be forgotten {when}: keep {'it' if n == 1 else 'them'}?"


def review(forgetting: Forgetting, days: float = REVIEW_DAYS, min_importance: float = REVIEW_IMPORTANCE) -> Review:
    """The memories of some importance that will be forgotten within `days` if nothing recalls
    them (already-forgotten ones are in Health's forgotten list, with Restore)."""
    now = forgetting.now()
    policy = forgetting.policy
    due = []
    for m in forgetting.store.all(kinds=[Kind.TURN, Kind.NOTE, Kind.FACT], states=[State.ACTIVE, State.FADING]):
        if not decays(m) or m.importance < min_importance or m.valid_until is not None:
            continue  # a superseded fact is history; it may fade
        left = policy.days_until(policy.forget_below, m.strength, (now - anchor(m)) / DAY)
        if left <= days:
            due.append(Fading(m, memory_retention(m, now), left))
    due.sort(key=lambda f: f.days_left)
    return Review(due, days)


def keep(forgetting: Forgetting, memory_ids: list[str]) -> None:
    """Kept at review: stronger, and its forgetting clock restarted."""
    if memory_ids:
        forgetting.reinforce(list(memory_ids), reason="kept by you at a review", actor="user")


def away_message(result: SweepResult | None, forgetting: Forgetting) -> str | None:
    """What the first sweep after a long absence did, in a sentence (None after a usual sweep)."""
    if result is None or result.away_days is None:
        return None
    days = round(result.away_days)
    faded = len(result.changes.get(State.FADING, []))
    forgotten = result.changes.get(State.FORGOTTEN, [])
    if not faded and not forgotten:
        return f"Welcome back: {days} days since the last look at your memory, and nothing was forgotten."
    records = [m for m in (forgetting.store.find(i) for i in forgotten) if m is not None]
    important = sum(1 for m in records if m.importance >= REVIEW_IMPORTANCE)
    parts = []
    if faded:
        parts.append(f"{faded:,} began to fade")
    if forgotten:
        kind = f" ({important:,} of some importance)" if important else " (none of importance)"
        parts.append(f"{len(forgotten):,} {'was' if len(forgotten) == 1 else 'were'} forgotten{kind}")
    return f"Welcome back: in the {days} days since the last look at your memory, " + " and ".join(parts) + "."


__all__ = ["REVIEW_DAYS", "REVIEW_IMPORTANCE", "Review", "away_message", "keep", "review"]
