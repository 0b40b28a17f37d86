import math

import pytest

from core.errors import InvalidInputError
from core.memory.records import Kind, State


def _age(clock, days):
    clock.advance(days=days)


def test_unrecalled_note_fades_then_is_forgotten_but_kept(mnemo, clock):
    note = mnemo.add_note("We watched a film about whales").memory
    s = note.strength
    _age(clock, s * 0.8)  # R = exp(-0.8) = 0.45 < 0.5
    mnemo.sweep()
    assert mnemo.store.get(note.id).state == State.FADING
    _age(clock, s * 1.6)  # R = exp(-2.4) < 0.1
    result = mnemo.sweep()
    assert note.id in result.changes[State.FORGOTTEN]
    assert mnemo.store.get(note.id).state == State.FORGOTTEN
    assert mnemo.retriever.search("film about whales") == []  # out of ordinary retrieval...
    assert [h.cued for h in mnemo.search("film about whales")] == [True]  # ...back only on a strong cue, marked
    assert mnemo.search("what time does the bakery close") == []
    assert [m.id for m in mnemo.faded()] == [note.id]  # but kept
    reasons = [e.reason for e in mnemo.store.history(note.id) if e.to_state == State.FORGOTTEN]
    assert reasons and "retention fell below" in reasons[0]


def test_the_fact_a_note_stated_outlives_the_note(mnemo, clock):
    note = mnemo.add_note("The plumber's name is Kowalski").memory
    fact = next(f for f in mnemo.facts.all() if note.id in f.links)
    assert fact.fact_key == "plumber|name" and fact.fact_value == "Kowalski" and fact.strength > note.strength
    _age(clock, note.strength * 3)  # the note is forgotten...
    mnemo.sweep()
    assert mnemo.store.get(note.id).state == State.FORGOTTEN
    hits = mnemo.search("What is the plumber called?")  # ...what it said is not
    assert [h.memory.id for h in hits][:1] == [fact.id]
    assert mnemo.store.get(fact.id).state in (State.ACTIVE, State.FADING)  # a fact is kept years, not months


def test_sweep_is_idempotent_and_deterministic(mnemo, clock):
    note = mnemo.add_note("We watched a film about whales").memory
    _age(clock, note.strength * 3)
    assert mnemo.sweep().changed == 1
    assert mnemo.sweep().changed == 0


def test_restore_brings_a_forgotten_memory_back_with_a_fresh_clock(mnemo, clock):
    note = mnemo.add_note("We watched a film about whales").memory
    _age(clock, note.strength * 3)
    mnemo.sweep()
    mnemo.restore(note.id)
    assert mnemo.store.get(note.id).state == State.ACTIVE
    assert mnemo.retention(mnemo.store.get(note.id)) == 1.0
    assert mnemo.sweep().changed == 0  # not forgotten again at once
    assert [h.memory.id for h in mnemo.search("film about whales")] == [note.id]


def test_pinned_memories_never_fade(mnemo, clock):
    note = mnemo.add_note("My blood type is O negative").memory
    mnemo.pin(note.id)
    _age(clock, 365)
    mnemo.sweep()
    assert mnemo.store.get(note.id).state == State.PINNED
    assert mnemo.retention(mnemo.store.get(note.id)) == 1.0


def test_using_a_memory_in_an_answer_reinforces_only_what_was_in_the_prompt(mnemo, clock):
    used = mnemo.add_note("My sister Anna lives in Lisbon").memory
    other = mnemo.add_note("The garage code is 4417").memory
    _age(clock, 3)
    answer = mnemo.ask("Where does my sister live?", capture=False)
    assert [h.memory.id for h in answer.memories] == [used.id]
    after_used, after_other = mnemo.store.get(used.id), mnemo.store.get(other.id)
    expected = mnemo.policy.reinforced(used.strength, math.exp(-3 / used.strength))
    assert used.strength < after_used.strength == pytest.approx(expected, rel=1e-5)
    assert after_used.recall_count == 1 and mnemo.retention(after_used) == 1.0
    assert after_other.strength == other.strength and after_other.recall_count == 0
    assert mnemo.retention(after_other) < 1.0


