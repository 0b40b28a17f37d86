"""Time in questions: the stretch of days a question's time words name, relative to the clock,
in local days (core/days.py). Retrieval boosts the memories from that stretch
(core/recall/retrieval.py); "before my trip to Kyoto" / "before I went to Kyoto" name a side of
an event the memories hold (`event_side`), looked up there.

dateparser reads the dates ("yesterday", "on 12 May", "three weeks ago", "in March 2025"). Around
it, a few small, documented readings of what it does not know. For a question asked on Friday
15 May 2026:

- a day: "yesterday", "the day before yesterday" (13 May), "3 days ago", "on Monday", "on 12 May"
- a week (Monday to Sunday): "last week" (4-10 May), "this week", "three weeks ago" (the week
  holding that day: 20-26 Apr)
- a month: "in March", "last month", "a month ago" (the calendar month holding that day)
- a year: "in 2025", "last year", "a year ago" (the calendar year holding that day: 2025)
- "early / mid / late X", "the beginning / middle / end of X": the first, middle or last third
  of X ("in early March" = 1-10 Mar, "late 2025" = Sep-Dec 2025)
- "earlier this week / month / year": from its first day up to today ("earlier this month" =
  1-15 May)
- fuzzy counts back: "a couple of days ago" = 1-3 days back (12-14 May), "a few days ago" = 2-6
  (9-13 May), "several days ago" = 3-9 (6-12 May); the same for weeks, months and years
- "in the past / last N days|weeks|months|years" (N may be "few"): from N back up to today
- weekends are Saturday and Sunday: "last weekend" is the latest one over (9-10 May); "over / on /
  at / during the weekend" the latest one begun (the same here; on a Sunday, this one);
  "this weekend" this week's (16-17 May)
- seasons, northern-hemisphere meteorological: spring Mar-May, summer Jun-Aug, autumn (fall)
  Sep-Nov, winter Dec-Feb, named by the year of its January ("winter 2026" = Dec 2025-Feb 2026).
  "last spring" is the latest one over (Mar-May 2025; this spring is not over yet), "in (the)
  spring" the latest one begun (Mar-May 2026), "this summer" the one we are in or else the
  nearest (Jun-Aug 2026), "next X" the next one to begin, "spring 2025" that year's
- holidays are read as their dates (Christmas, Christmas Eve, Boxing Day, New Year's Eve / Day,
  Halloween, Valentine's Day, Easter Sunday): the latest one up to today unless a year is named
- "before / until / till X": a stretch as long as X, at least RUN_UP, ending where X begins
  ("before Christmas" = 27 Nov-24 Dec 2025; said on 20 Dec it is the run-up to this Christmas);
  "after X": as long, from where X ends; "since X": from where X begins up to today

A time noun that modifies another noun is no time: "the weekend market", "my Sunday roast", "the
Christmas market", "spring cleaning". "Now", "currently", "these days" name no stretch: they ask
for the latest state (newer statements supersede older ones), and a window of today would hide
it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from ..days import day_bounds

RUN_UP = timedelta(days=28)  # "before Christmas": the four weeks up to it (or as long as X, if longer)
FUZZY = {"a couple of": (1, 3), "a couple": (1, 3), "couple of": (1, 3), "a few": (2, 6), "few": (2, 6),
         "several": (3, 9)}  # units back, both ends included
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # the month each begins
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
UNITS = r"(?P<unit>day|week|month|year)s?"
# A time noun followed by a word other than these modifies that word ("the weekend market").
_FUNCTION = ("and|or|but|so|then|with|when|while|before|after|at|in|on|for|to|from|of|about|because|if|that|"
             "i|we|you|he|she|they|it|me|us|my|our|your|did|do|does|was|were|is|are|had|have|has|what|where|"
             "who|how|morning|afternoon|evening|night|last|ago|this|just|again|too|there")
_NOT_MODIFIER = rf"(?!'s\s+(?!(?:{_FUNCTION})\b)[a-z])(?!\s+(?!(?:{_FUNCTION})\b)[a-z])"
EVENT = re.compile(r"\b(?P<side>before|after|since|until|till)\s+(?:(?:my|our|the|his|her|their)\s+|"
                   r"(?:i|we|he|she|they)\s+|(?=[a-z]+ing\b))"
                   r"(?P<event>[a-z][\w' -]{2,40}?)(?=[?.!,]|$| and | when | did | was | were | what )",
                   re.IGNORECASE)
HOLIDAYS = ((r"christmas eve", 12, 24), (r"(?:christmas|xmas)(?: day)?", 12, 25), (r"boxing day", 12, 26),
            (r"new year'?s eve", 12, 31), (r"new year'?s(?: day)?", 1, 1), (r"halloween", 10, 31),
            (r"valentine'?s(?: day)?", 2, 14), (r"easter(?: sunday)?", 0, 0))


@dataclass(frozen=True)
class Window:
    start: float | None  # epoch seconds; None: open
    end: float | None
    words: str  # what in the question named it
    anchor: str = ""  # the id of the memory whose time is the window's edge (an event), if any

    def holds(self, seconds: float) -> bool:
        return (self.start is None or seconds >= self.start) and (self.end is None or seconds < self.end)


@dataclass(frozen=True)
class EventSide:
    side: str  # "before" | "after"
    event: str  # "trip to Kyoto", "went to Kyoto"
    words: str = ""  # as the question says it: "before my trip to Kyoto"


def event_side(question: str) -> EventSide | None:
    match = EVENT.search(question)
    if not match:
        return None
    side = "before" if match.group("side").lower() in ("before", "until", "till") else "after"
    return EventSide(side, match.group("event").strip(), match.group(0).strip())


def window(question: str, now: datetime) -> Window | None:
    """The stretch of days the question's time words name, or None."""
    base = (now.astimezone() if now.tzinfo else now).replace(tzinfo=None)  # days are local days
    text, said = _normalise(question, base.date())
    found = _side(text, base) or _find(text, base)
    if found is None:
        return None
    start, end, words = found
    for new, old in said:
        words = words.replace(new, old)
    words = re.sub(r" ([,;:])", r"\1", words)  # as the question writes it
    return Window(day_bounds(start)[0], day_bounds(end)[0], words)


