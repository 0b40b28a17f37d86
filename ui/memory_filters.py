"""The Memories tab's filters (kind, source, state, date) and the listing they choose: every
memory, or a search's hits, narrowed by the filters, with how many there were before
("3 of 12 memories"). `find` runs on a worker; the rest is for the GUI thread."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from core.memory.records import COUNTED_KINDS

KINDS = [("All memories", "all"), ("Notes", "notes"), ("Chat", "chat"), ("Facts", "facts"),
         ("Summaries", "summaries")]
SOURCES = [("All sources", "all"), ("Typed by you", "you"), ("Imported", "imported"),
           ("Other programs", "programs")]
STATES = [("Any state", "all"), ("Active", "active"), ("Fading", "fading"), ("Forgotten", "forgotten"),
          ("Pinned", "pinned"), ("Deleted", "deleted")]
DATES = [("Any time", "any"), ("Last 7 days", "7"), ("Last 30 days", "30"), ("This year", "year")]
KIND_OF = {"notes": {"note"}, "chat": {"turn"}, "facts": {"fact"},
           "summaries": {"day_summary", "global_summary", "portrait"}}
SOURCE_OF = {"you": {"chat", "quick_capture", "user", "clipboard"}, "imported": {"import"}, "programs": {"agent"}}
SEARCH_K = 50


@dataclass(frozen=True)
class Filters:
    kind: str = "all"
    source: str = "all"
    state: str = "all"
    date: str = "any"

    @property
    def narrowing(self) -> bool:
        return self != Filters()

    @property
    def facts(self) -> bool:
        return self.kind == "facts"


def since(choice: str, now: float) -> float | None:
    """The earliest time a memory may be about under the date filter (None: any time)."""
    if choice in ("7", "30"):
        return now - int(choice) * 86400
    if choice == "year":
        local = datetime.fromtimestamp(now, timezone.utc).astimezone()
        return local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0).timestamp()
    return None


def in_family(memory, filters: Filters) -> bool:
    """Facts are listed apart: "All memories" is what was said, noted and written, not what was distilled
    (core/memory/records.py COUNTED_KINDS: the count is the same on every screen)."""
    return memory.kind == "fact" if filters.facts else memory.kind in COUNTED_KINDS


def passes(memory, filters: Filters, start: float | None) -> bool:
    """Does the memory pass the filters (`start`: the date filter's earliest time, see `since`)?"""
    if not in_family(memory, filters):
        return False
    if filters.kind in KIND_OF and memory.kind not in KIND_OF[filters.kind]:
        return False
    if filters.source in SOURCE_OF and (memory.source.split(":", 1)[0] not in SOURCE_OF[filters.source]
                                        or memory.role == "assistant"):
        return False
    if filters.state == "all" and memory.state == "deleted":
        return False
    if filters.state != "all" and memory.state != filters.state:
        return False
    return start is None or memory.when >= start


def find(mnemo, query: str, filters: Filters) -> tuple[list, int]:
    """On a worker: ([(memory, why it was found)], how many there were before the filters)."""
    start = since(filters.date, mnemo.clock.now().timestamp())
    if query and filters.state == "deleted":  # search leaves deleted memories out: their words, then
        words = query.casefold().split()
        found = [m for m in mnemo.memories(include_deleted=True) if m.state == "deleted" and in_family(m, filters)
                 and all(w in m.text.casefold() for w in words)]
        return [(m, f"its words include “{query}”") for m in found if passes(m, filters, start)], len(found)
    if query:
        kinds = sorted(KIND_OF[filters.kind]) if filters.kind in KIND_OF else None
        hits = mnemo.search(query, k=SEARCH_K, relevant_only=True, forgotten_too=True, kinds=kinds)
        family = [h for h in hits if in_family(h.memory, filters)]
        return [(h.memory, h.reason) for h in family if passes(h.memory, filters, start)], len(family)
    memories = mnemo.memories(include_deleted=True)
    total = sum(1 for m in memories if in_family(m, filters) and m.state != "deleted")
    return [(m, "") for m in memories if passes(m, filters, start)], total


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def count_text(shown: int, total: int, query: str, filters: Filters) -> str:
    """What the count line says: "12 memories", "3 of 12 memories", "2 matches"..."""
    if query:
        if shown == 0:
            return "No memory matches."
        matches = _plural(total, "match", "matches")
        return matches if shown == total else f"{shown} of {matches}"
    if filters.state == "deleted":
        return "No deleted memories." if shown == 0 else _plural(shown, "deleted memory", "deleted memories")
    one, many = ("fact", "facts") if filters.facts else ("memory", "memories")
    if total == 0:
        return ("No facts yet: they are distilled from what you tell Mnemo." if filters.facts else
                "No memories yet. Tell Mnemo something in the chat or add a quick note.")
    return _plural(total, one, many) if shown == total else f"{shown} of {_plural(total, one, many)}"


def _box(name: str, accessible: str, tip: str, items: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setToolTip(tip)
    for title, value in items:
        box.addItem(title, value)
    return box


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = _box("kindFilter", "Kind", "Which kind of memory: notes, chat, facts (what Mnemo distilled "
                         "from what you said) or summaries", KINDS)
        self.source = _box("sourceFilter", "Source", "Where it came from: typed (or pasted) by you, imported "
                           "from a file, or written by another program you allowed", SOURCES)
        self.state = _box("stateFilter", "State", "Active, fading, forgotten, pinned or deleted (any state "
                          "leaves out the deleted ones)", STATES)
        self.date = _box("dateFilter", "Date", "When it happened", DATES)
        self.clear_button = QPushButton("Clear Filters")
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setToolTip("Show every memory again")
        self.clear_button.clicked.connect(self.reset)
        self.clear_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for box in self.boxes():
            box.currentIndexChanged.connect(self._changed)
            layout.addWidget(box)
        layout.addStretch(1)  # the Clear Filters button is placed by the view, beside the count

    def boxes(self) -> list[QComboBox]:
        return [self.kind, self.source, self.state, self.date]

    def filters(self) -> Filters:
        return Filters(*(box.currentData() for box in self.boxes()))

    def reset(self) -> None:
        """Back to every memory (one `changed`)."""
        for box in self.boxes():
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self._changed()

    def _changed(self, _index: int = 0) -> None:
        self.clear_button.setVisible(self.filters().narrowing)
        self.changed.emit()