def test_recalled_memory_outlives_an_equally_old_one(mnemo, clock):
    used = mnemo.add_note("My sister Anna lives in Lisbon").memory
    idle = mnemo.add_note("My brother Tom lives in Oslo").memory
    assert used.strength == idle.strength
    _age(clock, used.strength / 3)
    answer = mnemo.ask("Anna?", capture=False)
    assert [h.memory.id for h in answer.memories] == [used.id]
    _age(clock, used.strength * 2.1)
    mnemo.sweep()
    used, idle = mnemo.store.get(used.id), mnemo.store.get(idle.id)
    assert mnemo.retention(used) > mnemo.retention(idle)
    assert used.state != State.FORGOTTEN
    assert idle.state == State.FORGOTTEN


def test_among_equally_relevant_memories_the_stronger_ranks_first(mnemo, clock):
    text = "Dinner with Sam on Friday at eight"
    a = mnemo.capture.add_turn(text, "user", "c1")
    clock.advance(days=a.strength / 2)
    b = mnemo.capture.add_turn(text, "user", "c2")
    clock.advance(days=a.strength / 4)
    hits = mnemo.search("dinner with Sam on Friday at eight")
    # the same words twice: b is younger, so it retains more and ranks first
    assert hits[0].memory.id == b.id and hits[0].retention > hits[1].retention
    # recall a twice: now it is stronger and fresher
    mnemo.forgetting.reinforce([a.id], reason="test")
    hits = mnemo.search("dinner with Sam on Friday at eight")
    assert hits[0].memory.id == a.id


def test_purge_removes_for_good_and_only_forgotten_or_deleted(mnemo, clock):
    note = mnemo.add_note("An old phone number 555-0199").memory
    keep = mnemo.add_note("My new phone number is 555-0123").memory
    with pytest.raises(InvalidInputError):
        mnemo.purge(keep.id)
    mnemo.delete(note.id)
    mnemo.purge(note.id)
    assert mnemo.store.find(note.id) is None
    assert [e.action for e in mnemo.store.history(note.id)][-1] == "purged"
    assert [h.memory.id for h in mnemo.search("phone number")] == [keep.id]
    again = mnemo.add_note("An old phone number 555-0199")  # same count of rows as before the purge
    assert [h.memory.id for h in mnemo.search("555-0199")][0] == again.memory.id


def test_purge_survives_reopening(tmp_path, clock):
    from core.mnemo import Mnemo
    from tests.fakes import HashEmbedder, ScriptedModel

    m = Mnemo(tmp_path / "d", clock, HashEmbedder(), ScriptedModel())
    gone = m.add_note("Forget me").memory
    kept = m.add_note("Keep me please").memory
    m.delete(gone.id)
    m.purge(gone.id)
    m.close()
    m = Mnemo(tmp_path / "d", clock, HashEmbedder(), ScriptedModel())
    assert [x.id for x in m.memories(include_deleted=True)] == [kept.id]
    assert m.search("keep")[0].memory.id == kept.id
    m.close()


def test_restore_refuses_what_is_not_forgotten(mnemo):
    note = mnemo.add_note("Fresh memory here").memory
    with pytest.raises(InvalidInputError):
        mnemo.restore(note.id)


def test_health_lists_fading_soon_forgotten_and_pins(mnemo, clock):
    weak = mnemo.add_note("Assistant style chit chat", source="assistant").memory
    strong = mnemo.add_note("The wedding is on 12 June").memory
    pinned = mnemo.add_note("Allergic to penicillin").memory
    mnemo.pin(pinned.id)
    assert weak.strength < strong.strength  # the assistant's words are kept least
    clock.advance(days=weak.strength * 2.4)
    mnemo.sweep()
    health = mnemo.health()
    assert weak.id in [m.id for m in health.forgotten]
    assert [m.id for m in health.pinned] == [pinned.id]
    assert health.counts[State.PINNED] == 1
    soon = [f.memory.id for f in health.fading_soon]
    assert strong.id in soon and pinned.id not in soon


