"""The core facade the app and the UI talk to: one object per open data directory."""
from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from .answering import history
from .answering.answer import Answer, AnswerService
from .answering.corrections import Correction, Corrections
from .answering.llm import ChatModel
from .answering.prompt import Background
from .clock import Clock
from .days import day_of
from .errors import InvalidInputError
from .guard.memory_guard import MemoryGuard
from .intake.capture import MAX_TEXT, CaptureResult, CaptureService, default_importance
from .intake.importance import ImportanceDefaults, ImportanceJudge
from .intake.importer import ImportReport, ImportService
from .intake.readers import ParsedImport, read_import
from .lifecycle.editing import Editing
from .lifecycle.fact_model import ModelFactFinder
from .lifecycle.facts import FACT_IMPORTANCE, Facts
from .lifecycle.forgetting import Forgetting, Health
from .lifecycle.maintenance import JobResult, Maintenance
from .lifecycle.portrait import Portrait
from .lifecycle.review import REVIEW_DAYS, Review, away_message, keep, review
from .lifecycle.summaries import Summaries, SummaryOptions
from .memory.backup import ScheduledBackups
from .memory.decay import DECAYING_KINDS, MAX_PACE, MIN_PACE, PACE_KEY, DecayPolicy, kept_days
from .memory.records import RETRIEVABLE_STATES, Kind, Memory, counted, Source, State, base_source
from .memory.store import COMPACT_EVERY, MemoryStore
from .recall.embedder import Embedder
from .recall.retrieval import Hit, Retriever, shown


