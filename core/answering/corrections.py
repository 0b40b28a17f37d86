""""This is wrong": the user corrects an answer in their own words.

The correction becomes the user's own note (trusted, kept like any note they save), linked to
what it corrects. What it corrects stops answering: the answer itself, and, when the answer
was a memory's own sentence (quoted, or put in words by the small model), that memory too; it
is kept, marked "until <today>" like a superseded fact, with the correction in its history.
The mistake is also a lesson (A-MemGuard's second memory): a later question on the same theme
brings the correction into the prompt first, and a capable model is told about it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..clock import Clock
from ..errors import InvalidInputError
from ..memory.records import Memory, Source, State
from ..memory.store import MemoryStore
from ..recall.retrieval import Hit

if TYPE_CHECKING:
    from ..guard.lessons import Lessons
    from ..intake.capture import CaptureService

QUOTED = ("quote", "phrased")  # the answer said what its supporting memory says, in those words


@dataclass(frozen=True)
class Correction:
    note: Memory  # the user's correction, as their own note
    superseded: tuple[str, ...]  # the memories it replaced (the answer, and the quoted memory)
    lesson: Memory | None


class Corrections:
    def __init__(self, store: MemoryStore, capture: "CaptureService", lessons: "Lessons | None", clock: Clock):
        self.store = store
        self.capture = capture
        self.lessons = lessons
        self.clock = clock

    def correct(self, question: str, answer: str, correction: str, support: tuple[str, ...] = (),
                method: str = "model", answer_id: str = "") -> Correction:
        """Store `correction` as the user's note superseding the answer (and the memory it quoted)."""
        question, answer = " ".join(question.split()), " ".join(answer.split())
        if not question:
            raise InvalidInputError("There is no question to correct the answer of.")
        result = self.capture.add_note(correction, source=Source.USER)  # checks it is not empty
        note = result.memory
        now = self.clock.now().timestamp()
        targets = [answer_id] if answer_id else []
        if method in QUOTED:
            targets += list(support)
        superseded = []
        for memory in (self.store.find(i) for i in dict.fromkeys(targets)):
            if memory is None or memory.id == note.id or memory.state == State.DELETED or memory.valid_until:
                continue
            if memory.id == answer_id and memory.role != "assistant":
                continue  # (a stopped answer was never stored: the id is its question's)
            changed = memory.with_changes(valid_until=now, vector=self.store.vector(memory.id))
            self.store.upsert(changed, actor="user",
                              reason=f"corrected by the user ({note.id[:8]}): {_clip(note.text, 120)}")
            superseded.append(memory.id)
        links = tuple(dict.fromkeys((*note.links, *superseded)))
        reason = note.importance_reason if "correction" in note.importance_reason else \
            f"{note.importance_reason}; a correction you made".lstrip("; ")
        note = self.store.upsert(note.with_changes(links=links, importance_reason=reason,
                                                   vector=self.store.vector(note.id)),
                                 actor="user", reason=f"corrects the answer to: {_clip(question, 80)}")
        lesson = self.lessons.learn_correction(note, question, answer) if self.lessons is not None else None
        return Correction(note, tuple(superseded), lesson)

    def for_question(self, question_vector: np.ndarray, present: set[str]) -> list[Hit]:
        """The user's corrections of earlier answers on this theme, as hits for the prompt
        (those already among the retrieved memories are left where they are)."""
        if self.lessons is None:
            return []
        hits = []
        for lesson in self.lessons.corrections_for(question_vector):
            note = self.store.find(lesson.links[0]) if lesson.links else None
            if note is None or note.id in present or note.state in (State.DELETED, State.QUARANTINED):
                continue
            similarity = float(self.store.vector(note.id) @ question_vector)
            hits.append(Hit(note, score=1.0, dense_score=similarity,
                            replaces="you corrected an earlier answer with it"))
            present.add(note.id)
        return hits


def with_corrections(chosen: list[Hit], corrections: list[Hit]) -> list[Hit]:
    """The corrections first: they are what the user said last on the subject."""
    ids = {h.memory.id for h in corrections}
    return corrections + [h for h in chosen if h.memory.id not in ids]


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
