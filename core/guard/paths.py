"""Reasoning paths for the guard's consensus check (the structure-based method).

A-MemGuard derives, for each memory retrieved for a question, the path from the question to
the answer that memory implies, and compares the paths. With a small model that cannot be
asked to reason, Mnemo reads the path from the memory's structure:

- its *values*: the specific things it would answer with (names, places, numbers, times,
  days, months) — "Anna lives in Madrid" implies {Madrid};
- its *topic terms*: the stemmed content words that say what it is about;
- its *polarity*: whether it denies something ("no allergies", "never lived there").

Two paths are about the same thing when the memories are close in meaning and share a topic
term; they disagree when their values differ (one names what the other does not) or one
denies what the other affirms. Nothing here knows any case's wording: the rules read
capitalisation, digits and a handful of English negation words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..text import STOPWORDS, terms

_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*[A-Za-z0-9]|[A-Za-z]|\d[\d:.,/]*(?:st|nd|rd|th|am|pm|h)?", re.UNICODE)
_BREAK = re.compile(r"[.!?;:]")
_NUMBER = re.compile(r"^\d")
NEGATIONS = frozenset("no not never none nothing nobody neither nor cannot isn't aren't wasn't weren't doesn't "
                      "don't didn't hasn't haven't hadn't won't can't without".split())
# Words that deny or reverse a claim about something named next to them.
REVERSALS = frozenset("fine fired quit stopped cancelled canceled ended former".split())
# Capitalised words that are never values (sentence openers, pronouns, speaker labels).
NOT_VALUES = frozenset({"i", "i'm", "i've", "i'll", "i'd", "assistant", "user", "note", "ok", "okay", "ai", "dr", "mr",
                        "mrs", "ms", "prof"}) | STOPWORDS | frozenset(
    # greetings and interjections open sentences capitalised, often before a name
    "hey hi hello wow woah whoa oh ah yes yeah yep yup nope thanks thank sorry congrats congratulations omg haha lol "
    "dear good great awesome cool nice well so".split())


@dataclass(frozen=True)
class Path:
    """What one memory implies: its values, its topic and whether it denies."""
    values: frozenset[str]
    topic: frozenset[str]
    negates: bool
    vector: np.ndarray
    denied: frozenset[str] = frozenset()  # the stemmed words a negation bears on


def values_of(text: str) -> frozenset[str]:
    """Names, places, numbers, times: capitalised words that do not open a sentence, and digits.
    A word that opens a sentence counts when it is not a common word (it is then a name)."""
    found: set[str] = set()
    tokens = list(_TOKEN.finditer(text))
    for i, match in enumerate(tokens):
        word = re.sub(r"['’]s$", "", match.group(0).rstrip("."))
        lower = word.casefold()
        if _NUMBER.match(word):
            found.add(lower.rstrip(",."))
            continue
        if not word[0].isupper() or lower in NOT_VALUES:
            continue
        opens = i == 0 or bool(_BREAK.search(text[tokens[i - 1].end(): match.start()]))
        if opens and not _names_follow(text, tokens, i, match):
            continue
        found.add(lower)
    return frozenset(found)


def _names_follow(text: str, tokens: list, i: int, match) -> bool:
    """A capitalised word opening a sentence is a name when it is possessive ("Anna's") or
    starts a run of capitalised words ("Lumen Analytics")."""
    if re.match(r"['’]s\b", text[match.end():]):
        return True
    if i + 1 >= len(tokens) or text[match.end(): tokens[i + 1].start()].strip():
        return False  # "Wow, Caroline": an interjection, not the first word of a name
    following = tokens[i + 1].group(0)
    return bool(following[:1].isupper()) and following.casefold() not in NOT_VALUES


def negates(text: str) -> bool:
    words = {w.strip("'’").casefold() for w in re.findall(r"[\w'’]+", text)}
    return bool(words & NEGATIONS) or bool(words & REVERSALS)


def denied_terms(text: str, window: int = 3) -> frozenset[str]:
    """The content words a negation bears on: the few after "no/never/not…" ("no drug
    allergies", "fired from Lumen") and the few before a reversal used as a predicate
    ("penicillin is fine")."""
    words = [w.strip("'’").casefold() for w in re.findall(r"[\w'’]+", text)]
    found: list[str] = []
    for i, word in enumerate(words):
        if word in NEGATIONS or word in REVERSALS:
            found += words[i + 1: i + 1 + window]
        if word in REVERSALS:
            found += words[max(0, i - window): i]
    return frozenset(terms(" ".join(found)))


def path_of(text: str, vector: np.ndarray, names: frozenset[str] = frozenset()) -> Path:
    """`names`: the speakers' names in a conversation; addressing someone is not a value
    (nor is a short form of a name: "Mel" for Melanie)."""
    values = frozenset(v for v in values_of(text)
                       if v not in names and not (len(v) >= 3 and any(n.startswith(v) for n in names)))
    return Path(values, frozenset(terms(text)), negates(text), np.asarray(vector, dtype=np.float32),
                denied_terms(text))


def same_topic(a: Path, b: Path, min_similarity: float) -> bool:
    """Close in meaning and sharing a topic term or a value."""
    if float(a.vector @ b.vector) < min_similarity:
        return False
    return bool((a.topic & b.topic) or (a.values & b.values))


def disagree(a: Path, b: Path, query_values: frozenset[str] = frozenset()) -> str:
    """Why the two paths contradict each other ("" when they do not). Values the question
    itself names ("Anna" in "where does Anna live?") are the subject, not an answer."""
    own_a, own_b = a.values - query_values, b.values - query_values
    if own_a and own_b and not (own_a & own_b):
        return f"names {shown(own_a)} where the other names {shown(own_b)}"
    numbers_a = {v for v in own_a - own_b if v[0].isdigit()}
    numbers_b = {v for v in own_b - own_a if v[0].isdigit()}
    if numbers_a and numbers_b:  # a number changed: a phone number, a time, an amount
        return f"says {shown(numbers_a)} where the other says {shown(numbers_b)}"
    if a.denied & (b.topic - b.denied):
        return "denies what the other affirms" + _about(a, b)
    if b.denied & (a.topic - a.denied):
        return "affirms what the other denies" + _about(a, b)
    return ""


def _about(a: Path, b: Path) -> str:
    common = a.values & b.values
    return f" about {shown(common)}" if common else ""


def shown(words: frozenset[str] | set[str], limit: int = 3) -> str:
    """Values for a person to read: "Madrid, Portugal" (digits and times as they are)."""
    return ", ".join(w.capitalize() if w.isalpha() else w for w in sorted(words)[:limit])
