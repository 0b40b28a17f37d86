"""Summaries through the real stack: MiniLM picks the sentences; SmolLM2 writes when asked to."""
import pytest

from core.lifecycle.summaries import SummaryOptions
from core.mnemo import Mnemo

pytestmark = pytest.mark.real

DAY = [
    ("We drove to Porto this morning and had lunch by the river.", "user"),
    ("That sounds lovely. What did you eat?", "assistant"),
    ("Grilled sardines, and my daughter Lia tried octopus for the first time.", "user"),
    ("In the evening we booked a port wine tasting for Saturday.", "user"),
]


def _day(tmp_path, clock, minilm, model, use_model):
    m = Mnemo(tmp_path / use_model, clock, minilm, model, summary_options=SummaryOptions(use_model=use_model))
    m.capture.add_turns([(text, role, "") for text, role in DAY], "trip")
    return m


def test_extractive_summary_with_the_real_embedder(tmp_path, clock, minilm, smollm):
    m = _day(tmp_path, clock, minilm, smollm, "auto")  # the 135M model is not trusted to write
    try:
        assert not m.summaries.capable()
        text = m.summarize(m.today())[0].text
        assert text.startswith("Day summary, Friday 1 May 2026 (3 memories): ")  # the assistant's turn is not summarised
        assert "Porto" in text and "sardines" in text
        assert "What did you eat?" not in text  # a question from the assistant is not the gist
    finally:
        m.close()


def test_the_local_model_writes_the_summary_when_told_to(tmp_path, clock, minilm, smollm):
    m = _day(tmp_path, clock, minilm, smollm, "always")
    try:
        summary = m.summarize(m.today())[0]
        body = summary.text.split("): ", 1)[1]
        assert summary.text.startswith("Day summary, Friday 1 May 2026")
        assert len(body.split()) >= 5
        assert m.summarize(m.today())[0] == summary  # idempotent with the model as well
    finally:
        m.close()
