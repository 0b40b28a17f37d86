"""Word-level text handling shared by keyword search and explanations."""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[\w']+", re.UNICODE)
# control characters a memory's text never keeps (tab and line breaks stay)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """The text without control characters (NUL, escape sequences' ESC, ...), tab and line breaks kept."""
    return _CONTROLS.sub("", text)


def has_words(text: str) -> bool:
    """Does the text hold anything a person can read (not only spaces, marks or controls)?"""
    return any(ch.isalnum() or (not ch.isspace() and ch.isprintable()) for ch in text)

# A compact English stop-word list (function words only; content words are kept).
STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's i
    i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
    myself no nor not of off on once only or other ought our ours ourselves out over own same
    shan't she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this
    those through to too under until up very was wasn't we we'd we'll we're we've were weren't
    what what's when when's where where's which while who who's whom why why's with won't would
    wouldn't you you'd you'll you're you've your yours yourself yourselves""".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    return [w.strip("'") for w in _WORD.findall(text.casefold()) if w.strip("'")]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def terms(text: str) -> list[str]:
    """Stemmed content words: the keys of keyword search."""
    found = content_words(text)
    return _stemmer().stemWords(found) if found else []


def terms_many(texts: list[str]) -> list[list[str]]:
    stemmer = _stemmer()
    out = []
    for text in texts:
        found = content_words(text)
        out.append(stemmer.stemWords(found) if found else [])
    return out
