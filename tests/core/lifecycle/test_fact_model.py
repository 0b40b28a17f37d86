"""Facts read by a capable model: only what the memory itself says is kept; the bundled 135M
model is never asked, and the real one (told to read) adds nothing that is not in the text."""
from __future__ import annotations

import pytest

from core.lifecycle.fact_model import INSTRUCTION, parse
from core.lifecycle.summaries import SummaryOptions
from core.memory.records import Kind
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel

NOTE = "Started my new job at the Northwind studio this week, still can't believe it."
REPLY = "I | works at | Northwind studio\nI | lives in | Atlantis\nthe weather | is | nice today"


class SizedModel(ScriptedModel):
    def __init__(self, reply: str, parameters: int):
        super().__init__(reply)
        self.parameters = parameters


def model_facts(mnemo):
    return {(f.fact_key, f.fact_value): f for f in mnemo.facts.all()}


def test_parse_keeps_the_messages_own_words_and_drops_what_was_invented():
    found = parse(REPLY, NOTE)
    assert [(f.key, f.value) for f in found] == [("user|works at", "Northwind studio")]
    assert NOTE[found[0].start:found[0].end] == "Northwind studio"
    assert parse("NONE", NOTE) == []
    assert parse("I | a very long attribute that is not one | Northwind", NOTE) == []


def test_a_capable_model_adds_the_fact_the_patterns_missed_linked_to_its_note(tmp_path, clock):
    model = SizedModel(REPLY, parameters=1_700_000_000)
    m = Mnemo(tmp_path / "data", clock, HashEmbedder(), model)
    try:
        note = m.add_note(NOTE).memory
        assert "user|works at" not in {k for k, _ in model_facts(m)}  # the patterns do not see it
        m.run_job("consolidate")
        facts = model_facts(m)
        work = facts[("user|works at", "Northwind studio")]
        assert work.kind == Kind.FACT and work.links == (note.id,)
        assert not any(value == "Atlantis" for _, value in facts)
        asked = [p for p in model.prompts if p[0]["content"] == INSTRUCTION]
        assert len(asked) == 1 and NOTE in asked[0][-1]["content"]
        m.run_job("consolidate")  # read once: the next pass does not ask again
        assert len([p for p in model.prompts if p[0]["content"] == INSTRUCTION]) == 1
    finally:
        m.close()


def test_the_bundled_small_model_is_never_asked_for_facts(tmp_path, clock):
    model = SizedModel(REPLY, parameters=135_000_000)
    m = Mnemo(tmp_path / "data", clock, HashEmbedder(), model)
    try:
        m.add_note(NOTE)
        m.add_note("My sister Anna lives in Lisbon.")
        m.run_job("consolidate")
        assert not any(p[0]["content"] == INSTRUCTION for p in model.prompts)
        assert set(model_facts(m)) == {("sister|lives in", "Lisbon")}  # the patterns still work
    finally:
        m.close()


@pytest.mark.real
def test_the_real_model_told_to_read_keeps_only_grounded_facts(tmp_path, clock, minilm, smollm):
    m = Mnemo(tmp_path / "data", clock, minilm, smollm, summary_options=SummaryOptions(use_model="always"))
    try:
        notes = [m.add_note(text).memory for text in (
            NOTE, "My daughter Lia is allergic to peanuts, the doctor confirmed it on Tuesday.",
            "Our dog is called Biscuit and he turns four in June.")]
        m.run_job("consolidate")
        by_id = {n.id: n.text for n in notes}
        facts = m.facts.all()
        for fact in facts:
            source = " ".join(by_id[fact.links[0]].split()).casefold()
            assert fact.fact_value.casefold() in source, (fact.fact_key, fact.fact_value)
    finally:
        m.close()
