"""How much a new memory matters, and why: it sets how long it is kept (core/memory/decay.py).

A small classifier over the memory's own MiniLM vector: for each kind of memory (health,
codes, people, places, dates, work, money, plans, preferences, everyday details, small talk)
the mean similarity to its three closest written examples (core/intake/importance_examples.py);
the best kind wins when it is clear enough. On top, what the memory is: a note the user saved,
a request to remember ("remember that…", "don't forget…", not "I remember when…"), the
assistant's own words, a question the user asked, a short pleasantry. Last, the user's
importance defaults (`ImportanceDefaults`, Preferences ▸ Importance): per way a memory arrives
(a note typed or quick-captured, the chat, an import, a connected app), at least and at most how
much it matters at first; the defaults are the rules as they always were.

Measured by tests/core/intake/test_importance.py on HELD_OUT (importance_examples.py)."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, fields
from typing import Callable, Sequence

import numpy as np

from ..memory.records import Kind, Memory, Source, base_source
from .importance_examples import KINDS, TRAIN

TOP = 3  # examples per kind that vote
CLEAR = 0.3  # below this similarity the kind is not clear: an everyday detail
# A request to remember, at the start of a sentence ("Remember that…", "Please don't forget…",
# "Note to self:", "Mnemo, keep in mind…") or addressed to the assistant ("I want you to remember…"),
# and never a question: "What do you remember from it?" and "I remember when…" are conversation.
_LEAD = r"(?:(?:oh|ok(?:ay)?|and|also|so|btw|by the way|but|hey|hi|one more thing|mnemo)\b[\s,:;!.-]*)*"
_PLEASE = r"(?:(?:please|pls|just|always)\b[\s,]*)*"
_YOU = (r"(?:i\s+(?:want|need|would\s+like)\s+you\s+to|i[’']d\s+like\s+you\s+to"
        r"|you\s+(?:should|must|need\s+to|have\s+to)|make\s+sure\s+(?:you|to)|(?:can|could|would|will)\s+you)"
        r"\s+(?:please\s+)?(?:always\s+)?remember\b")
_REMINISCE = r"(?:when|the time|the day|back when|those|how we|that (?:day|time|night|trip|summer|weekend))"
_REQUEST = (rf"{_PLEASE}(?:remember\b(?!\s+{_REMINISCE}\b)|do\s*n[o'’]?t\s+(?:ever\s+)?forget\b|never\s+forget\b"
            rf"|note\s+to\s+self\b|keep\s+in\s+mind\b|important\s*:|{_YOU})")
REMEMBER = re.compile(rf"^{_LEAD}{_REQUEST}", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")
CODE = re.compile(r"\b(?:code|pin|password|passcode|number|no\.|id|reference|combination|plate)\b[^.]{0,30}\d{3,}"
                  r"|\d{3,}[^.]{0,20}\b(?:code|pin|password)\b", re.IGNORECASE)
PLEASANTRY = re.compile(r"^(?:(?:ok(?:ay)?|k|thanks?(?: you)?(?: so much)?|ty|lol|haha+|hah|hehe|yes|yeah|yep|no|"
                        r"nope|sure(?: thing)?|cool|nice|great|wow|hmm+|hi|hey|hello|bye|good (?:morning|night|"
                        r"evening)|see you(?: later)?|cheers|no worries|right|got it)\b[\s!.?,:)]*)+$",
                        re.IGNORECASE)  # "haha ok", "ok thanks!", "cool cool": only pleasantries
NOTE_FLOOR = 0.75  # a note the user chose to save is kept at least this well
ASSISTANT = 0.3
QUESTION = 0.3
IMPORT_CEILING = 0.9  # an imported message is kept at most this well (unless it asks to be remembered)
WAYS = ("notes", "chat", "imports", "apps")  # how a memory arrives, as ImportanceDefaults names them


@dataclass(frozen=True)
class ImportanceDefaults:
    """How much a new memory matters at first, per way it arrives: what it says decides, kept
    between `<way>_at_least` and `<way>_at_most` (0..1). Ways: notes (typed or Quick Capture),
    chat (what the user says; questions are conversation history), imports, apps (programs
    connected over MCP). A request to remember, the assistant's words and questions are outside
    them. The defaults reproduce the rules as they were: a saved note at least NOTE_FLOOR, an
    imported message at most IMPORT_CEILING."""
    notes_at_least: float = NOTE_FLOOR
    notes_at_most: float = 1.0
    chat_at_least: float = 0.0
    chat_at_most: float = 1.0
    imports_at_least: float = 0.0
    imports_at_most: float = IMPORT_CEILING
    apps_at_least: float = 0.0
    apps_at_most: float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ValueError(f"{f.name} must be a number from 0 to 1")
        for way in WAYS:
            if self.bounds(way)[0] > self.bounds(way)[1]:
                raise ValueError(f"{way}_at_least must not be more than {way}_at_most")

    def bounds(self, way: str) -> tuple[float, float]:
        return getattr(self, f"{way}_at_least"), getattr(self, f"{way}_at_most")


def way_of(memory: Memory) -> str | None:
    """The way a memory arrived, as ImportanceDefaults names it (None: none of them)."""
    source = base_source(memory.source)
    if memory.kind == Kind.NOTE and source in ("user", "quick_capture"):
        return "notes"
    if source == "import":
        return "imports"
    if source == "agent":
        return "apps"
    if memory.source == Source.CHAT and memory.kind == Kind.TURN:
        return "chat"
    return None


class ImportanceJudge:
    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray], defaults: ImportanceDefaults | None = None):
        self.defaults = defaults or ImportanceDefaults()  # Preferences ▸ Importance (may change while running)
        self._embed = embed
        self._examples: np.ndarray | None = None
        self._labels: list[str] = []
        self._lock = threading.Lock()

    def _fit(self) -> None:
        with self._lock:
            if self._examples is not None:
                return
            texts, labels = [], []
            for kind, sentences in TRAIN.items():
                texts += sentences
                labels += [kind] * len(sentences)
            self._examples = np.asarray(self._embed(texts), dtype=np.float32)
            self._labels = labels

    def kinds(self, vectors: np.ndarray) -> list[tuple[str, float]]:
        """(kind, how clearly) for each vector: the mean similarity to the kind's closest examples."""
        self._fit()
        sims = np.asarray(vectors, dtype=np.float32) @ self._examples.T
        labels = np.array(self._labels)
        names = list(KINDS)
        votes = np.full((len(sims), len(names)), -1.0, dtype=np.float32)
        for j, name in enumerate(names):
            block = sims[:, labels == name]
            if block.shape[1]:
                top = np.sort(block, axis=1)[:, -min(TOP, block.shape[1]):]
                votes[:, j] = top.mean(axis=1)
        best = votes.argmax(axis=1)
        return [(names[b], float(votes[i, b])) for i, b in enumerate(best)]

    def judge(self, memory: Memory, vector: np.ndarray) -> tuple[float, str]:
        return self.judge_many([memory], np.asarray([vector]))[0]

    def judge_many(self, memories: list[Memory], vectors: np.ndarray) -> list[tuple[float, str]]:
        """(importance, reason) for each memory, from what it is and what it says."""
        if not memories:
            return []
        found = self.kinds(vectors)
        defaults = self.defaults
        return [_rules(m, kind, clarity, defaults) for m, (kind, clarity) in zip(memories, found)]


