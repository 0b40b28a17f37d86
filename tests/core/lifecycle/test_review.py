"""Forgetting you can see coming: memories of some importance are offered for review before
they are forgotten (small talk is not), keeping one makes it stronger, and the first sweep
after a long absence says what it did."""
from __future__ import annotations

import math

from core.lifecycle.review import REVIEW_DAYS
from core.memory.records import State


def days_to_forgotten(memory, policy) -> float:
    return memory.strength * math.log(1 / policy.forget_below)


def test_an_important_note_is_offered_for_review_in_the_week_before_it_is_forgotten(mnemo, clock):
    note = mnemo.add_note("The spare key is in the blue flowerpot").memory
    chat = mnemo.capture.add_turns([("haha ok thanks", "user", "")], "c")[0]
    assert note.importance >= 0.5 > chat.importance
    clock.advance(days=days_to_forgotten(note, mnemo.policy) - REVIEW_DAYS - 1)
    assert mnemo.review().due == []  # not yet
    clock.advance(days=2)
    due = mnemo.review()
    assert [f.memory.id for f in due.due] == [note.id] and 0 < due.due[0].days_left <= REVIEW_DAYS
    assert due.message == "1 memory will be forgotten this week: keep it?"
    assert [f.memory.id for f in mnemo.health().to_review] == [note.id]
    assert chat.id not in [f.memory.id for f in due.due]  # small talk fades without asking

    mnemo.keep(note.id)
    kept = mnemo.store.get(note.id)
    assert kept.strength > note.strength and kept.reinforced_at == clock.now().timestamp()
    assert mnemo.review().due == []
    assert any("kept by you" in e.reason for e in mnemo.store.history(note.id))


def test_the_sweep_announces_a_review_once_and_not_every_few_hours(mnemo, clock):
    note = mnemo.add_note("The spare key is in the blue flowerpot").memory
    mnemo.sweep()
    clock.advance(days=days_to_forgotten(note, mnemo.policy) - 3)
    first = mnemo.run_job("decay")
    assert first.notice and "1 memory will be forgotten this week" in first.notice
    clock.advance(hours=7)
    assert mnemo.run_job("decay").notice is None  # the same list: announced already


def test_the_first_sweep_after_an_absence_says_what_it_did(mnemo, clock):
    mnemo.add_note("We had pasta for dinner")
    chat = mnemo.capture.add_turns([("lol", "user", "")], "c")[0]
    assert mnemo.sweep().away_days is None  # the first sweep ever: no absence to speak of
    clock.advance(days=30)
    result = mnemo.sweep()
    assert round(result.away_days) == 30 and chat.id in result.changes[State.FORGOTTEN]
    message = mnemo.away_message(result)
    assert message.startswith("Welcome back: in the 30 days since the last look at your memory")
    assert message.endswith("1 was forgotten (none of importance).")  # the small talk; the note is kept
    clock.advance(hours=6)
    assert mnemo.away_message(mnemo.sweep()) is None  # a usual sweep says nothing
