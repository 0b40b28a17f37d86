"""The bridge's calls for the chat's history and corrections: the conversations held before
(listed newest first, each read back in order) and "This is wrong" (the user's correction
becomes their own note, superseding what it corrects, and a lesson).

Mixed into `MnemoBridge` (ui/workers.py), which owns the thread pool and `_post`. Every call
runs `Mnemo` on a worker; callbacks run on the GUI thread."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.mnemo import Mnemo

Callback = Callable[..., Any] | None


class ChatCalls:
    """Needs from its host: call(), memories_changed."""

    def conversations(self, on_done: Callback, on_error: Callback = None, limit: int = 200) -> None:
        """on_done(list of core Conversation): the chat's conversations, the one used last first."""
        self.call(lambda m: m.conversations(limit), on_done, on_error)

    def conversation(self, conversation_id: str, on_done: Callback, on_error: Callback = None) -> None:
        """on_done(list of core Exchange): one conversation's questions and answers, in order."""
        self.call(lambda m: m.conversation(conversation_id), on_done, on_error)

    def correct(self, answer, correction: str, on_done: Callback = None, on_error: Callback = None) -> None:
        """`answer`: the core Answer the user says is wrong; on_done(core Correction)."""
        answer_id = answer.captured_ids[-1] if answer.captured_ids else ""  # the answer's turn

        def run(mnemo: "Mnemo"):
            return mnemo.correct(answer.question, answer.text, correction, tuple(answer.support),
                                 answer.method, answer_id)

        def done(result) -> None:
            self.memories_changed.emit()
            if on_done is not None:
                on_done(result)

        self.call(run, done, on_error)
