""""This is wrong": the user's correction becomes their own note, supersedes what it corrects
(the answer, and the memory the answer quoted), and is a lesson that brings it first to the
next question on the theme."""
import pytest

from core.errors import InvalidInputError
from core.guard.lessons import CORRECTION
from core.memory.records import Kind, Source


def test_a_correction_is_the_users_note_and_supersedes_the_answer_and_the_quoted_memory(mnemo):
    old = mnemo.add_note("The plumber's name is Kowalski.").memory
    answer = mnemo.ask("What is the plumber's name?", conversation_id="gui-a")
    assert answer.method in ("quote", "phrased") and answer.support == (old.id,)
    answer_turn = answer.captured_ids[-1]
    fixed = mnemo.correct(answer.question, answer.text, "The plumber is Nowak now, not Kowalski.",
                          answer.support, answer.method, answer_turn)
    note = fixed.note
    assert note.kind == Kind.NOTE and note.source == Source.USER and "correction" in note.importance_reason
    assert set(fixed.superseded) == {old.id, answer_turn} and set(note.links) == {old.id, answer_turn}
    assert mnemo.store.get(old.id).valid_until is not None  # kept, shown "until ..."
    assert any("corrected by the user" in h.reason for h in mnemo.store.history(old.id))
    assert fixed.lesson.guard_verdict == CORRECTION and "Nowak" in fixed.lesson.text
    assert fixed.lesson in mnemo.lessons()


def test_the_next_answer_on_the_theme_comes_from_the_correction(mnemo):
    mnemo.add_note("The plumber's name is Kowalski.")
    answer = mnemo.ask("What is the plumber's name?")
    mnemo.correct(answer.question, answer.text, "The plumber's name is Nowak.", answer.support, answer.method,
                  answer.captured_ids[-1])
    again = mnemo.ask("What is the plumber's name?")
    assert "Nowak" in again.text and "Kowalski" not in again.text
    assert again.memories[0].memory.text == "The plumber's name is Nowak."


def test_a_model_answer_only_supersedes_the_answer_not_the_memories_it_read(mnemo):
    mnemo.answers.capable = lambda: True
    kept = mnemo.add_note("My manager is Sarah Jones.").memory
    answer = mnemo.ask("Who is my manager?")
    fixed = mnemo.correct(answer.question, answer.text, "My manager is Sarah Jones, not me.", answer.support,
                          "model", answer.captured_ids[-1])
    assert fixed.superseded == (answer.captured_ids[-1],)
    assert mnemo.store.get(kept.id).valid_until is None


def test_a_capable_model_is_told_of_the_correction(mnemo):
    mnemo.answers.capable = lambda: True
    mnemo.add_note("The plumber's name is Kowalski.")
    answer = mnemo.ask("What is the plumber's name?")
    mnemo.correct(answer.question, answer.text, "The plumber's name is Nowak.", answer.support, "model",
                  answer.captured_ids[-1])
    mnemo.ask("What is the plumber's name?")
    prompt = mnemo.model.prompts[-1][-1]["content"]
    assert "corrected an earlier answer" in prompt and "Nowak" in prompt


def test_an_empty_correction_changes_nothing(mnemo):
    mnemo.add_note("The plumber's name is Kowalski.")
    answer = mnemo.ask("What is the plumber's name?")
    before = len(mnemo.store.all())
    with pytest.raises(InvalidInputError):
        mnemo.correct(answer.question, answer.text, "   ", answer.support, answer.method, answer.captured_ids[-1])
    assert len(mnemo.store.all()) == before
    assert all(m.valid_until is None for m in mnemo.store.all() if m.kind != Kind.FACT)
