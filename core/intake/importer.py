"""Importing: turns from other assistants' exports and transcripts, or a whole Mnemo archive,
merged into the store as one unit.

The file is read and validated completely first (core/intake/readers); then what is already here
is set aside (same record id, or the same words said by the same side at the same time in
the same conversation); then the rest is embedded (with progress, cancellable) and written
in one step that either completes or leaves the store as it was (MemoryStore.apply_import)."""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..clock import Clock, to_epoch
from ..memory.decay import DecayPolicy
from ..memory.records import HistoryEntry, Kind, Memory, State, content_hash, new_id
from ..memory.store import Cancelled, MemoryStore
from ..recall.embedder import Embedder
from ..recall.retrieval import index_text
from .capture import default_importance, weigh
from .readers import ParsedImport, Rejected

EMBED_BATCH = 256
TRUSTING = frozenset({"false_alarm", "correction"})  # lessons that vouch for a record (core/guard/lessons.py)
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class ImportReport:
    file: str
    format: str
    found: int  # records or turns in the file
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    conversations: int = 0
    rejected: Rejected = field(default_factory=Rejected)
    settings: dict | None = None  # an archive's settings (the app applies them to an empty store)
    settings_applied: bool = False
    skipped: Rejected = field(default_factory=Rejected)  # not the user's conversation (reasoning, tool calls...)
    notes: int = 0  # of the imported: notes about the user (a provider's saved memory, a notes folder)

    def lines(self) -> list[str]:
        what = "records" if self.format == "mnemo" else "messages"
        out = [f"Imported {self.imported:,} of {self.found:,} {what} from {self.file} ({self.format})"
               + (f" in {self.conversations:,} conversations." if self.conversations else "."),
               f"Skipped as already remembered: {self.duplicates:,}."]
        if self.quarantined:
            out.append(f"Held back by the guard (see the Guard tab): {self.quarantined:,}.")
        if self.notes:
            out.append(f"Of these, notes about you (saved memories, notes): {self.notes:,}.")
        if self.settings_applied:
            out.append("Settings taken over from the archive (decay, schedule, summaries).")
        if self.skipped.total:
            out.append(f"Left out as not your conversation: {self.skipped.total:,}:")
            for reason, count in self.skipped.reasons.most_common():
                out.append(f"  {count:,} × {reason}")
        out.append(f"Rejected: {self.rejected.total:,}" + ("." if not self.rejected.total else ":"))
        for reason, count in self.rejected.reasons.most_common():
            out.append(f"  {count:,} × {reason} (e.g. {', '.join(self.rejected.examples[reason])})")
        return out

    def as_json(self) -> dict:
        return {"file": self.file, "format": self.format, "found": self.found, "imported": self.imported,
                "duplicates": self.duplicates, "quarantined": self.quarantined,
                "conversations": self.conversations, "rejected": self.rejected.total,
                "rejected_reasons": dict(self.rejected.reasons), "notes": self.notes,
                "skipped": self.skipped.total, "skipped_reasons": dict(self.skipped.reasons)}