Span = tuple[date, date, str]  # first day, the day after the last, the words


def _normalise(question: str, today: date) -> tuple[str, list[tuple[str, str]]]:
    """What dateparser misreads or does not know, put in words it reads: "the day before
    yesterday" (its search reads "yesterday"), holidays in a time phrase, and punctuation kept
    apart from the words (its search misses "in 2025?"). Returns the text
    and (new words, the question's words) to name the window in the question's own words."""
    said = []

    def swap(match: re.Match) -> str:
        said.append(("2 days ago", match.group(0)))
        return "2 days ago"

    text = re.sub(r"([?!.,;:])(?=\s)", r" \1", re.sub(r"[\s?!.]+$", "", question))  # its search misses "2025?"
    text = re.sub(r"\b(?:the )?day before yesterday\b", swap, text, flags=re.I)
    for pattern, month, day in HOLIDAYS:
        rx = rf"\b(?P<pre>on|at|over|around|before|after|since|until|till|by|during|last|this)\s+(?P<h>{pattern})\b"
        match = re.search(rx + _NOT_MODIFIER, text, re.I)
        if match is None:
            continue
        year = re.match(r"\s*(\d{4})\b", text[match.end():])
        if not month:  # Easter moves: the latest one up to today, or the named year's
            from dateutil.easter import easter

            when = easter(int(year.group(1)) if year else today.year)
            when = when if year or when <= today else easter(today.year - 1)
            new = f"{when.day} {when.strftime('%B')}" + ("" if year else f" {when.year}")
        else:
            new = f"{day} {date(2000, month, 1).strftime('%B')}"
        if match.group("pre").lower() in ("last", "this"):  # "last Christmas": the latest one
            said.append((f"on {new}", match.group(0)))
            text = text[:match.start()] + f"on {new}" + text[match.end():]
        else:
            text = text[:match.start("h")] + new + text[match.end():]
        said.append((new, match.group("h")))
    return text, said


def _side(text: str, base: datetime) -> Span | None:
    """"before / until / till X", "after X", "since X" for a time X (not an event)."""
    today = base.date()
    for match in re.finditer(r"\b(before|until|till|after|since)\s+", text, re.I):
        found = _find(text[match.end():], base, anchored=True)
        if found is None:
            continue
        start, end, words = found
        side = match.group(1).lower()
        words = f"{match.group(1)} {words}"
        length = max(end - start, RUN_UP)
        if side == "since":
            return start, max(today + timedelta(days=1), start + timedelta(days=1)), words
        if side == "after":
            return end, end + length, words
        ahead = _next_year(start)  # "before Christmas" in its run-up: this Christmas, not last year's
        if ahead and re.search(rf"\b(?:{MONTHS})\b", words, re.I) and not re.search(r"\d{4}", words) \
                and ahead - length <= today < ahead:
            start = ahead
        return start - length, start, words
    return None


