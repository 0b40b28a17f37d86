"""Editing a memory's words: the user says what a note or a chat turn should have said.

The memory keeps its id, times, importance, strength and state; its text, content hash and
vector are new, and its history keeps the old words (an "edited" entry whose reason quotes
them). What was made from the old words follows: the facts drawn from it are drawn again (from
its new words, and from the other memories that said the same), a fact they had superseded
holds again if the new words no longer replace it, the day summaries that quoted it are
written again, and the portrait is refreshed when it drew on it.

Mnemo's own writing is not edited as a memory (a summary, the portrait, a fact, a lesson):
each refusal says what to do instead."""
from __future__ import annotations

from ..errors import InvalidInputError
from ..memory.records import Kind, Memory, State
from ..memory.store import MemoryStore
from ..recall.embedder import Embedder
from ..recall.retrieval import index_text
from ..text import clean, has_words
from .facts import Facts
from .portrait import Portrait
from .summaries import Summaries

NOT_EDITABLE = {
    Kind.FACT: "A fact is drawn from the memories that said it, so it is not edited itself: edit the memory "
               "it came from (its detail lists them) and the fact follows.",
    Kind.DAY_SUMMARY: "A day summary is written by Mnemo from that day's memories and written again when they "
                      "change, so an edit would not last: edit the memories it was made from.",
    Kind.GLOBAL_SUMMARY: "The overview is written by Mnemo from the day summaries and written again when they "
                         "change, so an edit would not last: edit the memories it was made from.",
    Kind.PORTRAIT: "Your portrait is corrected in the Summaries tab, where your corrections are kept each time it "
                   "is written again; it is not edited as a memory.",
    Kind.LESSON: "A lesson is the memory guard's record of what it learnt and is not edited; if the guard was "
                 "wrong, release the memory it held back (in the Guard tab, or mnemo guard release ID).",
}


def refusal(memory: Memory) -> str:
    """Why this memory cannot be edited ("" when it can)."""
    if memory.kind in NOT_EDITABLE:
        return NOT_EDITABLE[Kind(memory.kind)]
    if memory.state == State.DELETED:
        return "This memory is deleted: bring it back (undelete) before editing it."
    return ""


def checked_text(text: str, max_text: int) -> str:
    text = clean(text).strip() if isinstance(text, str) else ""
    if not text or not has_words(text):
        raise InvalidInputError("A memory cannot be empty: type what it should say (or delete it); nothing was "
                                "changed.")
    if len(text) > max_text:
        raise InvalidInputError(f"The text is {len(text):,} characters long; a single memory holds at most "
                                f"{max_text:,}. Nothing was changed.")
    return text


class Editing:
    def __init__(self, store: MemoryStore, embedder: Embedder, facts: Facts, summaries: Summaries,
                 portraits: Portrait, max_text: int):
        self.store = store
        self.embedder = embedder
        self.facts = facts
        self.summaries = summaries
        self.portraits = portraits
        self.max_text = max_text

    def edit(self, memory_id: str, text: str) -> Memory:
        """The memory with its new words (unchanged, and nothing written, when they are the same)."""
        memory = self.store.get(memory_id)
        why = refusal(memory)
        if why:
            raise InvalidInputError(why)
        text = checked_text(text, self.max_text)
        if text == memory.text:
            return memory
        vector = self.embedder.embed([index_text(memory.with_changes(text=text))])[0]
        made = self.facts.made_from(memory_id)
        self.store.rewrite_text(memory_id, text, vector, actor="user", reason=f"edited by the user; it said: {memory.text}",
                                drop=[f.id for f in made], drop_reason="the words it was drawn from were edited",
                                revised=self.facts.reopened(made))
        others = {i for f in made for i in f.links if i != memory_id}
        again = [m for m in (self.store.find(i) for i in (memory_id, *sorted(others))) if m is not None]
        self.facts.consolidate(again)  # the new words' facts, and those the others still say
        self._follow(memory_id)
        return self.store.get(memory_id)

    def _follow(self, memory_id: str) -> None:
        """Mnemo's writing that quoted the old words is written again."""
        quoting = self.summaries.days_quoting(memory_id)
        for day in quoting:
            self.summaries.summarize_day(day, force=True)
        if quoting:
            self.summaries.summarize_global()
        portrait = self.portraits.current()
        if portrait is not None and memory_id in portrait.links:
            self.portraits.refresh()
