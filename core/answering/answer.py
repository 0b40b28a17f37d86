"""Answering: retrieve, build the prompt, stream the local model's answer, report exactly
which memories were in the prompt, and capture the exchange as conversation turns."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..clock import Clock
from ..days import day_of, long_day
from ..errors import InvalidInputError, ModelError
from ..intake.capture import CaptureService
from ..memory.records import Source
from ..recall.retrieval import MIN_SIMILARITY, Hit, Retriever  # noqa: F401 - MIN_SIMILARITY re-exported
from . import extract, grounding
from .corrections import Corrections, with_corrections
from .llm import ChatModel
from .prompt import Background, build_messages, when_label
from .selection import PROMPT_PREFIX_KINDS, candidates, for_prompt, with_newer  # noqa: F401 - re-exported

NOTHING = "I don't have anything about that in your memory."
PHRASE = "Answer the question in one short sentence, using only the note."

if TYPE_CHECKING:
    from ..guard.memory_guard import GuardReport, MemoryGuard
    from ..lifecycle.facts import Facts
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
    support: tuple[str, ...] = ()  # ids of the memories that hold what the answer says; () = none
    method: str = "model"  # "model", "phrased" (a quote the model put in words), "quote", "nothing"
    replaced: str = ""  # what the model streamed that was not supported, when it was replaced
    model_name: str = ""  # the model that wrote or phrased it ("" when no model took part)
    tokens: int = 0  # pieces the model generated for it
    generation_s: float = 0.0  # seconds the model spent generating them (after the first)
    conversation_id: str = ""

    @property
    def tokens_per_s(self) -> float | None:
        """How fast the model wrote (None when it wrote too little to tell)."""
        return (self.tokens - 1) / self.generation_s if self.tokens > 1 and self.generation_s > 0 else None

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
                 candidates: int = 10, capable: Callable[[], bool] | None = None, facts: "Facts | None" = None,
                 corrections: Corrections | None = None):
        """`forgetting` reinforces the memories an answer used; `background` gives the
        portrait and global summary that open the prompt."""
        self.forgetting = forgetting
        self.facts = facts  # finds the newer statement of a value the user replaced
        self.corrections = corrections  # what the user said when an earlier answer was wrong
        self.guard = guard
        self.candidates = candidates  # how many retrieved memories the guard compares
        self.capable = capable or (lambda: False)  # does the model read five notes reliably (1B+)?
        # A small model puts the answering sentence in words, kept only when it keeps every fact, adds
        # none and does not talk about the note (SmolLM2-135M wrote "The note is incorrect. The
        # correct answer would be '840 euros.'"); else the note's own sentence, with its date.
        self.phrase = True
        self.background = background
        self.retriever = retriever
        self.model = model
        self.capture = capture
        self.clock = clock
        self.prompt_memories = prompt_memories
        self.max_tokens = max_tokens

    def warm_up(self) -> None:
        """What the first question would otherwise pay for, done ahead (at start, in the
        background): the keyword index, the date parser, and the model's prompt prefix and
        compute buffers (one token of the answer prompt's kind)."""
        self.screened("What did I say about the weekend?")
        if self.capable():
            messages = build_messages("Hello?", [], self.background() if self.background else None)
        else:
            messages = [{"role": "system", "content": PHRASE}, {"role": "user", "content": "Note:\n- hello\n\nQuestion: hi"}]
        for _piece in self.model.stream_chat(messages, max_tokens=1, cancel=None, keep_prefix=True):
            break

    def select(self, question: str) -> list[Hit]:
        """The memories that go into the prompt for this question."""
        return self.screened(question)[0]

    def screened(self, question: str, qvec=None) -> "tuple[list[Hit], GuardReport | None]":
        """The prompt's memories after the guard compared the retrieved ones, and its report."""
        qvec = qvec if qvec is not None else self.retriever.embedder.embed([question])[0]
        hits = self.retriever.search(question, k=max(self.candidates, self.prompt_memories * 2) * 2,
                                     query_vector=qvec)
        cued = self.retriever.cued(question, k=self.prompt_memories, query_vector=qvec)
        chosen = candidates(hits, cued, self.candidates, question)
        if self.facts is not None:
            chosen = with_newer(chosen, self.facts.newer_than([h.memory for h in chosen]))[: self.candidates]
        if self.corrections is not None:
            fixes = self.corrections.for_question(qvec, {h.memory.id for h in chosen})
            chosen = with_corrections(chosen, fixes)[: self.candidates]
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
        again: bool = False,
    ) -> Answer:
        """`again` (Regenerate): the question was asked before in this conversation; only the new
        answer is captured, and a model answers with some variety (temperature) instead of the
        same words."""
        question = question.strip()
        if not question:
            raise InvalidInputError("There is no question to answer: the text is empty.")
        started = time.perf_counter()
        qvec = self.retriever.embedder.embed([question])[0]
        hits, report = self.screened(question, qvec)
        if on_memories is not None:
            on_memories(hits)
        now = self.clock.now().timestamp()
        quote = extract.best(question, hits, self.retriever.embedder.embed, qvec) if hits else None
        first: list[float] = []
        run = _Run(REGENERATE_TEMPERATURE if again else None, qvec)

        def emit(piece: str) -> None:
            if not first:
                first.append(time.perf_counter() - started)
            if on_token is not None:
                on_token(piece)

        capable = bool(hits) and self.capable()  # (may load the model: asked once)
        if not hits or (quote is None and not capable):
            text, method, replaced = NOTHING, "nothing", ""
            emit(text)
        elif capable:
            text, method, replaced = self._answer(question, hits, report, now, quote, emit, cancel, run)
            hits = run.used if run.used is not None else hits  # as many as the model's context holds
        else:
            text, method, replaced = self._phrase(question, quote, now, cancel, run) if self.phrase else (
                quote.text(now), "quote", "")
            emit(text)
        cancelled = bool(cancel is not None and cancel.is_set())
        support = self._support(text, method, hits, quote)
        answer = Answer(question, text, hits, cancelled, first[0] if first else None, time.perf_counter() - started,
                        guard=report, support=support, method=method, replaced=replaced,
                        model_name=run.model_name(self.model) if method in ("model", "phrased") else "",
                        tokens=run.tokens, generation_s=run.generation_s, conversation_id=conversation_id)
        if report is not None and report.flags:
            self.guard.record(question, report)
        if support and not cancelled and self.forgetting is not None:
            self.forgetting.reinforce([h.memory.id for h in hits], reason=f"used to answer: {' '.join(question.split())[:80]}")
        if capture:
            turns = [] if again else [(question, "user", "")]
            if answer.text and not cancelled:
                turns.append((answer.text, "assistant", ""))
            stored = self.capture.add_turns(turns, conversation_id or "chat", source=Source.CHAT) if turns else []
            answer.captured_ids = [m.id for m in stored]
        return answer

    def _answer(self, question, hits, report, now, quote, emit, cancel, run) -> tuple[str, str, str]:
        """A capable model answers from the notes; an answer naming what no note holds is
        replaced by the best note's own sentence (or by "I don't have anything...")."""
        warnings = [self.guard.lessons.warning(lesson) for lesson in report.lessons] if report is not None else []
        if self.guard is not None:
            warnings += [self.guard.lessons.correction_warning(lesson)
                         for lesson in self.guard.lessons.corrections_for(run.qvec)]
        background = self.background() if self.background else None
        messages = build_messages(question, hits, background, warnings, now=now)
        length = getattr(self.model, "answer_tokens", None) or self.max_tokens  # the model's own setting
        fits = getattr(self.model, "fits", None)
        while fits is not None and len(hits) > 1 and not fits(messages, length):  # the prompt fits its context
            hits = hits[:-1]
            messages = build_messages(question, hits, background, warnings, now=now)
        run.used = hits
        if fits is not None and not fits(messages, length):  # one memory longer than the context: its sentence
            text = quote.text(now) if quote is not None else NOTHING
            emit(text)
            return text, ("quote" if quote is not None else "nothing"), ""
        pieces = []
        for piece in run.stream(self.model, messages, length, cancel):
            pieces.append(piece)
            emit(piece)
        text = "".join(pieces).strip()
        if cancel is not None and cancel.is_set():
            return text, "model", ""
        checked = grounding.check(text, [_vouches(h.memory) for h in hits], question)
        if text and checked.supported:
            return text, "model", ""
        return (quote.text(now), "quote", text) if quote is not None else (NOTHING, "nothing", text)

    def _phrase(self, question, quote, now, cancel, run) -> tuple[str, str, str]:
        """A small model only puts the answering sentence in words, and its words are kept
        only when they keep every name, number and date of the sentence and add none, and
        bring in no word that neither the sentence nor the question has."""
        note = f"- [{when_label(quote.hit.memory, now)}] {quote.sentence}"  # its date, and how long ago
        messages = [{"role": "system", "content": PHRASE},
                    {"role": "user", "content": f"Today is {long_day(day_of(now))}.\nNote:\n{note}\n\n"
                                                f"Question: {' '.join(question.split())}"}]
        try:
            text = "".join(run.stream(self.model, messages, 48, cancel)).strip()
        except ModelError:  # the model is missing or broken: the memory still answers, in its own words
            return quote.text(now), "quote", ""
        if cancel is not None and cancel.is_set():
            return "", "quote", ""
        checked = grounding.check(text, [_vouches(quote.hit.memory)], question)
        about_note = "note" in text.casefold() and "note" not in quote.sentence.casefold()
        if (text and checked.supported and not about_note and grounding.keeps(text, quote.sentence, question)
                and not grounding.adds(text, quote.sentence, question)):
            return text, "phrased", ""
        return quote.text(now), "quote", ""  # (the model's words were never shown)

    @staticmethod
    def _support(text: str, method: str, hits: list[Hit], quote) -> tuple[str, ...]:
        """The memories that hold what the answer says."""
        if method == "nothing" or not text:
            return ()
        if method in ("quote", "phrased"):
            return (quote.hit.memory.id,)
        said = set(grounding.claims(text))
        holding = [h.memory.id for h in hits if said & set(grounding.claims(_vouches(h.memory)))]
        return tuple(holding) or ((quote.hit.memory.id,) if quote is not None else tuple(h.memory.id for h in hits[:1]))


REGENERATE_TEMPERATURE = 0.8


class _Run:
    """One answer's use of the model: how many pieces it wrote and how fast."""

    def __init__(self, temperature: float | None = None, qvec=None):
        self.temperature = temperature
        self.qvec = qvec  # the question's vector
        self.used = None  # the memories that went into the prompt, when fewer fitted than were chosen
        self.tokens = 0
        self.generation_s = 0.0

    def stream(self, model, messages, max_tokens, cancel):
        extra = {"temperature": self.temperature} if self.temperature is not None else {}
        last = 0.0
        for piece in model.stream_chat(messages, max_tokens=max_tokens, cancel=cancel, keep_prefix=True, **extra):
            stamp = time.perf_counter()
            self.tokens += 1
            self.generation_s += 0.0 if self.tokens == 1 else stamp - last
            last = stamp
            yield piece

    @staticmethod
    def model_name(model) -> str:
        return str(getattr(model, "name", "") or "")


def _vouches(memory) -> str:
    return grounding.support_text(memory, day_of(memory.when))
