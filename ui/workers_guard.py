"""The bridge's calls for the memory guard: what it holds back (quarantined on arrival, kept
out of an answer), what each flagged memory disagreed with, the lessons it learnt, and the
user's say (release a false alarm).

Mixed into `MnemoBridge` (ui/workers.py), which owns the signals, the thread pool and the
`_post` mechanism. Every call runs `Mnemo` on a worker; callbacks run on the GUI thread.
Whatever changes memories is followed by `memories_changed`. Pin and delete go through
`change()` like everywhere else."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.mnemo import Mnemo

Callback = Callable[..., Any] | None


@dataclass(frozen=True)
class GuardShelf:
    """What the Guard view shows, read in one go."""

    quarantined: list = field(default_factory=list)  # screened on arrival, newest first
    excluded: list = field(default_factory=list)  # kept out of an answer, newest first
    conflicts: dict = field(default_factory=dict)  # memory id -> the memories it disagreed with
    lessons: list = field(default_factory=list)  # attack and false-alarm lessons, newest first

    @property
    def flagged(self) -> list:
        return [*self.quarantined, *self.excluded]


def _shelf(mnemo: Mnemo) -> GuardShelf:
    quarantined, excluded = mnemo.quarantined(), mnemo.excluded()
    conflicts = {m.id: mnemo.linked(m) for m in (*quarantined, *excluded) if m.links}
    return GuardShelf(quarantined, excluded, conflicts, mnemo.lessons())


class GuardCalls:
    """Needs from its host: call(), memories_changed."""

    def guard_shelf(self, on_done: Callback, on_error: Callback = None) -> None:
        """on_done(GuardShelf): quarantined and excluded memories, their conflicts, the lessons."""
        self.call(_shelf, on_done, on_error)

    def release(self, memory_id: str, on_done: Callback = None, on_error: Callback = None) -> None:
        """The user says the guard's flag was wrong: the memory takes part again and the guard
        learns a false-alarm lesson; on_done(the released memory)."""
        def done(memory) -> None:
            self.memories_changed.emit()
            if on_done is not None:
                on_done(memory)

        self.call(lambda m: m.release(memory_id), done, on_error)
