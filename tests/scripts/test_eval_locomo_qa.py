"""The LoCoMo QA scoring, on hand-worked examples."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import eval_locomo_qa as qa  # noqa: E402


def test_normalisation_drops_case_punctuation_articles_and_stems():
    assert qa.normalise("The Painting, of a sunset!") == ["paint", "of", "sunset"]


@pytest.mark.parametrize("prediction,gold,expected", [
    ("7 May 2023", "7 May 2023", 1.0),
    ("She went on 7 May 2023.", "7 May 2023", 2 / 3),  # p = 3/6, r = 1 -> F1 = 2/3
    ("in Lisbon", "Porto", 0.0),
    ("", "Porto", 0.0),
    ("the adoption agencies", "Adoption agency", 1.0),  # articles gone, stems equal
])
def test_token_f1(prediction, gold, expected):
    assert qa.f1(prediction, gold) == pytest.approx(expected)


def test_multi_hop_averages_each_gold_part_over_the_best_predicted_part():
    # gold parts: "pottery" (found exactly) and "camping" (missing) -> (1 + 0) / 2
    assert qa.score(1, "pottery, painting", "pottery, camping") == pytest.approx(0.5)


def test_open_domain_uses_the_gold_answer_up_to_its_first_semicolon():
    assert qa.score(3, "Likely yes", "Likely yes; because she loves it") == pytest.approx(1.0)


@pytest.mark.parametrize("text,abstains", [
    ("That is not mentioned in the conversation.", True),
    ("I do not remember anything about that.", True),
    ("There is no information about a dog.", True),
    ("She adopted a dog named Max.", False),
])
def test_abstention(text, abstains):
    assert qa.abstains(text) is abstains


def test_summary_table_per_category():
    rows = [{"category": 4, "f1": 1.0, "abstained": False}, {"category": 4, "f1": 0.5, "abstained": False},
            {"category": 5, "f1": None, "abstained": True}, {"category": 5, "f1": None, "abstained": False}]
    result = qa.summarise(rows, "m.gguf", 2, 1.0)
    assert result["by_category"]["single-hop"] == {"questions": 2, "f1": 0.75}
    assert result["by_category"]["adversarial"] == {"questions": 2, "abstained": 0.5}
    assert result["f1_categories_1_4"] == 0.75 and result["by_category"]["multi-hop"]["f1"] is None