def decide_kind(text: str, kind: str, clarity: float) -> str:
    """The kind a text is weighed as: the classifier's (kind, clarity), overruled by what the
    words show (a pleasantry, a code) or by too little clarity (an everyday detail)."""
    text = text.strip()
    if PLEASANTRY.match(text):
        return "smalltalk"
    if CODE.search(text):
        return "codes"
    return "everyday" if clarity < CLEAR else kind


def _rules(memory: Memory, kind: str, clarity: float,
           defaults: ImportanceDefaults | None = None) -> tuple[float, str]:
    defaults = defaults or ImportanceDefaults()
    text = memory.text.strip()
    if memory.role == "assistant" or memory.source == Source.ASSISTANT:
        return ASSISTANT, "the assistant's own words (kept as conversation history)"
    importance, reason = KINDS[decide_kind(text, kind, clarity)]
    if memory.source == Source.CHAT and memory.kind == Kind.TURN and text.endswith("?"):
        return QUESTION, "a question you asked (kept as conversation history)"
    if asks_to_remember(text):
        return 0.95, f"you asked to remember it; {reason}"
    way = way_of(memory)
    if way is None:
        return importance, reason
    low, high = defaults.bounds(way)
    bounded = min(max(importance, low), high)
    if way == "notes":
        reason = f"a note you saved; {reason}"
    elif way == "imports":
        reason = f"{reason} (imported)"
    if (low, high) != ImportanceDefaults().bounds(way) and bounded != importance:
        reason += f" ({'at least' if bounded > importance else 'at most'} {bounded:.2f}, as set in Preferences)"
    return bounded, reason


def asks_to_remember(text: str) -> bool:
    """A sentence of `text` asks to remember something (see REMEMBER); questions never do."""
    for sentence in _SENTENCES.split(text):
        sentence = sentence.strip().lstrip("-*•>\"'“‘( ").rstrip()
        if sentence and not sentence.endswith("?") and REMEMBER.match(sentence):
            return True
    return False


def level(value: str) -> float:
    """A person's word for importance, or a number 0..1."""
    words = {"low": 0.2, "normal": 0.5, "high": 0.85, "highest": 0.95}
    if value.strip().lower() in words:
        return words[value.strip().lower()]
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError("importance is low, normal, high, highest or a number from 0 to 1")
    return number