def _find(text: str, base: datetime, anchored: bool = False) -> Span | None:
    """The first time phrase in `text` (at its very start, when `anchored`)."""
    for reader in (_qualified, _earlier, _fuzzy, _recent, _weekend, _season, _dateparser):
        found = reader(text, base, anchored)
        if found is not None:
            return found
    return None


def _matches(rx: str, text: str, anchored: bool):
    if anchored:
        match = re.match(rx, text, re.I)
        return [match] if match else []
    return re.finditer(rx, text, re.I)


def _qualified(text: str, base: datetime, anchored: bool) -> Span | None:
    """"early / mid / late X", "the beginning / start / middle / end of X": a third of X."""
    rx = r"\b(?:(?P<q>early|mid|late)[- ]?|the (?P<p>beginning|start|middle|end) of )"
    for match in _matches(rx, text, anchored):
        found = _find(text[match.end():], base, anchored=True)
        if found is None:
            continue
        start, end, words = found
        part = (match.group("q") or match.group("p")).lower()
        n = (end - start).days
        if n < 3:  # "late last night": the day itself
            return start, end, match.group(0) + words
        a, b = round(n / 3), round(2 * n / 3)
        cut = {"early": (0, a), "beginning": (0, a), "start": (0, a), "mid": (a, b), "middle": (a, b)}.get(part, (b, n))
        return start + timedelta(days=cut[0]), start + timedelta(days=cut[1]), match.group(0) + words
    return None


def _earlier(text: str, base: datetime, anchored: bool) -> Span | None:
    """"earlier this week / month / year": from its first day up to today."""
    for match in _matches(r"\bearlier (?:this|in the) (week|month|year)\b", text, anchored):
        today = base.date()
        unit = match.group(1).lower()
        start = {"week": today - timedelta(days=today.weekday()), "month": today.replace(day=1),
                 "year": today.replace(month=1, day=1)}[unit]
        return start, today + timedelta(days=1), match.group(0)
    return None


def _fuzzy(text: str, base: datetime, anchored: bool) -> Span | None:
    """"a few days ago": 2-6 days back (see FUZZY); dateparser does the arithmetic."""
    rx = rf"\b(?P<n>{'|'.join(sorted(FUZZY, key=len, reverse=True))})\s+{UNITS}\s+(?:ago|back)\b"
    for match in _matches(rx, text, anchored):
        near, far = FUZZY[match.group("n").lower()]
        unit = match.group("unit").lower()
        first, last = _back(far, unit, base), _back(near, unit, base)
        if first and last:
            return first, last + timedelta(days=1), match.group(0)
    return None


def _recent(text: str, base: datetime, anchored: bool) -> Span | None:
    """"in the past week", "over the last 3 days", "in the last few months": up to today."""
    rx = (rf"\b(?:in|over|during|within|for) the (?:past|last|previous)\s+(?:(?P<n>\d+|[a-z]+(?: of)?)\s+)??"
          rf"{UNITS}\b(?!\s+of\b)")
    for match in _matches(rx, text, anchored):
        n = (match.group("n") or "1").lower()
        n = str(FUZZY[n][1]) if n in FUZZY else n
        first = _back(n, match.group("unit").lower(), base)
        if first:
            return first, base.date() + timedelta(days=1), match.group(0)
    return None


def _back(n, unit: str, base: datetime) -> date | None:
    import dateparser

    moment = dateparser.parse(f"{n} {unit}s ago", languages=["en"], settings=_settings(base))
    return moment.date() if moment else None


def _weekend(text: str, base: datetime, anchored: bool) -> Span | None:
    """Saturday and Sunday: "last weekend" the latest one over, "this weekend" this week's, "over /
    on / at / during the weekend" the latest one begun."""
    rx = rf"\b(?P<w>last|past|previous|this|(?:over|on|at|during|from) the)\s+weekend\b{_NOT_MODIFIER}"
    for match in _matches(rx, text, anchored):
        today = base.date()
        saturday = today - timedelta(days=today.weekday()) + timedelta(days=5)  # this week's
        which = match.group("w").lower()
        if which != "this" and (which in ("last", "past", "previous") or today < saturday):
            saturday -= timedelta(days=7)
        return saturday, saturday + timedelta(days=2), match.group(0)
    return None


