"""The bridge's calls for the Memories tab's editing: one action on several memories at once
(pin, unpin, delete, undelete, restore) and new words for a memory.

Mixed into `MnemoBridge` (ui/workers.py), which owns the signals, the thread pool and `call`.
Every call runs `Mnemo` on a worker; callbacks run on the GUI thread; whatever changed
memories is followed by `memories_changed`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.mnemo import Mnemo

Callback = Callable[..., Any] | None
MANY_ACTIONS = ("pin", "unpin", "delete", "undelete", "restore")


@dataclass
class Done:
    """What an action on several memories did: the ids it changed, and the error that stopped
    it (the ones before it are done)."""

    action: str
    ids: list[str] = field(default_factory=list)
    error: BaseException | None = None


class MemoriesCalls:
    """Needs from its host: call(), memories_changed."""

    def act_on(self, action: str, memory_ids: list[str], on_done: Callback = None) -> None:
        """Pin, unpin, delete, undelete or restore each memory, in one worker job; on_done(Done)."""
        if action not in MANY_ACTIONS:
            raise ValueError(f"unknown memory action {action!r}")
        ids = list(dict.fromkeys(memory_ids))

        def run(mnemo: "Mnemo") -> Done:
            done = Done(action)
            for memory_id in ids:
                try:
                    getattr(mnemo, action)(memory_id)
                except Exception as exc:  # noqa: BLE001 - said to the user with what was done
                    done.error = exc
                    break
                done.ids.append(memory_id)
            return done

        def finished(done: Done) -> None:
            if done.ids:
                self.memories_changed.emit()
            if on_done is not None:
                on_done(done)

        self.call(run, finished, lambda exc: finished(Done(action, [], exc)))

    def edit(self, memory_id: str, text: str, on_done: Callback = None, on_error: Callback = None) -> None:
        """New words for a memory: on_done((memory before, memory after))."""
        def run(mnemo: "Mnemo"):
            before = mnemo.store.get(memory_id)
            return before, mnemo.edit(memory_id, text)

        def done(result) -> None:
            before, after = result
            if after.text != before.text:
                self.memories_changed.emit()
            if on_done is not None:
                on_done(result)

        self.call(run, done, on_error)
