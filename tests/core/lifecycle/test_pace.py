"""Keeping memories longer (or shorter) than designed: the user's pace scales the strength of
what fades, now and for what is saved later; it survives a restart and is never applied twice."""
import pytest

from core.errors import InvalidInputError
from core.memory.decay import DecayPolicy
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel


def open_mnemo(path, clock):
    return Mnemo(path, clock, HashEmbedder(), ScriptedModel())


def test_keeping_memories_twice_as_long_saves_a_note_that_would_have_been_forgotten(tmp_path, clock):
    mnemo = open_mnemo(tmp_path / "d", clock)
    note = mnemo.add_note("The bike lock code is 4417").memory
    kept = dict(mnemo.keeping())["A note you save"]
    assert mnemo.set_pace(2.0) >= 1
    assert dict(mnemo.keeping())["A note you save"] == pytest.approx(2 * kept)
    clock.advance(days=1.5 * kept)  # past the designed time, within the doubled one
    mnemo.sweep()
    assert mnemo.store.get(note.id).state in ("active", "fading")
    assert mnemo.store.history(note.id)[-1].reason.startswith("kept 2x as long as designed")
    later = mnemo.add_note("The gate code is 1234").memory  # what is saved from now on is kept longer too
    assert later.strength == pytest.approx(2 * DecayPolicy().initial_strength(later.importance))
    mnemo.close()

    again = open_mnemo(tmp_path / "d", clock)  # the pace is remembered; setting it again changes nothing
    assert again.policy.pace == 2.0 and again.set_pace(2.0) == 0
    assert again.store.get(note.id).strength == pytest.approx(mnemo.store.get(note.id).strength)
    again.close()


def test_a_pace_out_of_range_is_refused_and_changes_nothing(tmp_path, clock):
    mnemo = open_mnemo(tmp_path / "d", clock)
    note = mnemo.add_note("Anna lives in Lisbon").memory
    with pytest.raises(InvalidInputError, match="from 0.25 to 4 times"):
        mnemo.set_pace(10)
    assert mnemo.store.get(note.id).strength == note.strength and mnemo.policy.pace == 1.0
    mnemo.close()
