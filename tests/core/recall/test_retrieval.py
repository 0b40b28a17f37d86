import pytest

from core.intake.capture import CaptureService
from core.memory.store import MemoryStore
from core.recall.retrieval import Retriever


def test_keyword_hit_explains_which_words_matched(mnemo):
    mnemo.add_note("The garage code is 4417")
    mnemo.add_note("I like green tea in the morning")
    hit = mnemo.search("what is the garage code", k=1)[0]
    assert "garage code" in hit.memory.text
    assert "garag" in hit.matched_terms and "shares the words" in hit.reason


def test_deleted_memories_leave_retrieval_and_undelete_restores_them(mnemo):
    m = mnemo.add_note("The garage code is 4417").memory
    mnemo.delete(m.id)
    assert mnemo.search("garage code") == []
    mnemo.undelete(m.id)
    assert [h.memory.id for h in mnemo.search("garage code")] == [m.id]


def test_scores_are_ranked_and_k_is_respected(mnemo):
    for i in range(12):
        mnemo.add_note(f"note number {i} about gardening")
    hits = mnemo.search("gardening", k=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_unknown_mode_is_refused(mnemo):
    with pytest.raises(ValueError, match="unknown retrieval mode"):
        mnemo.retriever.search("x", mode="psychic")


@pytest.mark.real
def test_real_minilm_finds_a_paraphrase_with_no_shared_words(tmp_path, clock, minilm):
    store = MemoryStore.open(tmp_path, clock, dim=minilm.dim)
    capture = CaptureService(store, minilm, clock)
    capture.add_note("My sister Anna lives in Lisbon")
    capture.add_note("I bought a new bicycle helmet")
    capture.add_note("The quarterly report is due on Friday")
    hits = Retriever(store, minilm).search("Which city is my sibling's home?", k=3)
    assert hits[0].memory.text == "My sister Anna lives in Lisbon"
    assert hits[0].dense_rank == 1 and "close in meaning" in hits[0].reason
    store.close()


def test_search_leaves_out_memories_unrelated_to_the_query(mnemo):
    mnemo.add_note("The garage code is 4417")
    assert mnemo.search("xylophone quartet rehearsal") == []
    assert len(mnemo.search("xylophone quartet rehearsal", relevant_only=False)) == 1
