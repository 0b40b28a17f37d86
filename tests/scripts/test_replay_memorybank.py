"""MemoryBank replayed through the real stack (LanceDB, MiniLM, SmolLM2) with a moving clock.
The full 15-user run is `scripts/replay_memorybank.py`; this test replays two users."""
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.real
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import replay_memorybank  # noqa: E402


@pytest.fixture(scope="module")
def replayed(minilm, smollm):
    if not (replay_memorybank.DATA / "memory_bank_en.json").exists():
        pytest.skip(f"MemoryBank data not found at {replay_memorybank.DATA}; set MNEMO_SHARED_DATA")
    return {r.name: r for r in replay_memorybank.replay(["Emily", "Henry"], probe=True, embedder=minilm,
                                                         model=smollm)}


def test_every_day_of_the_replay_has_a_summary(replayed):
    for r in replayed.values():
        assert r.summarised_days == r.days


def test_each_portrait_names_the_users_stated_hobbies(replayed):
    for r in replayed.values():
        assert r.hobbies and r.hobbies_named == r.hobbies, (r.name, r.portrait)


def test_recalled_memories_are_stronger_than_comparable_unrecalled_ones(replayed):
    for r in replayed.values():
        assert r.recalled_strength > r.unrecalled_strength
        assert r.recalled_retention > r.unrecalled_retention


def test_probing_questions_are_answered_from_memory(replayed):
    emily = {p["question"]: p for p in replayed["Emily"].probes}
    painters = emily["What painters did you recommend to me?"]
    assert painters["memories"] and painters["answer"]
    assert any("Leonardo da Vinci" in m for m in painters["memories"])
