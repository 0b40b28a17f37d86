"""Time words in questions name a stretch of days (dateparser, relative to the clock), and the
memories from that stretch rank first; "before my trip to Kyoto" finds the trip among the
memories and looks before it. The conventions are in core/recall/time_words.py."""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone

import pytest

from core.days import day_of
from core.recall.time_words import event_side, window

NOW = datetime(2026, 5, 15, 10, 0, tzinfo=timezone.utc)  # a Friday
SUNDAY = datetime(2026, 5, 17, 10, 0, tzinfo=timezone.utc)
MONDAY = datetime(2026, 5, 18, 10, 0, tzinfo=timezone.utc)
DECEMBER = datetime(2026, 12, 20, 10, 0, tzinfo=timezone.utc)  # a Sunday, five days before Christmas
JUNE = datetime(2026, 6, 2, 10, 0, tzinfo=timezone.utc)


def days(span) -> tuple[str, str]:
    return day_of(span.start).isoformat(), day_of(span.end - 1).isoformat()


def test_relative_and_named_times_become_stretches_of_days():
    assert days(window("What did I eat yesterday?", NOW)) == ("2026-05-14", "2026-05-14")
    assert days(window("Who did I meet last week?", NOW)) == ("2026-05-04", "2026-05-10")
    assert days(window("What happened in March?", NOW)) == ("2026-03-01", "2026-03-31")
    assert days(window("Where was I two weeks ago?", NOW)) == ("2026-04-27", "2026-05-03")  # that week


# (question, first day, last day, the words named), asked on Friday 15 May 2026
ON_FRIDAY_15_MAY = [
    # a day
    ("What did I do the day before yesterday?", "2026-05-13", "2026-05-13", "the day before yesterday"),
    ("What did I do today?", "2026-05-15", "2026-05-15", "today"),
    ("What did I eat last night?", "2026-05-14", "2026-05-14", "last night"),
    ("What did I do on Monday?", "2026-05-11", "2026-05-11", "on Monday"),
    ("What did I eat Monday night?", "2026-05-11", "2026-05-11", "Monday night"),
    ("What did I do on 12 May?", "2026-05-12", "2026-05-12", "on 12 May"),
    ("What did I do on Christmas Eve?", "2025-12-24", "2025-12-24", "on Christmas Eve"),
    ("What did I do last Christmas?", "2025-12-25", "2025-12-25", "last Christmas"),
    ("What did I do at Easter?", "2026-04-05", "2026-04-05", "at Easter"),
    # a week: the calendar week (Monday to Sunday) holding the day named
    ("What did I do this week?", "2026-05-11", "2026-05-17", "this week"),
    ("Where was I three weeks ago?", "2026-04-20", "2026-04-26", "three weeks ago"),
    # a month, a year: the calendar month or year holding the day named
    ("What happened last month?", "2026-04-01", "2026-04-30", "last month"),
    ("What did I do in March 2025?", "2025-03-01", "2025-03-31", "in March 2025"),
    ("What did I do in 2025?", "2025-01-01", "2025-12-31", "in 2025"),
    ("What did I do last year?", "2025-01-01", "2025-12-31", "last year"),
    # early / mid / late: a third of it
    ("What did I do in early March?", "2026-03-01", "2026-03-10", "early March"),
    ("Who did I meet in mid-April?", "2026-04-11", "2026-04-20", "mid-April"),
    ("What did I do at the end of April?", "2026-04-21", "2026-04-30", "the end of April"),
    ("What did I do in late 2025?", "2025-09-01", "2025-12-31", "late 2025"),
    ("What did I do early last week?", "2026-05-04", "2026-05-05", "early last week"),
    ("What did I do in late spring?", "2026-05-01", "2026-05-31", "late spring"),
    ("What did I eat late last night?", "2026-05-14", "2026-05-14", "late last night"),  # a day stays a day
    # earlier this ...: from its first day up to today
    ("What did I spend earlier this month?", "2026-05-01", "2026-05-15", "earlier this month"),
    ("What did I do earlier this week?", "2026-05-11", "2026-05-15", "earlier this week"),
    # fuzzy counts back: a couple = 1-3, a few = 2-6, several = 3-9
    ("Who did I see a few days ago?", "2026-05-09", "2026-05-13", "a few days ago"),
    ("Who did I meet a couple of days ago?", "2026-05-12", "2026-05-14", "a couple of days ago"),
    ("What did I read a few months ago?", "2025-11-15", "2026-03-15", "a few months ago"),
    ("What did I eat in the past week?", "2026-05-08", "2026-05-15", "in the past week"),
    ("What did I do over the last few days?", "2026-05-09", "2026-05-15", "over the last few days"),
    # weekends: Saturday and Sunday
    ("What did I do over the weekend?", "2026-05-09", "2026-05-10", "over the weekend"),
    ("What did I do last weekend?", "2026-05-09", "2026-05-10", "last weekend"),
    ("What did I do at the weekend?", "2026-05-09", "2026-05-10", "at the weekend"),
    ("What am I doing this weekend?", "2026-05-16", "2026-05-17", "this weekend"),
    # seasons, meteorological, northern hemisphere
    ("What did I plant last spring?", "2025-03-01", "2025-05-31", "last spring"),  # this one is not over
    ("What did I plant in the spring?", "2026-03-01", "2026-05-31", "in the spring"),
    ("What did I do last summer?", "2025-06-01", "2025-08-31", "last summer"),
    ("Where did I go last winter?", "2025-12-01", "2026-02-28", "last winter"),
    ("What did I do in winter 2026?", "2025-12-01", "2026-02-28", "in winter 2026"),
    ("What did I do in spring 2025?", "2025-03-01", "2025-05-31", "in spring 2025"),
    # before / after / since a time: as long as it, at least four weeks
    ("What did I buy before Christmas?", "2025-11-27", "2025-12-24", "before Christmas"),
    ("What did I buy before Christmas 2024?", "2024-11-27", "2024-12-24", "before Christmas 2024"),
    ("What did I do after Christmas?", "2025-12-26", "2026-01-22", "after Christmas"),
    ("What did I do before March?", "2026-01-29", "2026-02-28", "before March"),
    ("What did I do since March?", "2026-03-01", "2026-05-15", "since March"),
    ("What did I do in the last week of March?", "2026-03-01", "2026-03-31", "March"),
]


