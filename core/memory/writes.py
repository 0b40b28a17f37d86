"""The store's writes, each one unit on the writer thread (MemoryStore._transaction): the
table first, then the history, then the in-memory mirror. A write that fails half-way is
rolled back (and if even that fails, the next open rolls it back from the ledger)."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import MnemoError, NotFoundError, StoreError
from .history import scrub
from .journal import Cancelled
from .records import HistoryEntry, Memory, content_hash, new_id
from .tables import id_filter

Guard = Callable[[Memory], bool] | None


class RecordWrites:
    """Mixed into MemoryStore (core/memory/store.py), which provides the tables, the mirror,
    the history log, the writer and `_transaction`."""

    def add(self, memories: list[Memory], actor: str, reason: str) -> list[Memory]:
        """Store new memories (each must carry a vector) and record their creation."""
        if not memories:
            return []
        self._check_vectors(memories)
        return self._write(lambda: self._add(memories, actor, reason), "the new memory")

    def _add(self, memories: list[Memory], actor: str, reason: str) -> list[Memory]:
        now = self.clock.now().timestamp()
        stamped = [m.with_changes(updated_at=now) for m in memories]
        self._tables.memories.add(self._arrow(stamped))
        self._history.append([HistoryEntry(new_id(), m.id, now, actor, "created", "", m.state, reason)
                              for m in stamped])
        self._mirror.append(stamped)
        return stamped

    def apply_import(self, memories: list[Memory], history: list[HistoryEntry], cancel=None,
                     progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> list[Memory]:
        """Write validated records (each with its vector, stored exactly as given) and their
        history as one unit: after an error, a cancel (`cancel.is_set()`) or a crash half-way
        the store is as it was before (core/memory/journal.py). Nothing else is written meanwhile."""
        self._check_vectors(memories)
        return self._write(lambda: self._apply_import(memories, history, cancel, progress, batch), "the import")

    def _apply_import(self, memories, history, cancel, progress, batch) -> list[Memory]:
        start = self._journal.begin()
        try:
            for i in range(0, len(memories), batch):
                _check_cancel(cancel)
                chunk = memories[i:i + batch]
                self._tables.memories.add(self._arrow(chunk))
                if progress is not None:
                    progress(i + len(chunk), len(memories))
            for i in range(0, len(history), 10 * batch):
                self._history.append(history[i:i + 10 * batch])
            _check_cancel(cancel)
        except BaseException:
            self._journal.undo(start)
            raise
        self._journal.finish()
        self._mirror.append(memories)
        return memories

    def set_state(self, memory_ids: list[str], state: str, actor: str, reason: str,
                  only_if: Guard = None) -> list[Memory]:
        """Move memories to `state`. `only_if(record)` is checked on the writer thread, against
        the record as it is at the moment of writing: a memory the user changed meanwhile (a
        pin, a delete) is left alone."""
        for memory_id in memory_ids:
            self.get(memory_id)  # raises NotFoundError before anything is written
        return self._write(lambda: self._set_state(memory_ids, state, actor, reason, only_if), "the change")

    def _set_state(self, memory_ids, state, actor, reason, only_if) -> list[Memory]:
        now = self.clock.now().timestamp()
        records = self._mirror.records
        current = [records[i] for i in dict.fromkeys(memory_ids) if i in records]
        changing = [m for m in current if m.state != state and (only_if is None or only_if(m))]
        if not changing:
            return []
        self._tables.memories.update(where=id_filter([m.id for m in changing]),
                                     values={"state": str(state), "updated_at": now})
        self._history.append([HistoryEntry(new_id(), m.id, now, actor, "state", m.state, state, reason)
                              for m in changing])
        changed = [m.with_changes(state=str(state), updated_at=now) for m in changing]
        self._mirror.replace(changed)
        return changed

    def reinforce(self, memory_ids: list[str], strengths: dict[str, float], actor: str, reason: str) -> None:
        """These memories were used in an answer: count the recall, set the grown strength
        and restart their forgetting clock."""
        records = self._mirror.records
        ids = [i for i in dict.fromkeys(memory_ids) if i in records]
        if not ids:
            return

        def write() -> None:
            now = self.clock.now().timestamp()
            updated = [records[i].with_changes(
                recall_count=records[i].recall_count + 1, last_recalled_at=now, reinforced_at=now,
                strength=float(strengths.get(i, records[i].strength)), updated_at=now) for i in ids if i in records]
            self._rewrite(updated, [HistoryEntry(new_id(), m.id, now, actor, "recalled", m.state, m.state, reason)
                                    for m in updated])
        self._write(write, "the recall")

    def restore(self, memory_ids: list[str], state: str, actor: str, reason: str,
                only_if: Guard = None) -> list[Memory]:
        """Set `state` and restart the forgetting clock (restore, unpin). `only_if` as in set_state."""
        for memory_id in memory_ids:
            self.get(memory_id)

        def write() -> list[Memory]:
            now = self.clock.now().timestamp()
            records = self._mirror.records
            old = [records[i] for i in dict.fromkeys(memory_ids)
                   if i in records and (only_if is None or only_if(records[i]))]
            if not old:
                return []
            updated = [m.with_changes(state=str(state), reinforced_at=now, updated_at=now) for m in old]
            self._rewrite(updated, [HistoryEntry(new_id(), m.id, now, actor, "state", m.state, str(state), reason)
                                    for m in old])
            return updated
        return self._write(write, "the change")

    def set_guard(self, memory_id: str, verdict: str, reason: str, links: tuple[str, ...] = (),
                  state: str | None = None, actor: str = "guard", only_if: Guard = None) -> Memory | None:
        """Record the guard's verdict on a memory (and optionally move it to `state`): why it
        was quarantined, excluded or released, and the memories it conflicted with."""
        self.get(memory_id)

        def write() -> Memory | None:
            old = self._mirror.records.get(memory_id)
            if old is None or (only_if is not None and not only_if(old)):
                return None
            now = self.clock.now().timestamp()
            new = old.with_changes(guard_verdict=verdict, guard_reason=reason, links=tuple(links),
                                   state=str(state or old.state), updated_at=now)
            self._rewrite([new], [HistoryEntry(new_id(), new.id, now, actor, f"guard:{verdict}", old.state,
                                               new.state, reason)])
            return new
        return self._write(write, "the guard's verdict")

    def upsert(self, memory: Memory, actor: str, reason: str) -> Memory:
        """Store `memory` (with its vector) under its id: add it, or rewrite the record with
        that id (a regenerated summary keeps its id, state and pin)."""
        self._check_vectors([memory])

        def write() -> Memory:
            old = self._mirror.records.get(memory.id)
            if old is None:
                return self._add([memory], actor, reason)[0]
            now = self.clock.now().timestamp()
            new = memory.with_changes(state=old.state, created_at=old.created_at, updated_at=now)
            self._rewrite([new], [HistoryEntry(new_id(), new.id, now, actor, "revised", old.state, new.state, reason)],
                          vectors={new.id: np.asarray(memory.vector, dtype=np.float32)})
            return new
        return self._write(write, "the memory")

    def rewrite_text(self, memory_id: str, text: str, vector, actor: str, reason: str, drop: list[str] = (),
                     drop_reason: str = "", revised: list[tuple[str, dict, str]] = ()) -> Memory:
        """New words for a memory, with their vector, as one write: the record keeps all else
        (as it is at the moment of writing) and its history an "edited" entry (`reason`, e.g.
        the old words). `drop`: records made from the old words (facts) removed in the same
        write, each with a "removed" entry (`drop_reason`); `revised`: (id, changes, reason)
        applied to other records in it (a fact a dropped one had superseded holds again)."""
        self.get(memory_id)
        vector = np.asarray(vector, dtype=np.float32)
        self._check_vectors([Memory(memory_id, text, "", "", 0.0, vector=vector)])

        def write() -> Memory:
            records = self._mirror.records
            old = records.get(memory_id)
            if old is None:
                raise NotFoundError(f"There is no memory with id {memory_id}.")
            now = self.clock.now().timestamp()
            new = old.with_changes(text=text, content_hash=content_hash(text), updated_at=now)
            gone = [i for i in dict.fromkeys(drop) if i in records and i != memory_id]
            history = [HistoryEntry(new_id(), memory_id, now, actor, "edited", old.state, old.state, reason)]
            history += [HistoryEntry(new_id(), i, now, actor, "removed", records[i].state, "", drop_reason)
                        for i in gone]
            changed = [records[i].with_changes(**changes, updated_at=now) for i, changes, _ in revised
                       if i in records and i not in gone and i != memory_id]
            history += [HistoryEntry(new_id(), i, now, actor, "revised", records[i].state, records[i].state, why)
                        for i, _, why in revised if i in records and i not in gone and i != memory_id]
            if gone:
                self._tables.memories.delete(id_filter(gone))
                self._mirror.remove(set(gone))
            self._rewrite([new, *changed], history, vectors={memory_id: vector})
            return new
        return self._write(write, "the edit")

    def save_batch(self, items: list[tuple[Memory, str]], actor: str) -> list[Memory]:
        """Store many records (each with its vector) in one write: a record whose id is new is
        created, one already stored is rewritten (keeping its state and creation time); a record
        given twice is stored as given last, with each reason in its history. Returns the stored
        records, one per id, in the order first given."""
        if not items:
            return []
        self._check_vectors([m for m, _ in items])

        def write() -> list[Memory]:
            now = self.clock.now().timestamp()
            last: dict[str, Memory] = {}
            reasons: dict[str, list[str]] = {}
            for memory, reason in items:
                last[memory.id] = memory
                reasons.setdefault(memory.id, []).append(reason)
            records = self._mirror.records
            created = [m.with_changes(updated_at=now) for i, m in last.items() if i not in records]
            revised = [m.with_changes(state=records[i].state, created_at=records[i].created_at, updated_at=now)
                       for i, m in last.items() if i in records]
            history = [HistoryEntry(new_id(), m.id, now, actor, "created", "", m.state, reasons[m.id][0])
                       for m in created]
            history += [HistoryEntry(new_id(), m.id, now, actor, "revised", m.state, m.state, reason)
                        for m in created for reason in reasons[m.id][1:]]
            history += [HistoryEntry(new_id(), m.id, now, actor, "revised", records[m.id].state, m.state, reason)
                        for m in revised for reason in reasons[m.id]]
            if created:
                self._tables.memories.add(self._arrow(created))
            self._rewrite(revised, history, vectors={m.id: np.asarray(m.vector, dtype=np.float32) for m in revised})
            if not revised:
                self._history.append(history)
            self._mirror.append(created)
            stored = {m.id: m for m in (*created, *revised)}
            return [stored[i] for i in last]
        return self._write(write, "the memories")

    def scale_strengths(self, kinds, factor: float, actor: str, reason: str,
                        meta: tuple[str, str] | None = None) -> int:
        """Every memory of these kinds (not deleted) kept `factor` times as long: its strength in
        days scaled, each with a history entry, and `meta` (key, value) set, all in one write.
        Returns how many changed."""
        kinds = set(kinds)

        def write() -> int:
            now = self.clock.now().timestamp()
            chosen = [m for m in self._mirror.records.values() if m.kind in kinds and m.state != "deleted"]
            updated = [m.with_changes(strength=float(m.strength) * factor, updated_at=now) for m in chosen]
            self._rewrite(updated, [HistoryEntry(new_id(), m.id, now, actor, "revised", m.state, m.state, reason)
                                    for m in updated])
            if meta is not None:
                self._tables.set_meta(*meta)
            return len(updated)
        return self._write(write, "the memories' strengths")

    def purge(self, memory_ids: list[str], actor: str, reason: str, only_if: Guard = None) -> int:
        """Remove memories for good: their rows, and the old table versions that still held
        their text (their history keeps a 'purged' entry without the text)."""
        def write() -> int:
            records = self._mirror.records
            ids = [i for i in dict.fromkeys(memory_ids) if i in records and (only_if is None or only_if(records[i]))]
            if not ids:
                return 0
            now = self.clock.now().timestamp()
            quotes = purge_quotes([records[i].text for i in ids])
            self._tables.memories.delete(id_filter(ids))
            scrub(self._history, ids, quotes)
            self._history.append([HistoryEntry(new_id(), i, now, actor, "purged", records[i].state, "", reason)
                                  for i in ids])
            self._mirror.remove(set(ids))
            return len(ids)
        count = self._write(write, "the purge")
        if count:
            self.compact()
        return count

    # ---------------------------------------------------------------- helpers
    def _rewrite(self, records: list[Memory], history: list[HistoryEntry],
                 vectors: dict[str, np.ndarray] | None = None) -> None:
        """Replace whole records (one atomic merge on the id). Writer thread only."""
        if not records:
            return
        full = self._mirror.with_vectors(records, vectors)
        # update only: a record another process purged meanwhile must not come back
        self._tables.memories.merge_insert("id").when_matched_update_all().execute(
            self._arrow(full), on_bad_vectors="null")  # a sealed row's vector is null: it is in `sealed`
        self._history.append(history)
        self._mirror.replace(records, vectors)

    def _check_vectors(self, memories: list[Memory]) -> None:
        for m in memories:
            vector = None if m.vector is None else np.asarray(m.vector, dtype=np.float32)
            if vector is None or vector.shape != (self.dim,):
                raise ValueError(f"memory {m.id} has no {self.dim}-dimensional vector")
            if not np.isfinite(vector).all() or abs(float(np.linalg.norm(vector)) - 1.0) > 1e-3:
                raise ValueError(f"memory {m.id} has a vector that is not finite and of unit length")


def purge_quotes(texts: list[str]) -> list[str]:
    """What other records may quote of these texts: the start of each (the 80 characters a
    history reason or a lesson quotes), when long enough not to match by chance."""
    out = []
    for text in texts:
        quote = " ".join(text.split())[:80]
        if len(quote) >= 12:
            out.append(quote)
    return out


def _check_cancel(cancel) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("The import was cancelled; nothing was changed.")


__all__ = ["Guard", "MnemoError", "RecordWrites", "StoreError"]
