"""The sentence of a memory that answers the question, when one does (an extractive answer).

Every sentence of the prompt's memories is scored by how close it is in meaning to the question
(MiniLM), how many of the question's words it shares, and whether it holds the kind of thing
asked for: "who" wants a name the question does not give, "when" a date, "how much" a number,
"where" a place, "what number/code" an identifier (long digits, or digits called a number or
a code: a price is no account number). A sentence that holds nothing of the kind asked for does not answer; below
ANSWERS the best sentence is not an answer at all and Mnemo says it does not know."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..days import day_of, short_day
from ..lifecycle.extractive import split_sentences
from ..memory.records import Kind, Source, base_source
from ..recall.retrieval import Hit
from ..text import terms
from .grounding import MONTHS, WEEKDAYS, claims

# Provisional: set by hand on a dozen questions of my own (docs/results.md, issue 14); to be
# fitted on a written dev set's fit part and reported on the rest.
ANSWERS = 0.45
ALONE = 0.6  # a sentence sharing none of the question's words answers only when this close in meaning
WORD_WEIGHT = 0.25  # share of the question's words the sentence has
TYPE_BONUS = 0.1  # it holds the kind of thing asked for
_DATE_WORDS = re.compile(r"\b(today|tomorrow|tonight|yesterday|next|last|this (?:week|month|year|weekend)|"
                         r"morning|evening|noon|midnight|o'clock|\d{1,2}(?::\d\d)?\s*(?:am|pm)|"
                         r"\d{1,2}(?:st|nd|rd|th)|weekend|week|month|year)\b", re.I)
# A question about how things were ("where did I work before?") still wants the replaced value.
_PAST = re.compile(r"\b(?:before|used to|previous(?:ly)?|formerly|former|old|earlier|last (?:job|place|address))\b", re.I)
_DATE_NUMBER = re.compile(r"\b\d{1,2}[:/.]\d{1,2}\b|\b(?:19|20)\d\d\b")
_IDENTIFIER_WORDS = re.compile(r"\b(?:number|code|pin|passcode|password|no\.|id)\b|#", re.I)
# Words that say what kind of thing is asked, not what it is about ("my sister's name": sister).
ASKING = frozenset({"name", "call", "number", "date", "day", "time", "kind", "type", "thing", "much", "mani"})
_ASKS = (
    ("number", re.compile(r"\bhow (?:much|many|old|long|far|tall|big)\b|\b(?:price|cost|amount)\b", re.I)),
    ("identifier", re.compile(r"\b(?:number|code|pin|passcode|password)\b", re.I)),
    ("date", re.compile(r"\bwhen\b|\bwhat (?:day|date|time|year|month)\b|\b(?:birthday|anniversary)\b", re.I)),
    ("name", re.compile(r"\bwho(?:se|m)?\b|\bname\b|\bcalled\b", re.I)),
    ("place", re.compile(r"\bwhere\b|\baddress\b", re.I)),
)


@dataclass(frozen=True)
class Quote:
    hit: Hit
    sentence: str
    score: float

    def text(self, now: float | None = None) -> str:
        """"From your note of 12 Sep: ..." (the sentence as it was said, with its date)."""
        return f"{origin(self.hit.memory, now)}: {self.sentence}"


def asks_for(question: str) -> str | None:
    """What kind of thing the question wants: number, date, name, place, or None (anything)."""
    for kind, pattern in _ASKS:
        if pattern.search(question):
            return kind
    return None


def holds(sentence: str, kind: str | None, question: str) -> bool:
    """Does the sentence hold a `kind` the question does not already give?"""
    if kind is None:
        return True
    asked = set(claims(question))
    new = [c for c in claims(sentence) if c not in asked]
    numbers = [c for c in new if c.isdigit()]
    if kind == "number":
        return bool(numbers)
    if kind == "identifier":  # a number, a code: long digits, or digits the sentence calls a number or code
        return any(len(n) >= 4 for n in numbers) or bool(numbers and _IDENTIFIER_WORDS.search(sentence))
    if kind == "date":  # a number alone is not a date (a house number, a price)
        return bool(_DATE_NUMBER.search(sentence) or _DATE_WORDS.search(sentence)
                    or any(c in MONTHS or c in WEEKDAYS for c in new))
    names = [c for c in new if not c.isdigit() and c not in MONTHS and c not in WEEKDAYS]
    if kind == "place":
        return bool(names or numbers)
    return bool(names)


def origin(memory, now: float | None = None) -> str:
    day = day_of(memory.when)
    label = short_day(day)
    if now is not None and day_of(now).year == day.year:
        label = label.rsplit(" ", 1)[0]  # "12 Sep" this year, "12 Sep 2025" before
    source = base_source(memory.source)
    if memory.kind == Kind.FACT:
        return f"From what you told me on {label}"
    if source == Source.AGENT:  # written by another program the user allowed
        return f"From what {memory.source.split(':', 1)[-1]} noted on {label}"
    if memory.kind == Kind.NOTE or source in (Source.USER, Source.QUICK_CAPTURE):
        return f"From your note of {label}"
    if memory.speaker:
        return f"From a conversation of {label}, {memory.speaker} said"
    if source == Source.CHAT:
        return f"From what you said on {label}"
    return f"From your imported conversation of {label}"


def best(question: str, hits: list[Hit], embed, question_vector: np.ndarray | None = None) -> Quote | None:
    """The sentence that answers, or None when none of the memories' sentences does. When the
    question names a time, a memory of that time answers if one can; the memory of the event
    the time is measured from ("before my trip to Kyoto": the trip) does not."""
    hits = [h for h in hits if not getattr(h, "marks_time", "")] or hits
    timed = [h for h in hits if h.in_time]
    if timed and len(timed) < len(hits):
        quote = best(question, timed, embed, question_vector)
        if quote is not None:
            return quote
    pieces: list[tuple[Hit, str]] = []
    past = bool(_PAST.search(question))
    for hit in hits:
        if hit.memory.kind in (Kind.DAY_SUMMARY, Kind.GLOBAL_SUMMARY) or (hit.superseded and not past):
            continue
        sentences = split_sentences(hit.memory.text, min_words=1) or [hit.memory.text.strip()]
        pieces += [(hit, s) for s in sentences if not s.rstrip().endswith("?")]  # a question is no answer
    if not pieces:
        return None
    qvec = question_vector if question_vector is not None else embed([question])[0]
    vectors = embed([s for _, s in pieces])
    similarity = vectors @ qvec / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(qvec) + 1e-9)
    wanted = set(terms(question)) - ASKING
    kind = asks_for(question)
    scored = []
    for (hit, sentence), close in zip(pieces, similarity.tolist()):
        if not holds(sentence, kind, question):
            continue
        shared = len(wanted & set(terms(sentence))) / max(len(wanted), 1)
        if hit.replaces:  # the newer statement of what an older memory said: as close as that one was
            close = max(close, hit.dense_score or 0.0)
        elif wanted and not shared and close < ALONE:
            continue  # about something else ("my brother's name" is not "the plumber's name")
        score = close + WORD_WEIGHT * shared + (TYPE_BONUS if kind else 0.0)
        scored.append(Quote(hit, sentence, score))
    if not scored:
        return None
    top = max(scored, key=lambda q: q.score)
    return top if top.score >= ANSWERS else None