class ImportService:
    def __init__(self, store: MemoryStore, embedder: Embedder, clock: Clock, policy: DecayPolicy | None = None,
                 screen: Callable[[Memory], Memory] | None = None,
                 stored: Callable[..., None] | None = None, judge=None):
        """`stored(memories, progress)`: what follows a write (the guard learns, facts are found)."""
        self.judge = judge  # core/intake/importance.py: weighs each imported turn
        self.store = store
        self.embedder = embedder
        self.clock = clock
        self.policy = policy or DecayPolicy()
        self.screen = screen or (lambda m: m)
        self.stored = stored or (lambda ms, progress=None: None)

    def run(self, parsed: ParsedImport, file_name: str, progress: Progress | None = None,
            cancel: threading.Event | None = None) -> ImportReport:
        """Raises Cancelled (store unchanged) when `cancel` is set before the end."""
        progress = progress or (lambda stage, done, total: None)
        if parsed.archive is not None:
            memories, history, report = self._from_archive(parsed, file_name)
        else:
            memories, history, report = self._from_turns(parsed, file_name)
        report.rejected, report.skipped = parsed.rejected, parsed.skipped
        memories = self._embed(memories, getattr(parsed.archive, "lesson_vectors", {}), progress, cancel)
        held: list[Memory] = []
        if parsed.archive is not None:
            memories, history, held = self._screen_archive(memories, history, file_name)
        else:
            memories = [self.screen(m) for m in weigh(memories, self.judge, self.policy)]
            now = to_epoch(self.clock.now())
            history = [HistoryEntry(new_id(), m.id, now, "import", "created", "", m.state,
                                    f"imported from {file_name}" + (f"; quarantined: {m.guard_reason}"
                                                                    if m.state == State.QUARANTINED else ""))
                       for m in memories]
        saved = self.store.apply_import(memories, history, cancel,
                                        lambda done, total: progress("Saving", done, total)) if memories else []
        report.imported = len(saved)
        report.quarantined = sum(1 for m in saved if m.state == State.QUARANTINED)
        report.conversations = len({m.conversation_id for m in saved if m.kind == Kind.TURN})
        report.notes = sum(1 for m in saved if m.kind == Kind.NOTE) if parsed.archive is None else 0
        if saved and parsed.archive is None:
            self.stored(saved, lambda done, total: progress("Facts", done, total))
        elif held:
            self.stored(held)  # the guard learns from the archive records it held back
        if saved:
            self.store.compact()  # bulk work: merge the batches' files, drop the versions they left
        return report

    # ------------------------------------------------------------ external turns
    def _from_turns(self, parsed: ParsedImport, file_name: str):
        report = ImportReport(file_name, parsed.format,
                              found=len(parsed.turns) + len(parsed.notes) + parsed.rejected.total)
        seen = Counter(_turn_key(m) for m in self.store.all(kinds=[Kind.TURN]))
        source = f"import:{file_name}"
        now = to_epoch(self.clock.now())
        memories, occurrences = [], Counter()
        for turn in parsed.turns:
            at = to_epoch(turn.at) if turn.at is not None else None
            digest = content_hash(turn.text)
            key = (turn.conversation_id, turn.role, turn.speaker, digest, at)
            occurrences[key] += 1
            if occurrences[key] <= seen[key]:
                report.duplicates += 1
                continue
            importance = default_importance(Kind.TURN, source, turn.role)
            memories.append(Memory(
                id=new_id(), text=turn.text, kind=str(Kind.TURN), source=source, created_at=now,
                role=turn.role, speaker=turn.speaker, conversation_id=turn.conversation_id, event_at=at,
                importance=importance, strength=self.policy.initial_strength(importance),
                state=str(State.ACTIVE), content_hash=digest, updated_at=now))
        memories += self._notes(parsed, source, now, report)
        return memories, [], report

    def _notes(self, parsed: ParsedImport, source: str, now: float, report: ImportReport) -> list[Memory]:
        """Notes about the user from the file: one per text (what is remembered already is not again)."""
        known = {m.content_hash for m in self.store.all(kinds=[Kind.NOTE]) if m.state != State.DELETED}
        out = []
        for note in parsed.notes:
            text = with_tags(note.text, note.tags)
            digest = content_hash(text)
            if digest in known:
                report.duplicates += 1
                continue
            known.add(digest)
            importance = default_importance(Kind.NOTE, source)
            out.append(Memory(
                id=new_id(), text=text, kind=str(Kind.NOTE), source=source, created_at=now,
                event_at=to_epoch(note.at) if note.at is not None else None, importance=importance,
                strength=self.policy.initial_strength(importance), state=str(State.ACTIVE), content_hash=digest,
                updated_at=now))
        return out

    # ------------------------------------------------------------ Mnemo archives
    def _from_archive(self, parsed: ParsedImport, file_name: str):
        content = parsed.archive
        report = ImportReport(file_name, "mnemo", found=len(content.memories) + parsed.rejected.total,
                              settings=content.settings)
        present = self.store.all()
        ids = {m.id for m in present}
        seen = Counter(_turn_key(m) for m in present if m.kind == Kind.TURN)
        notes = {m.content_hash for m in present if m.kind == Kind.NOTE and m.state != State.DELETED}
        taken, occurrences = [], Counter()
        for m in content.memories:
            duplicate = m.id in ids
            if not duplicate and m.kind == Kind.TURN:
                occurrences[_turn_key(m)] += 1
                duplicate = occurrences[_turn_key(m)] <= seen[_turn_key(m)]
            elif not duplicate and m.kind == Kind.NOTE:
                duplicate = m.content_hash in notes
            if duplicate:
                report.duplicates += 1
            else:
                taken.append(m)
        kept = {m.id for m in taken}
        known = {h.id for h in self.store.history()} if kept else set()
        history = [h for h in content.history if h.memory_id in kept and h.id not in known]
        return taken, history, report

    def _screen_archive(self, memories: list[Memory], history: list[HistoryEntry], file_name: str):
        """An archive comes from outside, whatever source its records claim: each is screened as an
        import (its own source is kept for display). A lesson that trusts a record (a false alarm,
        a correction) is kept only as trusted as that record: when it is held back, so is the lesson.
        Returns the records, their history with the guard's verdicts added, and those held back now
        (labelled as the import, for the guard's lessons)."""
        now = to_epoch(self.clock.now())
        source = f"import:{file_name}"
        out, added, held, distrusted = [], [], [], set()
        for m in memories:
            if m.kind == Kind.LESSON or m.state in (State.QUARANTINED, State.DELETED):
                out.append(m)
                continue
            seen = self.screen(m.with_changes(source=source))
            if seen.state == State.QUARANTINED:
                added.append(HistoryEntry(new_id(), m.id, now, "import", "state", m.state, str(State.QUARANTINED),
                                          f"imported from {file_name}; quarantined: {seen.guard_reason}"))
                m = m.with_changes(state=str(State.QUARANTINED), guard_verdict=seen.guard_verdict,
                                   guard_reason=seen.guard_reason, updated_at=now)
                held.append(seen)
            if m.state in (State.QUARANTINED, State.DELETED):
                distrusted.add(m.id)
            out.append(m)
        for i, m in enumerate(out):
            if (m.kind == Kind.LESSON and m.guard_verdict in TRUSTING and m.state != State.DELETED
                    and m.links and m.links[0] in distrusted):
                added.append(HistoryEntry(new_id(), m.id, now, "import", "state", m.state, str(State.DELETED),
                                          f"imported from {file_name}; set aside: the record it trusts was held back"))
                out[i] = m.with_changes(state=str(State.DELETED), updated_at=now)
        return out, history + added, held

    def _embed(self, memories: list[Memory], given: dict[str, np.ndarray], progress: Progress,
               cancel: threading.Event | None) -> list[Memory]:
        need = [i for i, m in enumerate(memories) if m.id not in given]
        vectors: dict[int, np.ndarray] = {i: given[m.id] for i, m in enumerate(memories) if m.id in given}
        progress("Reading", 0, len(need))
        for start in range(0, len(need), EMBED_BATCH):
            if cancel is not None and cancel.is_set():
                raise Cancelled("The import was cancelled; nothing was changed.")
            chunk = need[start:start + EMBED_BATCH]
            for i, vector in zip(chunk, self.embedder.embed([index_text(memories[i]) for i in chunk])):
                vectors[i] = vector
            progress("Reading", start + len(chunk), len(need))
        return [m.with_changes(vector=vectors[i]) for i, m in enumerate(memories)]


def _turn_key(m: Memory) -> tuple:
    return (m.conversation_id, m.role, m.speaker, m.content_hash, m.event_at)


def file_label(path: Path) -> str:
    return Path(path).name


def with_tags(text: str, tags: tuple[str, ...]) -> str:
    """A note's tags (an Obsidian note's front matter) that its text does not show, on a last line,
    so that they are read and found with it."""
    missing = [t for t in dict.fromkeys(tags) if t and f"#{t}".lower() not in text.lower()]
    return f"{text}\n\nTags: {' '.join('#' + t for t in missing)}" if missing else text
