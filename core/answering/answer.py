"""Answering: retrieve, build the prompt, stream the local model's answer, report exactly
which memories were in the prompt, and capture the exchange as conversation turns."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..clock import Clock
from ..errors import InvalidInputError
from ..intake.capture import CaptureService
from ..memory.records import Source
from ..recall.retrieval import MIN_SIMILARITY, Hit, Retriever  # noqa: F401 - MIN_SIMILARITY re-exported
from .llm import ChatModel
from .prompt import Background, build_messages
from .selection import PROMPT_PREFIX_KINDS, candidates, for_prompt  # noqa: F401 - PROMPT_PREFIX_KINDS re-exported

if TYPE_CHECKING:
    from ..guard.memory_guard import GuardReport, MemoryGuard
    from ..lifecycle.forgetting import Forgetting


@dataclass
class Answer:
    question: str
    text: str
    memories: list[Hit]  # exactly the memories placed in the prompt, in prompt order
    cancelled: bool = False
    first_token_s: float | None = None
    total_s: float = 0.0
    captured_ids: list[str] = field(default_factory=list)
    guard: "GuardReport | None" = None  # what the guard kept out and the lessons it consulted

    @property
    def flagged(self) -> list:
        return list(self.guard.flags) if self.guard is not None else []

    @property
    def lessons(self) -> list:
        return list(self.guard.lessons) if self.guard is not None else []


class AnswerService:
    def __init__(self, retriever: Retriever, model: ChatModel, capture: CaptureService, clock: Clock,
                 prompt_memories: int = 5, max_tokens: int = 160, forgetting: "Forgetting | None" = None,
                 background: Callable[[], Background] | None = None, guard: "MemoryGuard | None" = None,
                 candidates: int = 10):
        """`forgetting` reinforces the memories an answer used; `background` gives the
        portrait and global summary that open the prompt."""
        self.forgetting = forgetting
        self.guard = guard
        self.candidates = candidates  # how many retrieved memories the guard compares
        self.background = background
        self.retriever = retriever
        self.model = model
        self.capture = capture
        self.clock = clock
        self.prompt_memories = prompt_memories
        self.max_tokens = max_tokens

    def select(self, question: str) -> list[Hit]:
        """The memories that go into the prompt for this question."""
        return self.screened(question)[0]

    def screened(self, question: str) -> "tuple[list[Hit], GuardReport | None]":
        """The prompt's memories after the guard compared the retrieved ones, and its report."""
        qvec = self.retriever.embedder.embed([question])[0]
        hits = self.retriever.search(question, k=max(self.candidates, self.prompt_memories * 2) * 2,
                                     query_vector=qvec)
        cued = self.retriever.cued(question, k=self.prompt_memories, query_vector=qvec)
        chosen = candidates(hits, cued, self.candidates, question)
        if self.guard is None:
            return for_prompt(chosen, self.prompt_memories), None
        report = self.guard.check(question, chosen, qvec)
        return for_prompt(report.kept, self.prompt_memories), report

    def ask(
        self,
        question: str,
        on_token: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        capture: bool = True,
        conversation_id: str = "",
        on_memories: Callable[[list[Hit]], None] | None = None,
    ) -> Answer:
        question = question.strip()
        if not question:
            raise InvalidInputError("There is no question to answer: the text is empty.")
        started = time.perf_counter()
        hits, report = self.screened(question)
        if on_memories is not None:
            on_memories(hits)
        warnings = [self.guard.lessons.warning(lesson) for lesson in report.lessons] if report is not None else []
        messages = build_messages(question, hits, self.background() if self.background else None, warnings,
                                  now=self.clock.now().timestamp())
        pieces: list[str] = []
        first = None
        for piece in self.model.stream_chat(messages, max_tokens=self.max_tokens, cancel=cancel):
            if first is None:
                first = time.perf_counter() - started
            pieces.append(piece)
            if on_token is not None:
                on_token(piece)
        cancelled = bool(cancel is not None and cancel.is_set())
        answer = Answer(question, "".join(pieces).strip(), hits, cancelled, first, time.perf_counter() - started,
                        guard=report)
        if report is not None and report.flags:
            self.guard.record(question, report)
        if hits and not cancelled and self.forgetting is not None:
            self.forgetting.reinforce([h.memory.id for h in hits], reason=f"used to answer: {' '.join(question.split())[:80]}")
        if capture:
            turns = [(question, "user", "")]
            if answer.text and not cancelled:
                turns.append((answer.text, "assistant", ""))
            stored = self.capture.add_turns(turns, conversation_id or "chat", source=Source.CHAT)
            answer.captured_ids = [m.id for m in stored]
        return answer