def _season(text: str, base: datetime, anchored: bool) -> Span | None:
    """Meteorological seasons (see SEASONS): "last spring", "in the summer", "winter 2025"."""
    rx = (r"\b(?:(?P<w>last|past|previous|this|next|(?:in|during|over|through) the|in|during|over|through)\s+)"
          + ("?" if anchored else "") + rf"(?P<s>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<y>\d{{4}}))?\b"
          + _NOT_MODIFIER)
    for match in _matches(rx, text, anchored):
        today = base.date()
        begins = SEASONS[match.group("s").lower()]
        which = (match.group("w") or "").lower()

        def season(year: int) -> tuple[date, date]:  # the one whose January, or itself, is in `year`
            start = date(year - 1 if begins == 12 else year, begins, 1)
            return start, date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)

        around = [season(y) for y in range(today.year - 1, today.year + 3)]
        if match.group("y"):
            start, end = season(int(match.group("y")))
        elif which in ("last", "past", "previous"):
            start, end = [s for s in around if s[1] <= today][-1]
        elif which == "next":
            start, end = [s for s in around if s[0] > today][0]
        elif which == "this":
            start, end = min(around, key=lambda s: max((s[0] - today).days, (today - s[1]).days + 1, 0))
        else:
            start, end = [s for s in around if s[0] <= today][-1]
        return start, end, match.group(0)
    return None


def _dateparser(text: str, base: datetime, anchored: bool) -> Span | None:
    """dateparser's reading of the first real time words (not "May I ask"), as a day, or the
    week, month or year it names."""
    times = [m.span() for m in _TIME_WORDS.finditer(text)]
    if not times and not (anchored and _TIME_WORDS.search(f"before {text}")):  # "before March", "early 2025"
        return None
    from dateparser.search import search_dates

    try:
        found = search_dates(text, languages=["en"], settings=_settings(base))
    except Exception:  # dateparser is forgiving, but a question must never fail on it
        return None
    for words, moment in found or []:
        at = text.find(words)
        if anchored and (at != 0 or not _TIME_WORDS.search(f"before {words}")):
            return None
        if not anchored and not any(at < e and s < at + len(words) for s, e in times):
            continue
        if re.match(r"\s+of\b", text[at + len(words):], re.I):  # "the last week of March": March
            continue
        return _grain(words, moment.date(), base.date())
    return None


def _grain(words: str, day: date, today: date) -> Span:
    low = words.lower()
    if re.search(r"\bweeks?\b", low):
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7), words
    has_day = re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", low)
    if re.search(r"\bmonths?\b", low) or (re.search(rf"\b(?:{MONTHS})\b", low) and not has_day):
        start = day.replace(day=1)
        return start, (start + timedelta(days=32)).replace(day=1), words
    if re.search(r"\byears?\b", low) or (re.search(r"\b\d{4}\b", low) and not has_day):
        return day.replace(month=1, day=1), day.replace(year=day.year + 1, month=1, day=1), words
    return day, day + timedelta(days=1), words


def _next_year(day: date) -> date | None:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return None


@lru_cache(maxsize=8)
def _settings_for(base_iso: str) -> tuple:
    return (("RELATIVE_BASE", datetime.fromisoformat(base_iso)), ("PREFER_DATES_FROM", "past"),
            ("RETURN_AS_TIMEZONE_AWARE", False))


def _settings(base: datetime) -> dict:
    return dict(_settings_for(datetime.combine(base.date(), time(12)).isoformat()))


_TIME_WORDS = re.compile(rf"\b(?:yesterday|today|tonight|last|ago|this (?:week|month|year|morning|evening)|"
                         rf"(?:in|during|of|since|until|till|before|after|on|by|last|this|early|late|mid)[- ]+"
                         rf"(?:{MONTHS})\b|(?:{MONTHS})\s+\d{{1,2}}\b|(?:{WEEKDAYS})\b{_NOT_MODIFIER}|"
                         rf"(?:in|during|since|until|till|before|after|by|of) \d{{4}}\b|"
                         rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS}))", re.IGNORECASE)


def _has_time_words(text: str) -> bool:
    return bool(_TIME_WORDS.search(text))