def test_summaries_do_not_decay(mnemo, clock):
    mnemo.add_note("We planted tomatoes in the garden today")
    summary = mnemo.summarize(mnemo.today())[0]
    clock.advance(days=400)
    mnemo.sweep()
    assert mnemo.store.get(summary.id).state == State.ACTIVE
    assert summary.kind == Kind.DAY_SUMMARY


def test_retention_curve_for_the_health_chart(mnemo, clock):
    note = mnemo.add_note("My sister Anna lives in Lisbon").memory
    clock.advance(days=4)
    mnemo.ask("Where does Anna live?", capture=False)
    points = mnemo.retention_curve(note.id, days_ahead=10)
    values = [r for _, r in points]
    assert values[0] == 1.0 and min(values) < 1.0
    assert 1.0 in values[1:]  # the recall reset the curve
    assert points[-1][0] == pytest.approx(clock.now().timestamp() + 10 * 86400)


def test_below_the_forgetting_line_a_memory_leaves_retrieval_even_before_a_sweep(mnemo, clock):
    note = mnemo.add_note("We watched a film about whales").memory
    clock.advance(days=note.strength * 2.4)  # R = exp(-2.4) = 0.09
    assert mnemo.store.get(note.id).state == State.ACTIVE  # no sweep yet
    assert mnemo.retriever.search("film about whales") == []
    assert [h.cued for h in mnemo.search("film about whales")] == [True]


def test_a_pin_made_while_a_sweep_runs_is_not_overwritten(mnemo, clock):
    note = mnemo.add_note("We watched a film about whales").memory
    other = mnemo.add_note("The bakery closes at six").memory
    clock.advance(days=max(note.strength, other.strength) * 3)
    plan = mnemo.forgetting.plan()  # the sweep has decided...
    assert {note.id, other.id} <= set(plan.changes[State.FORGOTTEN])
    original = mnemo.forgetting.plan
    mnemo.forgetting.plan = lambda: plan
    mnemo.pin(note.id)  # ...and the user pins and deletes before it writes
    mnemo.delete(other.id)
    mnemo.sweep()
    mnemo.forgetting.plan = original
    assert mnemo.store.get(note.id).state == State.PINNED
    assert mnemo.store.get(other.id).state == State.DELETED


def test_unpinning_restarts_the_clock(mnemo, clock):
    note = mnemo.add_note("My blood type is O negative").memory
    mnemo.pin(note.id)
    clock.advance(days=200)
    mnemo.unpin(note.id)
    after = mnemo.store.get(note.id)
    assert after.state == State.ACTIVE and mnemo.retention(after) == 1.0
    assert [h.memory.id for h in mnemo.search("blood type")] == [note.id]


def test_purged_text_leaves_the_disk(tmp_path, clock):
    from core.mnemo import Mnemo
    from tests.fakes import HashEmbedder, ScriptedModel

    m = Mnemo(tmp_path / "d", clock, HashEmbedder(), ScriptedModel())
    secret = m.add_note("my old password was hunter2zebra").memory
    m.add_note("an unrelated note to keep")
    m.delete(secret.id)
    m.purge(secret.id)
    m.close()
    holding = [p for p in (tmp_path / "d" / "store").rglob("*") if p.is_file() and b"hunter2zebra" in p.read_bytes()]
    assert holding == []


def test_a_forgotten_note_its_fact_repeats_word_for_word_shows_once_as_the_fact(mnemo, clock):
    note = mnemo.add_note("The plumber's name is Kowalski").memory
    _age(clock, note.strength * 3)
    mnemo.sweep()
    hits = mnemo.search("The plumber's name is Kowalski")  # a cue strong enough to bring the note back
    assert [h.memory.kind for h in hits] == [Kind.FACT]
