"""Time words in questions name a stretch of days (dateparser, relative to the clock), and the
memories from that stretch rank first; "before my trip to Kyoto" finds the trip among the
memories and looks before it."""
from __future__ import annotations

from datetime import datetime, timezone

from core.days import day_of
from core.recall.time_words import event_side, window

NOW = datetime(2026, 5, 15, 10, 0, tzinfo=timezone.utc)  # a Friday


def days(span) -> tuple[str, str]:
    return day_of(span.start).isoformat(), day_of(span.end - 1).isoformat()


def test_relative_and_named_times_become_stretches_of_days():
    assert days(window("What did I eat yesterday?", NOW)) == ("2026-05-14", "2026-05-14")
    assert days(window("Who did I meet last week?", NOW)) == ("2026-05-04", "2026-05-10")
    assert days(window("What happened in March?", NOW)) == ("2026-03-01", "2026-03-31")
    assert days(window("Where was I two weeks ago?", NOW)) == ("2026-04-27", "2026-05-03")  # that week


def test_questions_without_time_words_name_no_time():
    assert window("Where does my sister live?", NOW) is None
    assert window("May I ask what my dentist is called?", NOW) is None  # "May" the verb


def test_the_side_of_an_event():
    side = event_side("What did I buy before my trip to Kyoto?")
    assert (side.side, side.event) == ("before", "trip to Kyoto")
    assert event_side("What did I buy at the market?") is None


def test_memories_from_the_named_week_rank_first(mnemo, clock):
    clock.set(datetime(2026, 5, 5, 18, 0, tzinfo=timezone.utc))
    in_week = mnemo.add_note("Dinner with Sam at the Italian place").memory
    clock.set(datetime(2026, 4, 2, 18, 0, tzinfo=timezone.utc))
    earlier = mnemo.add_note("Dinner with Sam at the Italian place, the first time").memory
    clock.set(NOW)
    hits = mnemo.search("Where did I have dinner with Sam last week?")
    assert [h.memory.id for h in hits][:2] == [in_week.id, earlier.id]
    assert hits[0].in_time and "last week" in hits[0].reason
