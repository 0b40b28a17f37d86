"""The core facade the app and the UI talk to: one object per open data directory."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Callable

from .answer import Answer, AnswerService
from .capture import CaptureResult, CaptureService
from .clock import Clock
from .embedder import Embedder
from .llm import ChatModel
from .records import RETRIEVABLE_STATES, Memory, Source, State, base_source
from .retrieval import Hit, Retriever
from .store import MemoryStore


class Mnemo:
    def __init__(self, data_dir: Path, clock: Clock, embedder: Embedder, model: ChatModel):
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.embedder = embedder
        self.model = model
        self.store = MemoryStore.open(self.data_dir, clock, dim=embedder.dim)
        self.capture = CaptureService(self.store, embedder, clock)
        self.retriever = Retriever(self.store, embedder)
        self.answers = AnswerService(self.retriever, model, self.capture, clock)

    def close(self) -> None:
        self.store.close()

    def use_model(self, model: ChatModel) -> None:
        """Answer with another (already loaded) model from now on."""
        self.model = model
        self.answers.model = model

    # capture
    def add_note(self, text: str, source: str = Source.USER, at: datetime | None = None) -> CaptureResult:
        return self.capture.add_note(text, source=source, at=at)

    # retrieval
    def search(self, query: str, k: int = 10, relevant_only: bool = True) -> list[Hit]:
        """Ranked memories; by default only those close in meaning or sharing a word."""
        hits = self.retriever.search(query, k=k)
        return [h for h in hits if h.relevant] if relevant_only else hits

    # answering
    def ask(self, question: str, on_token: Callable[[str], None] | None = None,
            cancel: threading.Event | None = None, capture: bool = True, conversation_id: str = "",
            on_memories: Callable[[list[Hit]], None] | None = None) -> Answer:
        return self.answers.ask(question, on_token=on_token, cancel=cancel, capture=capture,
                                conversation_id=conversation_id, on_memories=on_memories)

    # browsing and editing
    def memories(self, include_deleted: bool = False) -> list[Memory]:
        records = self.store.all()
        if not include_deleted:
            records = [m for m in records if m.state != State.DELETED]
        return sorted(records, key=lambda m: m.created_at, reverse=True)

    def pin(self, memory_id: str) -> None:
        self.store.set_state([memory_id], State.PINNED, actor="user", reason="pinned by the user")

    def unpin(self, memory_id: str) -> None:
        self.store.set_state([memory_id], State.ACTIVE, actor="user", reason="unpinned by the user")

    def delete(self, memory_id: str) -> None:
        self.store.set_state([memory_id], State.DELETED, actor="user", reason="deleted by the user")

    def undelete(self, memory_id: str) -> None:
        self.store.set_state([memory_id], State.ACTIVE, actor="user", reason="delete undone by the user")

    def stats(self) -> dict:
        records = self.store.all()
        return {
            "total": len(records),
            "retrievable": sum(1 for m in records if m.state in RETRIEVABLE_STATES),
            "by_kind": dict(Counter(m.kind for m in records)),
            "by_source": dict(Counter(base_source(m.source) for m in records)),
            "by_state": dict(Counter(m.state for m in records)),
        }