class Mnemo:
    def __init__(self, data_dir: Path, clock: Clock, embedder: Embedder, model: ChatModel,
                 policy: DecayPolicy | None = None, summary_options: SummaryOptions | None = None,
                 sweep_every_hours: float = 6.0, guard: bool = True, backup_every_hours: float | None = None,
                 backups_kept: int = 7, wait: float = 0.5, compact_every: int = COMPACT_EVERY,
                 importance: ImportanceDefaults | None = None, passphrase=None):
        """`guard`: screen clipboard and imported records and check answers (A-MemGuard).
        `wait`: seconds to wait for another Mnemo to let go of the data directory.
        `compact_every`: writes between compactions of the store (by the upkeep job, or on closing).
        `passphrase()`: asked only when the store is encrypted with one."""
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.embedder = embedder
        self.model = model
        self.store = MemoryStore.open(self.data_dir, clock, dim=embedder.dim, wait=wait, compact_every=compact_every,
                                      passphrase=passphrase)
        self.policy = policy or DecayPolicy()
        pace = self.store.meta(PACE_KEY)  # the user's "keep memories longer": the stored strengths follow it
        if pace is not None:
            self.policy = dataclasses.replace(self.policy, pace=float(pace))
        self.guard = MemoryGuard(self.store, embedder, clock, self._path_writer, enabled=guard)
        self.judge = ImportanceJudge(embedder.embed, importance)
        self.facts = Facts(self.store, embedder, clock, self.policy)
        self.capture = CaptureService(self.store, embedder, clock, self.policy, screen=self.guard.screen,
                                     stored=self._stored, judge=self.judge)
        self.retriever = Retriever(self.store, embedder, clock=clock, policy=self.policy)
        self.forgetting = Forgetting(self.store, clock, self.policy)
        self.summaries = Summaries(self.store, embedder, clock, lambda: self.model, summary_options)
        self.portraits = Portrait(self.store, embedder, clock)
        self.editing = Editing(self.store, embedder, self.facts, self.summaries, self.portraits, MAX_TEXT)
        backups = ScheduledBackups(self.store, clock, backup_every_hours, backups_kept) if backup_every_hours else None
        self.maintenance = Maintenance(self.forgetting, self.summaries, self.portraits, clock, sweep_every_hours,
                                       backups=backups, store=self.store, facts=self.facts,
                                       fact_finder=self._fact_finder)
        self.importer = ImportService(self.store, embedder, clock, self.policy, screen=self.guard.screen,
                                      stored=self._stored, judge=self.judge)
        self.corrections = Corrections(self.store, self.capture, self.guard.lessons, clock)
        self.answers = AnswerService(self.retriever, model, self.capture, clock, forgetting=self.forgetting,
                                     background=self.background, guard=self.guard, capable=self.summaries.capable,
                                     facts=self.facts, corrections=self.corrections)

    def close(self) -> None:
        self.store.close()

    def _stored(self, memories: list[Memory], progress: Callable[[int, int], None] | None = None) -> None:
        """After new memories were written: the guard learns from what it held back, and the
        facts they state are consolidated (`progress(done, total)` for a large import)."""
        self.guard.stored(memories)
        self.facts.consolidate(memories, progress)

    def background(self) -> Background:
        """The portrait and overview that open every prompt."""
        overview = self.summaries.global_summary()
        text = overview.text.split(": ", 1)[-1] if overview is not None else ""
        return Background(self.portraits.prompt_text(), text)

    def _fact_finder(self) -> ModelFactFinder | None:
        """The model reads memories for facts when it is capable enough (as for summaries)."""
        if not self.summaries.capable():
            return None
        model = self.model
        return ModelFactFinder(lambda messages, max_tokens: "".join(
            model.stream_chat(messages, max_tokens=max_tokens, cancel=None)))

    def _path_writer(self):
        """The model asked for reasoning paths, when it is capable enough (as for summaries)."""
        model = self.model
        return None if not self.summaries.capable() else lambda prompt: "".join(
            model.stream_chat([{"role": "user", "content": prompt}], max_tokens=24, cancel=None))

    def use_model(self, model: ChatModel) -> None:
        """Answer with another (already loaded) model from now on."""
        self.model = model
        self.answers.model = model

    # capture
    def add_note(self, text: str, source: str = Source.USER, at: datetime | None = None) -> CaptureResult:
        return self.capture.add_note(text, source=source, at=at)

    # taking in and taking out
    def read_import(self, path: Path, format: str | None = None, passphrase=None) -> ParsedImport:
        """Read and validate a file to import (nothing is written yet)."""
        return read_import(Path(path), format, passphrase, dim=self.embedder.dim)

    def import_parsed(self, parsed: ParsedImport, file_name: str, progress=None,
                      cancel: threading.Event | None = None) -> ImportReport:
        return self.importer.run(parsed, file_name, progress, cancel)

    def export(self, path: Path, settings: dict, secret=None):
        from .transfer.exporting import export_archive

        return export_archive(self.store, self.clock, Path(path), settings, secret)

    def export_markdown(self, folder: Path) -> list[Path]:
        from .transfer.exporting import export_markdown

        return export_markdown(self.store, Path(folder))

    def backup(self, label: str = "manual") -> Path:
        return self.store.backup(label)

    # retrieval
    def search(self, query: str, k: int = 10, relevant_only: bool = True, forgotten_too: bool = False,
               kinds=None) -> list[Hit]:
        """Ranked memories; by default only those close in meaning or sharing a word, and the
        forgotten ones the query cues strongly (marked `cued`, as in answers; a search does not
        reinforce them). `forgotten_too`: every forgotten memory can be found (marked by its
        state); `kinds`: only these kinds (e.g. ["fact"])."""
        states = RETRIEVABLE_STATES | {State.FORGOTTEN} if forgotten_too else RETRIEVABLE_STATES
        qvec = self.embedder.embed([query])[0] if query.strip() else None
        hits = self.retriever.search(query, k=(k + 5) * (3 if kinds else 1), states=states,
                                     forgotten_too=forgotten_too, query_vector=qvec)
        if not forgotten_too and qvec is not None:
            seen = {h.memory.id for h in hits}
            cued = [c for c in self.retriever.cued(query, k=k, query_vector=qvec) if c.memory.id not in seen]
            rw = self.policy.retention_weight  # shown in order of how well each is remembered too
            hits = sorted(hits + cued, key=lambda h: -h.score * ((1.0 - rw + rw * h.retention) if h.cued else 1.0))
        if kinds is not None:
            hits = [h for h in hits if h.memory.kind in set(kinds)]
        hits = shown(hits)[:k]  # a fact and its note: one hit
        return [h for h in hits if h.relevant] if relevant_only else hits

    # answering
    def ask(self, question: str, on_token: Callable[[str], None] | None = None,
            cancel: threading.Event | None = None, capture: bool = True, conversation_id: str = "",
            on_memories: Callable[[list[Hit]], None] | None = None, again: bool = False) -> Answer:
        """`again`: Regenerate (the question is in the conversation already; only the answer is kept)."""
        return self.answers.ask(question, on_token=on_token, cancel=cancel, capture=capture,
                                conversation_id=conversation_id, on_memories=on_memories, again=again)

    def warm_up(self) -> None:
        """At start, in the background: get ready for the first question (see AnswerService.warm_up)."""
        self.judge.kinds(self.embedder.embed(["warm up"]))
        self.answers.warm_up()

    def correct(self, question: str, answer: str, correction: str, support: tuple[str, ...] = (),
                method: str = "model", answer_id: str = "") -> Correction:
        """"This is wrong": `correction` becomes the user's own note, superseding the answer (its
        turn `answer_id`) and, when the answer quoted a memory, that memory; and a lesson."""
        return self.corrections.correct(question, answer, correction, support, method, answer_id)

    # the chat's history
    def conversations(self, limit: int | None = None) -> list[history.Conversation]:
        """The chat's conversations, the one used last first."""
        return history.conversations(self.store.all(), limit)

    def conversation(self, conversation_id: str) -> list[history.Exchange]:
        """One conversation's questions and answers, in order."""
        return history.exchanges(self.store.all(), conversation_id)

    # browsing and editing
    def facts_list(self, include_superseded: bool = True) -> list[Memory]:
        """The facts distilled from what was said, each with its sources and validity."""
        return self.facts.all(include_superseded)

    def memories(self, include_deleted: bool = False) -> list[Memory]:
        records = self.store.all()
        if not include_deleted:
            records = [m for m in records if m.state != State.DELETED]
        return sorted(records, key=lambda m: m.created_at, reverse=True)

    def set_importance(self, memory_id: str, importance: float) -> Memory:
        """The user says how much it matters: its strength follows (what recalls added is kept)."""
        memory = self.store.get(memory_id)
        if not 0 <= importance <= 1:
            raise InvalidInputError("Importance goes from 0 (hardly matters) to 1 (never let it go).")
        grown = memory.strength / max(self.policy.initial_strength(memory.importance), 1e-9)
        changed = memory.with_changes(importance=float(importance), importance_reason="set by you",
                                      strength=self.policy.initial_strength(importance) * max(grown, 1.0),
                                      vector=self.store.vector(memory_id))
        return self.store.upsert(changed, actor="user", reason=f"importance set to {importance:.2f} by the user")

    def edit(self, memory_id: str, text: str) -> Memory:
        """New words for a note or chat turn (its history keeps the old ones); its facts, the day
        summaries quoting it and the portrait follow (core/lifecycle/editing.py)."""
        return self.editing.edit(memory_id, text)

    def pin(self, memory_id: str) -> None:
        self.store.set_state([memory_id], State.PINNED, actor="user", reason="pinned by the user")

    def unpin(self, memory_id: str) -> None:
        """Active again; its forgetting clock restarts now (a long pin does not mean forgotten)."""
        self.forgetting.unpin(memory_id)

    def delete(self, memory_id: str) -> None:
        """Deleted (restorable with undelete); the facts that came only from it go too."""
        self.store.set_state([memory_id], State.DELETED, actor="user", reason="deleted by the user")
        self.facts.follow_delete(memory_id)

    def undelete(self, memory_id: str) -> None:
        self.store.set_state([memory_id], State.ACTIVE, actor="user", reason="delete undone by the user")
        self.facts.follow_undelete(memory_id)

    def restore(self, memory_id: str) -> Memory:
        """Bring back a forgotten (or fading) memory: active again, its forgetting clock restarted."""
        return self.forgetting.restore(memory_id)

    def purge(self, memory_id: str) -> list[str]:
        """Remove a forgotten or deleted memory for good: its row, its words in the history
        (the events stay), the lessons and day summaries that quoted it (summaries are written
        again without it), and its copies in the backups. Returns the backups that could not
        be rewritten (damaged ones are left as they are)."""
        memory = self.store.get(memory_id)
        quoting = self.summaries.days_quoting(memory_id)
        portrait = self.portraits.current()
        made = self.facts.made_from(memory_id)
        self.forgetting.purge(memory_id)
        if made:  # the facts it carried go with it; other episodes that said the same are consolidated again
            self.store.purge([f.id for f in made], actor="user", reason="the memory it came from was purged")
            others = {i for f in made for i in f.links if i != memory_id}
            self.facts.consolidate([m for m in (self.store.find(i) for i in others) if m is not None])
        self.guard.lessons.forget_record(memory_id)
        self.guard.lessons.forget_quotes([memory.text])
        for day in quoting:
            self.summaries.summarize_day(day, force=True)
        if quoting:
            self.summaries.summarize_global()
        if portrait is not None and memory_id in portrait.links:
            self.portraits.refresh()
        self.store.compact()  # the rewritten summaries' old versions held the words too
        from .memory.backup import purge_from_backups
        from .memory.writes import purge_quotes

        quotes = purge_quotes([memory.text])
        return purge_from_backups(self.data_dir, [memory_id], quotes, self.embedder.dim, self.store.cipher)

    # the guard
    def quarantined(self) -> list[Memory]:
        return self.guard.quarantined()

    def excluded(self) -> list[Memory]:
        """Memories the guard kept out of an answer (and the user has not released)."""
        return self.guard.excluded()

    def lessons(self) -> list[Memory]:
        return self.guard.lessons.all()

    def release(self, memory_id: str) -> Memory:
        """The user says the guard's flag was wrong."""
        return self.guard.release(memory_id)

    # forgetting
    def retention(self, memory: Memory) -> float:
        return self.forgetting.retention(memory)

    def sweep(self):
        return self.forgetting.sweep()

    def health(self) -> Health:
        return dataclasses.replace(self.forgetting.health(), to_review=review(self.forgetting).due)

    def review(self, days: float = REVIEW_DAYS) -> Review:
        """The memories of some importance that will be forgotten within `days`: keep them?"""
        return review(self.forgetting, days)

    def set_pace(self, pace: float) -> int:
        """Keep memories `pace` times as long as designed (0.25 to 4; 1 as designed): the memories
        that fade, and those saved from now on, are kept that much longer (or shorter); states
        follow at once. Returns how many memories changed."""
        pace = float(pace)
        if not MIN_PACE <= pace <= MAX_PACE:
            raise InvalidInputError(f"Memories can be kept from {MIN_PACE:g} to {MAX_PACE:g} times as long as "
                                    "designed; nothing was changed.")
        old = self.policy.pace
        if pace == old:
            return 0
        policy = dataclasses.replace(self.policy, pace=pace)
        changed = self.store.scale_strengths(DECAYING_KINDS, pace / old, actor="user",
                                             reason=f"kept {pace:g}x as long as designed (was {old:g}x)",
                                             meta=(PACE_KEY, repr(pace)))  # one write: never scaled twice
        for holder in (self, self.capture, self.importer, self.retriever, self.forgetting, self.facts):
            holder.policy = policy
        self.forgetting.sweep()
        return changed

    def keeping(self) -> list[tuple[str, float]]:
        """How long each kind of memory is kept when it is never used, in days (by its default
        importance; what matters more, such as health or a name, is kept longer)."""
        kinds = [("A note you save", default_importance(Kind.NOTE, Source.USER)),
                 ("Something you say in the chat", default_importance(Kind.TURN, Source.CHAT)),
                 ("An imported message", default_importance(Kind.TURN, "import:file")),
                 ("What the assistant said", default_importance(Kind.TURN, Source.ASSISTANT, "assistant")),
                 ("A fact of your life (who, where, what)", FACT_IMPORTANCE)]
        return [(label, kept_days(self.policy, importance)) for label, importance in kinds]

    def between_writes(self, fn: Callable[[], object]):  # fn() while no write can start (moving the folder)
        return self.store._writer.run(fn)  # the store's one writer (core/memory/writer.py)

    def keep(self, memory_id: str) -> None:
        """Kept at a review: stronger, and its forgetting clock restarted."""
        keep(self.forgetting, [memory_id])

    def keep_many(self, memory_ids: list[str]) -> None:
        keep(self.forgetting, memory_ids)

    def away_message(self, sweep) -> str | None:
        """What a sweep did after a long absence, in a sentence (None after a usual one)."""
        return away_message(sweep, self.forgetting)

    def retention_curve(self, memory_id: str, days_ahead: float = 30) -> list[tuple[float, float]]:
        return self.forgetting.curve(memory_id, days_ahead)

    def faded(self) -> list[Memory]:
        """Forgotten memories (kept until purged), newest first."""
        return self.memories_in([State.FORGOTTEN])

    def memories_in(self, states) -> list[Memory]:
        return sorted(self.store.all(states=states), key=lambda m: m.created_at, reverse=True)

    # summaries and portrait
    def summarize(self, day: date | None = None) -> list[Memory]:
        """Summarise one day (even today), or every past day that needs it."""
        if day is not None:
            summary = self.summaries.summarize_day(day)
            return [summary] if summary is not None else []
        return self.summaries.summarize_pending()

    def summarize_global(self) -> Memory | None:
        return self.summaries.summarize_global()

    def day_summaries(self) -> list[Memory]:
        return self.summaries.day_summaries()

    def global_summary(self) -> Memory | None:
        return self.summaries.global_summary()

    def portrait(self) -> Memory | None:
        return self.portraits.current()

    def refresh_portrait(self) -> Memory | None:
        return self.portraits.refresh()

    def correct_portrait(self, edited_text: str, base_text: str | None = None) -> Memory | None:
        """`base_text`: the portrait the user edited (default: the current one)."""
        return self.portraits.correct(edited_text, base_text)

    def linked(self, memory: Memory) -> list[Memory]:
        """The memories a summary or portrait was made from (those that still exist)."""
        return [m for m in (self.store.find(i) for i in memory.links) if m is not None]

    # upkeep
    def catch_up(self, cancel: threading.Event | None = None) -> list[JobResult]:
        return self.maintenance.catch_up(cancel)

    def run_job(self, job: str, cancel: threading.Event | None = None) -> JobResult:
        return self.maintenance.run(job, cancel)

    def today(self) -> date:
        return day_of(self.clock.now().timestamp())

    def stats(self) -> dict:
        records = self.store.all()
        return {
            **counted(records),  # the count the app shows: "340 memories and 25 facts"
            "total": len(records),
            "retrievable": sum(1 for m in records if m.state in RETRIEVABLE_STATES),
            "by_kind": dict(Counter(m.kind for m in records)),
            "by_source": dict(Counter(base_source(m.source) for m in records)),
            "by_state": dict(Counter(m.state for m in records)),
        }
