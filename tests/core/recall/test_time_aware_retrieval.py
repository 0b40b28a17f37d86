"""Time words in a question rank the memories of that time higher; the memory that marks the
time ("before my trip to Kyoto": the trip) bounds the window but is not what is asked about, so it
ranks below the memories inside it; words that only sound like time hide nothing."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core.memory.records import Source
from core.mnemo import Mnemo
from tests.fakes import ScriptedModel

NOW = datetime(2026, 5, 15, 10, 0, tzinfo=timezone.utc)  # a Friday


def on(month: int, day: int, hour: int = 18) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=timezone.utc)


def order(hits, *notes) -> list[int]:
    ids = [h.memory.id for h in hits]
    return [ids.index(n.id) if n.id in ids else len(ids) for n in notes]


@pytest.mark.real
@pytest.mark.parametrize("question", ["What did I pack before my trip to Kyoto?",
                                      "What did I pack before I went to Kyoto?"])
def test_what_was_packed_before_the_trip_ranks_above_the_trip(tmp_path, clock, minilm, question):
    clock.set(NOW)
    mnemo = Mnemo(tmp_path / "data", clock, minilm, ScriptedModel())
    try:
        mnemo.add_note("The dentist said I should floss more", at=on(4, 3))
        packing = mnemo.add_note("Packed my rain jacket and the good walking shoes", at=on(4, 9)).memory
        trip = mnemo.add_note("Flew to Kyoto today, the hotel is next to the station", at=on(4, 10, 9)).memory
        shrine = mnemo.add_note("Visited the Fushimi Inari shrine in Kyoto", at=on(4, 12)).memory
        mnemo.add_note("Back home from Japan, unpacking", at=on(4, 17))
        hits = mnemo.search(question)
        at = {h.memory.id: h for h in hits}
        assert packing.id in at and trip.id in at
        packed, flew, visited = order(hits, packing, trip, shrine)
        assert packed < flew and packed < visited and packed == 0
        assert at[packing.id].in_time and "from the time the question names (before" in at[packing.id].reason
        assert not at[trip.id].in_time and at[trip.id].marks_time  # the trip marks the window, it is not in it
        assert "the event the question's time is measured from" in at[trip.id].reason
    finally:
        mnemo.close()


@pytest.mark.real
def test_after_the_trip_the_trip_itself_takes_no_boost(tmp_path, clock, minilm):
    clock.set(NOW)
    mnemo = Mnemo(tmp_path / "data", clock, minilm, ScriptedModel())
    try:
        mnemo.add_note("Packed my rain jacket and the good walking shoes", at=on(4, 9))
        trip = mnemo.add_note("Flew to Kyoto today, the hotel is next to the station", at=on(4, 10, 9)).memory
        shrine = mnemo.add_note("Visited the Fushimi Inari shrine in Kyoto", at=on(4, 12)).memory
        hits = mnemo.search("Where did I go after my trip to Kyoto began?")
        at = {h.memory.id: h for h in hits}
        assert order(hits, shrine, trip) == sorted(order(hits, shrine, trip))
        assert at[shrine.id].in_time and not at[trip.id].in_time
    finally:
        mnemo.close()


def test_the_event_marks_the_window_and_ranks_below_what_is_inside(mnemo, clock):
    clock.set(NOW)
    before = mnemo.add_note("Bought a suitcase and a plug adapter", at=on(4, 1))
    move = mnemo.add_note("Moved to Leeds today, the new flat is small", at=on(4, 10)).memory
    after = mnemo.add_note("Bought a sofa for the new flat in Leeds", at=on(4, 20)).memory
    span = mnemo.retriever.time_window("What did I buy after my move to Leeds?")
    assert span.anchor == move.id and span.start == move.when and span.end is None
    hits = mnemo.search("What did I buy after my move to Leeds?")
    at = {h.memory.id: h for h in hits}
    assert hits[0].memory.id == after.id and at[after.id].in_time == "after my move to Leeds"
    assert not at[move.id].in_time and at[move.id].marks_time == "after my move to Leeds"
    assert order(hits, after, move)[0] < order(hits, after, move)[1]
    assert before.memory.id not in at or not at[before.memory.id].in_time


def test_a_question_asked_in_the_chat_is_no_event(mnemo, clock):
    clock.set(on(4, 10))
    trip = mnemo.add_note("My trip to Kyoto starts today", at=on(4, 10)).memory
    clock.set(NOW)
    mnemo.capture.add_turns([("When did my trip to Kyoto start?", "user", "")], "chat", source=Source.CHAT)
    span = mnemo.retriever.time_window("What did I pack before my trip to Kyoto?")
    assert span is not None and span.anchor == trip.id and span.end == trip.when


def test_where_do_i_work_now_is_not_about_today(mnemo, clock):
    work = mnemo.add_note("I work at Copperleaf as a designer", at=on(2, 2)).memory
    clock.set(NOW)
    for text in ("Worked late today on the quarterly report", "Lunch today was a sandwich at my desk"):
        mnemo.add_note(text, at=on(5, 15, 9))
    assert mnemo.retriever.time_window("Where do I work now?") is None
    hits = mnemo.search("Where do I work now?")
    assert hits[0].memory.id == work.id and not any(h.in_time for h in hits)


@pytest.mark.parametrize("question", ["What did I say about the weekend market?",
                                      "What did I buy at the weekend market?"])
def test_the_weekend_market_is_a_market_not_a_time(mnemo, clock, question):
    market = mnemo.add_note("The weekend market has the best sourdough and cheap tulips", at=on(3, 7)).memory
    clock.set(NOW)
    mnemo.add_note("Last weekend I bought tulips and cleaned the flat", at=on(5, 9))
    mnemo.add_note("Went hiking on Sunday with Sam", at=on(5, 10))
    assert mnemo.retriever.time_window(question) is None
    hits = mnemo.search(question)
    assert hits[0].memory.id == market.id and not any(h.in_time for h in hits)


def test_a_season_picks_out_its_memories(mnemo, clock):
    last_spring = mnemo.add_note("Planted tomatoes and basil on the balcony", at=datetime(2025, 4, 20, 12, tzinfo=timezone.utc))
    mnemo.add_note("Planted tulip bulbs on the balcony", at=datetime(2025, 10, 5, 12, tzinfo=timezone.utc))
    clock.set(NOW)
    hits = mnemo.search("What did I plant on the balcony last spring?")
    assert hits[0].memory.id == last_spring.memory.id and hits[0].in_time == "last spring"
