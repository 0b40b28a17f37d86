"""Editing a memory's words (Mnemo.edit): the memory says the new words and is found by them,
its history keeps the old ones, the facts drawn from it follow, and what cannot or should not
be edited is refused with a sentence, changing nothing."""
from __future__ import annotations

import numpy as np
import pytest

from core.errors import InvalidInputError
from core.memory.records import content_hash
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel

LISBON = "My sister Anna lives in Lisbon"


def facts_of(mnemo, key: str):
    return [f for f in mnemo.store.all(kinds=["fact"]) if f.fact_key == key]


def test_the_memory_says_the_new_words_and_its_history_keeps_the_old_ones(mnemo, clock):
    note = mnemo.add_note("The spare key is in the blue flowerpot").memory
    clock.advance(days=2)
    edited = mnemo.edit(note.id, "  The spare key is under the doormat \x1b ")
    assert edited.text == "The spare key is under the doormat"  # tidied as a new note is
    assert edited.content_hash == content_hash(edited.text) != note.content_hash
    assert edited.updated_at == clock.now().timestamp()
    assert (edited.id, edited.created_at, edited.importance, edited.state) == (note.id, note.created_at,
                                                                              note.importance, note.state)
    assert np.allclose(mnemo.store.vector(note.id), HashEmbedder().embed([edited.text])[0])  # embedded again

    entry = mnemo.store.history(note.id)[-1]
    assert entry.action == "edited" and entry.actor == "user"
    assert "The spare key is in the blue flowerpot" in entry.reason

    assert [h.memory.id for h in mnemo.search("doormat")] == [note.id]
    assert mnemo.search("flowerpot") == []  # the old words find nothing any more


def test_the_edit_is_kept_when_the_memory_is_opened_again(tmp_path, clock):
    mnemo = Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel())
    note = mnemo.add_note(LISBON).memory
    mnemo.edit(note.id, "My sister Anna lives in Porto")
    mnemo.close()
    again = Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel())
    try:
        assert again.store.check() == []  # every record still matches its checksum
        assert again.store.get(note.id).text == "My sister Anna lives in Porto"
        assert [f.fact_value for f in facts_of(again, "sister|lives in")] == ["Porto"]
    finally:
        again.close()


def test_a_fact_from_the_old_words_is_replaced_by_the_new_ones(mnemo, clock):
    note = mnemo.add_note(LISBON).memory
    [old] = facts_of(mnemo, "sister|lives in")
    assert old.fact_value == "Lisbon"
    clock.advance(days=1)
    mnemo.edit(note.id, "My sister Anna lives in Porto")
    [new] = facts_of(mnemo, "sister|lives in")
    assert new.fact_value == "Porto" and new.links == (note.id,) and new.valid_until is None
    assert mnemo.store.find(old.id) is None  # not kept as if Lisbon had once been true
    assert mnemo.store.history(old.id)[-1].action == "removed"
    assert "Lisbon" not in " ".join(f.text for f in mnemo.facts_list())


def test_a_fact_the_old_words_replaced_holds_again_when_they_are_edited_away(mnemo, clock):
    mnemo.add_note(LISBON)
    clock.advance(days=30)
    moved = mnemo.add_note("My sister Anna moved to Porto").memory
    assert [f.fact_value for f in mnemo.facts_list(include_superseded=False)] == ["Porto"]
    mnemo.edit(moved.id, "I bought a new bicycle")
    current = [f for f in mnemo.facts_list(include_superseded=False) if f.fact_key == "sister|lives in"]
    assert [f.fact_value for f in current] == ["Lisbon"]
    assert len(facts_of(mnemo, "sister|lives in")) == 1


def test_a_fact_another_memory_also_said_stays(mnemo, clock):
    note = mnemo.add_note(LISBON).memory
    clock.advance(days=1)
    turn = mnemo.capture.add_turn("Oh and my sister Anna lives in Lisbon, by the way.", role="user",
                                  conversation_id="c1")
    assert facts_of(mnemo, "sister|lives in")[0].links == (note.id, turn.id)
    mnemo.edit(note.id, "My brother Tom works at the bakery")
    [lisbon] = facts_of(mnemo, "sister|lives in")
    assert lisbon.fact_value == "Lisbon" and lisbon.links == (turn.id,)  # the chat still says it


@pytest.mark.parametrize("empty", ["", "   ", "\n\t", "\x00\x1b"])
def test_empty_words_are_refused_and_nothing_changes(mnemo, empty):
    note = mnemo.add_note(LISBON).memory
    before = (mnemo.store.get(note.id), len(mnemo.store.history()), [f.id for f in mnemo.facts_list()])
    with pytest.raises(InvalidInputError, match="A memory cannot be empty: type what it should say"):
        mnemo.edit(note.id, empty)
    assert (mnemo.store.get(note.id), len(mnemo.store.history()), [f.id for f in mnemo.facts_list()]) == before


def test_the_same_words_write_nothing(mnemo):
    note = mnemo.add_note(LISBON).memory
    history = len(mnemo.store.history())
    assert mnemo.edit(note.id, f" {LISBON} \n").text == LISBON
    assert len(mnemo.store.history()) == history


def test_mnemos_own_writing_and_deleted_memories_are_refused_with_the_reason(mnemo, clock):
    note = mnemo.add_note(LISBON).memory
    clock.advance(days=1)
    [summary] = mnemo.summarize()
    portrait = mnemo.refresh_portrait()
    [fact] = mnemo.facts_list()
    for memory, why in ((fact, "edit the memory it came from"), (summary, "written again when they change"),
                        (portrait, "corrected in the Summaries tab")):
        with pytest.raises(InvalidInputError, match=why):
            mnemo.edit(memory.id, "Something else entirely")
        assert mnemo.store.get(memory.id).text == memory.text
    mnemo.delete(note.id)
    with pytest.raises(InvalidInputError, match="deleted: bring it back"):
        mnemo.edit(note.id, "My sister Anna lives in Porto")


def test_a_day_summary_quoting_the_old_words_is_written_again(mnemo, clock):
    note = mnemo.add_note("Lunch with Maria at the harbour cafe").memory
    clock.advance(days=1)
    [summary] = mnemo.summarize()
    assert "harbour cafe" in summary.text
    mnemo.edit(note.id, "Lunch with Maria at the botanical garden")
    rewritten = mnemo.store.get(summary.id)
    assert "botanical garden" in rewritten.text and "harbour cafe" not in rewritten.text


@pytest.mark.real
def test_with_minilm_the_new_words_are_found_by_their_meaning(tmp_path, clock, minilm):
    mnemo = Mnemo(tmp_path / "data", clock, minilm, ScriptedModel())
    try:
        note = mnemo.add_note("The spare key is in the blue flowerpot").memory
        mnemo.add_note("Dentist appointment on Thursday at 14:30")
        words = "The spare key is hidden under the doormat by the front door"
        mnemo.edit(note.id, words)
        assert float(mnemo.store.vector(note.id) @ minilm.embed([words])[0]) > 0.999  # embedded again, by MiniLM
        assert mnemo.search("what is under the mat at the entrance?")[0].memory.id == note.id
    finally:
        mnemo.close()
