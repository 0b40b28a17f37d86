"""Is an answer supported by the memories it was given?

A claim is what a wrong answer usually gets wrong: a name or place (a capitalised word), a
number (digits, however they are grouped: "123-45678" is 12345678), a month or weekday. An
answer is supported when every claim in it is found in a memory of the prompt (its words, its
date, who said it) or in the question itself. Everything else in an answer (how it is
phrased) is not checked: a supported answer can still be wrong, but it cannot invent a name,
a number or a date."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..days import long_day
from ..text import STOPWORDS, terms, words

_NUMBER = re.compile(r"\d(?:[\d\s().:/,+-]*\d)?")
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”()\[\]\n]\s*|\s-\s)$")
# Words that open a sentence in an answer without naming anything.
OPENERS = frozenset(
    """yes no sorry based according unfortunately however also note notes well okay ok sure
    hi hello today tomorrow yesterday tonight from as per in on at it there this that they
    you your i i'm i've i'd i'll we our my he she his her their here call remember try ask
    check keep go see maybe perhaps probably""".split())
MONTHS = tuple(date(2000, m, 1).strftime("%B").casefold() for m in range(1, 13))
WEEKDAYS = tuple(date(2000, 1, d).strftime("%A").casefold() for d in range(3, 10))
_ABBREVIATED = {name[:3]: name for name in MONTHS + WEEKDAYS}
_ABBREVIATED["sept"] = "september"


@dataclass(frozen=True)
class Check:
    supported: bool
    unsupported: tuple[str, ...]  # the claims no memory and not the question holds


def digits(text: str) -> list[str]:
    """The numbers in a text, as digit strings ("123-45678" -> "12345678", "3:30" -> "330")."""
    return [re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(text)]


def _word(token: str) -> str:
    token = token.casefold().replace("’", "'").strip("'-")
    for tail in ("'s", "'"):
        if token.endswith(tail):
            token = token[: -len(tail)]
    return token


def claims(text: str) -> list[str]:
    """The names, places, numbers, months and weekdays an answer states, in order."""
    found: list[str] = []
    for match in _CAPITALISED.finditer(text):
        token = _word(match.group())
        if not token or token in STOPWORDS or _ABBREVIATED.get(token, token) in MONTHS + WEEKDAYS:
            continue  # months and weekdays are taken below, however they are written
        opening = bool(_SENTENCE_START.search(text[: match.start()]))
        if opening and token in OPENERS:
            continue
        found.append(token)
    for word in words(text):
        full = _ABBREVIATED.get(word, word)
        if full in MONTHS or full in WEEKDAYS:
            found.append(full)
    found += digits(text)
    return list(dict.fromkeys(found))


def support_text(memory, day: date | None = None) -> str:
    """What a memory vouches for: its words, who said them and the day it was said."""
    parts = [memory.text, getattr(memory, "speaker", "") or ""]
    if day is not None:
        parts.append(long_day(day))
    return "\n".join(parts)


def check(answer: str, sources: list[str], question: str = "") -> Check:
    """Every claim of `answer` must be in one of `sources` (see `support_text`) or the question."""
    pool = sources + [question]
    vocabulary: set[str] = set()
    numbers: set[str] = set()
    for text in pool:
        for token in re.findall(r"[\w'’-]+", text):
            word = _word(token)
            vocabulary.add(word)
            vocabulary.add(_ABBREVIATED.get(word, word))
            vocabulary.update(part for part in re.split(r"[-']", word) if part)
        numbers.update(digits(text))
    missing = []
    for claim in claims(answer):
        if claim.isdigit():
            ok = claim in numbers or (len(claim) >= 4 and any(claim in n for n in numbers))
        else:
            ok = claim in vocabulary or all(part in vocabulary for part in re.split(r"[-']", claim) if part)
        if not ok:
            missing.append(claim)
    return Check(not missing, tuple(missing))


def keeps(answer: str, sentence: str, question: str = "") -> bool:
    """The answer says every name, number and date of `sentence` that the question did not,
    and at least one of the words the sentence adds to the question (its answer: "penicillin"
    for "What am I allergic to?"; "The answer to this question is:" says none)."""
    asked = set(claims(question)) | {_word(w) for w in question.split()}
    said = set(claims(answer))
    if not all(c in said for c in claims(sentence) if c not in asked):
        return False
    new = set(terms(sentence)) - set(terms(question)) - FILLER
    return not new or bool(new & set(terms(answer)))


# Words a phrasing may add without saying anything new ("Your sister is called Anna").
FILLER = frozenset(terms("name named called call yes no answer question told said say says"))


def adds(answer: str, sentence: str, question: str = "") -> tuple[str, ...]:
    """The content words of `answer` that neither `sentence` nor the question has (stemmed):
    a phrasing that adds one says something the memory did not ("guitar" for a violin)."""
    known = set(terms(sentence)) | set(terms(question)) | FILLER
    return tuple(dict.fromkeys(t for t in terms(answer) if t not in known and not t.isdigit()))