@pytest.mark.parametrize("question,first,last,words", ON_FRIDAY_15_MAY, ids=[q for q, *_ in ON_FRIDAY_15_MAY])
def test_time_words_name_these_days(question, first, last, words):
    span = window(question, NOW)
    assert span is not None, question
    assert (days(span), span.words) == ((first, last), words)


ON_OTHER_DAYS = [
    (SUNDAY, "What did I do over the weekend?", "2026-05-16", "2026-05-17"),  # this one, begun
    (SUNDAY, "What did I do last weekend?", "2026-05-09", "2026-05-10"),  # the latest one over
    (MONDAY, "What did I do last weekend?", "2026-05-16", "2026-05-17"),
    (MONDAY, "What did I do on the weekend?", "2026-05-16", "2026-05-17"),
    (MONDAY, "Where was I three weeks ago?", "2026-04-27", "2026-05-03"),
    (DECEMBER, "What did I buy before Christmas?", "2026-11-27", "2026-12-24"),  # in its run-up: this one
    (DECEMBER, "What did I do last Christmas?", "2025-12-25", "2025-12-25"),
    (DECEMBER, "What did I do this winter?", "2026-12-01", "2027-02-28"),
    (JUNE, "What did I plant last spring?", "2026-03-01", "2026-05-31"),  # just over
    (JUNE, "What did I do the day before yesterday?", "2026-05-31", "2026-05-31"),
]


@pytest.mark.parametrize("now,question,first,last", ON_OTHER_DAYS,
                         ids=[f"{n.date()} {q}" for n, q, *_ in ON_OTHER_DAYS])
def test_the_same_words_on_other_days(now, question, first, last):
    assert days(window(question, now)) == (first, last)


NO_TIME = [
    "Where does my sister live?",
    "May I ask what my dentist is called?",  # "May" the verb
    "Where do I work now?",  # the latest state, not today's memories
    "What do I do these days?",
    "What is my job currently?",
    "What did I say about the weekend market?",
    "What did I buy at the weekend market?",  # the weekend modifies "market"
    "What's my favourite Sunday roast recipe?",
    "What did I buy at the Christmas market?",
    "What did I get for Christmas?",  # for: a purpose, not a time
    "When is my spring cleaning?",
    "What was the last book I read?",
    "When did I last see Anna?",
    "How long ago did I move to Leeds?",
    "I was running late, what did Sam say?",
    "What did I pack before my trip to Kyoto?",  # an event: looked up among the memories
    "What did I pack before I went to Kyoto?",
]


@pytest.mark.parametrize("question", NO_TIME)
def test_questions_without_a_time_name_no_stretch_of_days(question):
    assert window(question, NOW) is None


def test_the_side_of_an_event():
    side = event_side("What did I buy before my trip to Kyoto?")
    assert (side.side, side.event, side.words) == ("before", "trip to Kyoto", "before my trip to Kyoto")
    assert event_side("What did I buy at the market?") is None


@pytest.mark.parametrize("question,side,event", [
    ("What did I pack before I went to Kyoto?", "before", "went to Kyoto"),
    ("Before we moved to Leeds, where did we live?", "before", "moved to Leeds"),
    ("Where did I have lunch before going to Kyoto?", "before", "going to Kyoto"),
    ("What did I cook after the move?", "after", "move"),
    ("Who have I met since I started at Copperleaf?", "after", "started at Copperleaf"),
])
def test_an_event_can_be_said_as_a_clause(question, side, event):
    found = event_side(question)
    assert (found.side, found.event) == (side, event)


@pytest.fixture
def twelve_hours_east():
    """The computer's clock set to New Zealand time (UTC+12 in May)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Auckland"
    time.tzset()
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_the_clock_is_read_in_the_computers_local_days(twelve_hours_east):
    utc = datetime(2026, 5, 15, 14, 0, tzinfo=timezone.utc)  # already 02:00 on Saturday 16 May there
    assert days(window("What did I eat yesterday?", utc)) == ("2026-05-15", "2026-05-15")
    assert days(window("What did I eat yesterday?", datetime(2026, 5, 16, 2, 0))) == ("2026-05-15", "2026-05-15")


def test_memories_from_the_named_week_rank_first(mnemo, clock):
    clock.set(datetime(2026, 5, 5, 18, 0, tzinfo=timezone.utc))
    in_week = mnemo.add_note("Dinner with Sam at the Italian place").memory
    clock.set(datetime(2026, 4, 2, 18, 0, tzinfo=timezone.utc))
    earlier = mnemo.add_note("Dinner with Sam at the Italian place, the first time").memory
    clock.set(NOW)
    hits = mnemo.search("Where did I have dinner with Sam last week?")
    assert [h.memory.id for h in hits][:2] == [in_week.id, earlier.id]
    assert hits[0].in_time and "last week" in hits[0].reason
