"""A forgotten memory leaves free association, not recognition: a question that names it
clearly brings it back, marked, and the recall strengthens it again."""
from app.cli_common import hit_json
from core.memory.records import State
from core.mnemo import Mnemo
from tests.fakes import ScriptedModel


def _forget(mnemo, clock, text):
    note = mnemo.add_note(text).memory
    clock.advance(days=note.strength * 4)
    mnemo.sweep()
    assert mnemo.store.get(note.id).state == State.FORGOTTEN
    return note


def test_a_forgotten_note_comes_back_on_a_strong_cue_marked_with_its_age(tmp_path, clock, minilm):
    mnemo = Mnemo(tmp_path / "data", clock, minilm, ScriptedModel())
    try:
        note = _forget(mnemo, clock, "We watched a documentary about humpback whales in Lisbon")
        assert note.id not in [h.memory.id for h in mnemo.retriever.search("documentary about humpback whales")]
        cued = mnemo.retriever.cued("Which documentary about humpback whales did we watch?")
        assert [h.memory.id for h in cued] == [note.id]
        assert cued[0].cued and cued[0].reason.startswith("nearly forgotten, from ")
        assert "months ago" in cued[0].reason or "weeks ago" in cued[0].reason
        assert hit_json(cued[0])["cued"] is True
        assert mnemo.retriever.cued("What is the capital of Peru?") == []  # a weak cue brings nothing
        found = [h for h in mnemo.search("Which documentary about humpback whales did we watch?") if h.memory.id == note.id]
        assert len(found) == 1 and found[0].cued  # search finds it too, marked
        assert mnemo.store.get(note.id).state == State.FORGOTTEN  # looking is not remembering
        assert note.id not in [h.memory.id for h in mnemo.search("What is the capital of Peru?", relevant_only=False)]
    finally:
        mnemo.close()


def test_an_answer_that_used_a_cued_memory_brings_it_back_for_good(mnemo, clock):
    note = _forget(mnemo, clock, "The garage door code is 4417")
    answer = mnemo.ask("what is the garage door code")
    assert note.id in [h.memory.id for h in answer.memories if h.cued]
    assert mnemo.store.get(note.id).state == State.ACTIVE  # the spacing effect: remembered again
    assert note.id in [h.memory.id for h in mnemo.search("garage door code")]
