"""The keyword index scores as bm25s does, and follows appends, rewrites and purges without
being rebuilt from scratch."""
import numpy as np

from core.memory.records import Kind, Memory, content_hash, new_id
from core.memory.store import MemoryStore
from core.recall.keywords import EMPTY, KeywordIndex, index_text
from core.text import terms, terms_many

TEXTS = ["My sister Anna lives in Lisbon", "The plumber Kowalski fixed the sink", "Anna loves the Lisbon trams",
         "ok", "Lunch with Anna and her dog in the park", "The sink leaks again; call the plumber",
         "Book the trams tour in Lisbon for May"]


def _memory(text, clock, kind=Kind.NOTE, conversation=""):
    v = np.zeros(384, dtype=np.float32)
    v[hash(text) % 384] = 1.0
    return Memory(id=new_id(), text=text, kind=kind, source="user", created_at=clock.now().timestamp(),
                  conversation_id=conversation, role="user" if kind == Kind.TURN else "",
                  content_hash=content_hash(text), vector=v)


def _bm25s(store, ids, query):
    """The reference: bm25s over the same documents (own words + the preceding turn's)."""
    import bm25s

    memories = [store.get(i) for i in ids]
    own = terms_many([index_text(m) for m in memories])
    last, corpus = {}, []
    for i, m in enumerate(memories):
        context = []
        if m.kind == Kind.TURN:
            if m.conversation_id in last:
                context = own[last[m.conversation_id]]
            last[m.conversation_id] = i
        corpus.append((own[i] + context) or [EMPTY])
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    known = [t for t in terms(query) if t in index.vocab_dict]
    return np.asarray(index.get_scores(known), dtype=np.float32) if known else np.zeros(len(ids))


def test_scores_match_bm25s_through_appends_rewrites_and_purges(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    index = KeywordIndex()
    queries = ["Where does Anna live?", "plumber sink", "Lisbon trams in May", "nothing matches this"]

    def check():
        ids, _, _ = store.versioned_snapshot()
        for query in queries:
            assert np.allclose(index.scores(store, ids, terms(query)), _bm25s(store, ids, query), atol=1e-4), query

    store.add([_memory(t, clock) for t in TEXTS[:4]], actor="t", reason="t")
    check()
    turns = [_memory(t, clock, Kind.TURN, "c1") for t in TEXTS[4:]]
    for turn in turns:  # one at a time, as a chat arrives
        store.add([turn], actor="t", reason="t")
        check()
    summary = _memory("Summary: Anna, Lisbon", clock, kind=Kind.DAY_SUMMARY)
    store.upsert(summary, actor="t", reason="t")
    check()
    store.upsert(summary.with_changes(text="Summary: the plumber came"), actor="t", reason="t")  # rewritten in place
    check()
    store.purge([store.all()[1].id], actor="t", reason="t")  # rows move: rebuilt
    check()
    store.close()


def test_a_turn_is_found_by_the_words_of_the_turn_before_it(tmp_path, clock):
    store = MemoryStore.open(tmp_path, clock)
    store.add([_memory("What did you think of the painting?", clock, Kind.TURN, "c"),
               _memory("I loved it, the colours are wonderful", clock, Kind.TURN, "c")], actor="t", reason="t")
    ids, _, _ = store.versioned_snapshot()
    index = KeywordIndex()
    scores = index.scores(store, ids, terms("painting"))
    assert scores[1] > 0 and index.matched(1, set(terms("painting"))) == ((), ("paint",))
    store.close()
