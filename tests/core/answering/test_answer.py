import threading

import pytest

from core.answering.prompt import SYSTEM
from core.errors import InvalidInputError
from core.memory.records import Kind, Source
from tests.fakes import ScriptedModel


def test_answer_reports_exactly_the_memories_placed_in_the_prompt(mnemo):
    mnemo.add_note("My sister Anna lives in Lisbon")
    mnemo.add_note("The garage code is 4417")
    answer = mnemo.ask("Where does my sister live?")
    prompt = mnemo.model.prompts[-1][-1]["content"]
    assert [h.memory.text for h in answer.memories] == ["My sister Anna lives in Lisbon"]
    assert "Anna lives in Lisbon" in prompt and "4417" not in prompt
    assert "Lisbon" in answer.text


def test_static_instructions_come_first_and_never_change(mnemo):
    mnemo.add_note("The garage code is 4417")
    mnemo.ask("garage code?", capture=False)
    mnemo.ask("something else entirely", capture=False)
    first, second = mnemo.model.prompts
    assert first[0] == second[0] == {"role": "system", "content": SYSTEM}


def test_exchange_is_captured_as_two_turns(mnemo):
    mnemo.add_note("The garage code is 4417")
    answer = mnemo.ask("What is the garage code?")
    turns = [m for m in mnemo.memories() if m.kind == Kind.TURN]
    assert {(m.role, m.source) for m in turns} == {("user", Source.CHAT), ("assistant", Source.ASSISTANT)}
    assert {m.id for m in turns} == set(answer.captured_ids)


def test_no_capture_leaves_the_store_unchanged(mnemo):
    mnemo.add_note("The garage code is 4417")
    mnemo.ask("What is the garage code?", capture=False)
    assert sorted(m.kind for m in mnemo.memories()) == [Kind.FACT, Kind.NOTE]  # the note and the fact it states


def test_only_prompt_memories_are_marked_recalled(mnemo):
    used = mnemo.add_note("The garage code is 4417").memory
    other = mnemo.add_note("Tomatoes need full sun").memory
    mnemo.ask("What is the garage code?", capture=False)
    assert mnemo.store.get(used.id).recall_count == 1
    assert mnemo.store.get(other.id).recall_count == 0


def test_tokens_stream_and_cancel_stops_early(mnemo):
    mnemo.model = mnemo.answers.model = ScriptedModel("one two three four five six", delay=0.01)
    cancel = threading.Event()
    seen = []

    def on_token(piece):
        seen.append(piece)
        if len(seen) == 2:
            cancel.set()

    answer = mnemo.ask("count", on_token=on_token, cancel=cancel)
    assert answer.cancelled and answer.text == "one two"
    assert [m.role for m in mnemo.memories() if m.kind == Kind.TURN] == ["user"]


def test_empty_question_is_refused(mnemo):
    with pytest.raises(InvalidInputError):
        mnemo.ask("   ")


def test_no_matching_memory_gives_an_empty_prompt_list(mnemo):
    mnemo.add_note("The garage code is 4417")
    answer = mnemo.ask("quantum chromodynamics lecture", capture=False)
    assert answer.memories == [] and "(no notes about this)" in mnemo.model.prompts[-1][-1]["content"]


@pytest.mark.real
def test_real_model_answers_from_a_stored_fact(tmp_path, clock, minilm, smollm):
    from core.mnemo import Mnemo

    mnemo = Mnemo(tmp_path, clock, minilm, smollm)
    mnemo.add_note("My sister Anna lives in Lisbon")
    mnemo.add_note("I parked the car on level 3 of the station garage")
    mnemo.add_note("My favourite tea is jasmine green tea")
    pieces = []
    answer = mnemo.ask("Where does my sister live?", on_token=pieces.append)
    assert "Lisbon" in answer.text
    assert len(pieces) > 1, "the answer should arrive as a stream of pieces"
    assert answer.memories[0].memory.text == "My sister Anna lives in Lisbon"
    mnemo.close()
