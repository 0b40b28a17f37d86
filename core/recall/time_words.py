"""Time in questions: "yesterday", "last week", "in March", "two weeks ago", "on 12 May",
"in 2025" name a stretch of days (read with dateparser, relative to the clock); "before my trip
to Kyoto" / "after the move" name a side of an event the memories hold. Retrieval boosts the
memories from that stretch (core/recall/retrieval.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache

from ..days import day_bounds

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
EVENT = re.compile(r"\b(?P<side>before|after|since|until|till)\s+(?:my|our|the|his|her|their)\s+"
                   r"(?P<event>[a-z][\w' -]{2,40}?)(?=[?.!,]|$| and | when | did | was | were )", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    start: float | None  # epoch seconds; None: open
    end: float | None
    words: str  # what in the question named it

    def holds(self, seconds: float) -> bool:
        return (self.start is None or seconds >= self.start) and (self.end is None or seconds < self.end)


@dataclass(frozen=True)
class EventSide:
    side: str  # "before" | "after"
    event: str  # "trip to Kyoto"


def event_side(question: str) -> EventSide | None:
    match = EVENT.search(question)
    if not match:
        return None
    side = "before" if match.group("side").lower() in ("before", "until", "till") else "after"
    return EventSide(side, match.group("event").strip())


def window(question: str, now: datetime) -> Window | None:
    """The stretch of days the question's time words name, or None."""
    found = _search(question, now.replace(tzinfo=None) if now.tzinfo else now)
    if not found:
        return None
    words, moment = found
    day = moment.date()
    low = words.lower()
    if re.search(r"\bweeks?\b", low):
        start = day - timedelta(days=day.weekday())
        return _days(start, start + timedelta(days=7), words)
    if re.search(r"\bmonths?\b", low) or (re.search(rf"\b(?:{MONTHS})\b", low) and not re.search(r"\d", low)):
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        return _days(start, end, words)
    if re.fullmatch(r"(?:in |during )?(?:the year )?\d{4}", low.strip()):
        return _days(day.replace(month=1, day=1), day.replace(year=day.year + 1, month=1, day=1), words)
    if re.search(r"\byears?\b", low):
        return _days(day - timedelta(days=183), day + timedelta(days=183), words)
    return _days(day, day + timedelta(days=1), words)


def _days(start, end, words: str) -> Window:
    return Window(day_bounds(start)[0], day_bounds(end)[0], words)


def _search(question: str, base: datetime):
    """(the words, the moment they name) found by dateparser, only for real time words."""
    if not _has_time_words(question):
        return None
    from dateparser.search import search_dates

    try:
        found = search_dates(question, languages=["en"], settings=_settings(base))
    except Exception:  # dateparser is forgiving, but a question must never fail on it
        return None
    for words, moment in found or []:
        if _has_time_words(words):
            return words, moment
    return None


@lru_cache(maxsize=8)
def _settings_for(base_iso: str) -> tuple:
    return (("RELATIVE_BASE", datetime.fromisoformat(base_iso)), ("PREFER_DATES_FROM", "past"),
            ("RETURN_AS_TIMEZONE_AWARE", False))


def _settings(base: datetime) -> dict:
    return dict(_settings_for(datetime.combine(base.date(), time(12)).isoformat()))


_TIME_WORDS = re.compile(rf"\b(?:yesterday|today|tonight|last|ago|this (?:week|month|year|morning|evening)|"
                         rf"(?:in|during|of|since|until|before|after|on|last|this|early|late|mid)[- ]+(?:{MONTHS})\b|"
                         rf"(?:{MONTHS})\s+\d{{1,2}}\b|(?:{WEEKDAYS})|(?:in|during|since) \d{{4}}|"
                         rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS}))", re.IGNORECASE)


def _has_time_words(text: str) -> bool:
    return bool(_TIME_WORDS.search(text))
