"""Consolidation: the facts of the user's world outlive the episodes that carried them; the
same fact said again strengthens it; a newer statement supersedes it with a validity window;
the assistant's words and imports cannot overrule what the user said."""
from __future__ import annotations

from core.memory.records import Kind, Source, State


def facts_of(mnemo, key: str):
    return [f for f in mnemo.facts.all() if f.fact_key == key]


def test_a_fact_said_twice_is_one_fact_with_two_sources_and_stronger(mnemo, clock):
    note = mnemo.add_note("My sister Anna lives in Lisbon.").memory
    first = facts_of(mnemo, "sister|lives in")
    assert len(first) == 1 and first[0].links == (note.id,) and first[0].kind == Kind.FACT
    clock.advance(days=40)
    turn = mnemo.capture.add_turns([("My sister Anna lives in Lisbon, near the river.", "user", "")], "c1")[0]
    again = facts_of(mnemo, "sister|lives in")
    assert len(again) == 1 and again[0].links == (note.id, turn.id)
    assert again[0].strength > first[0].strength and again[0].reinforced_at == clock.now().timestamp()


def test_a_newer_statement_supersedes_and_the_old_fact_is_kept_with_its_window(mnemo, clock):
    bristol = mnemo.add_note("I live in Bristol.").memory
    clock.advance(days=30)
    leeds = mnemo.add_note("I moved to Leeds.").memory
    old, new = sorted(facts_of(mnemo, "user|lives in"), key=lambda f: f.valid_from)
    assert (old.fact_value, new.fact_value) == ("Bristol", "Leeds")
    assert old.valid_until == leeds.created_at == new.valid_from and new.valid_until is None
    assert old.links == (bristol.id,) and old.state == State.ACTIVE  # kept, as history
    assert any("superseded" in e.reason for e in mnemo.store.history(old.id))
    found = [h.memory.id for h in mnemo.search("live in Bristol or moved to Leeds", kinds=["fact"])]
    assert new.id in found and old.id not in found  # answers use what is true now
    assert [f.id for f in mnemo.facts_list(include_superseded=False) if f.fact_key == "user|lives in"] == [new.id]


def test_an_import_never_overrules_what_the_user_said(mnemo, clock):
    mnemo.add_note("I live in Bristol.")
    clock.advance(days=3)
    mnemo.capture.add_turns([("I moved to Madrid.", "user", "")], "old-chat", source=Source.IMPORT)
    current = [f for f in facts_of(mnemo, "user|lives in") if f.valid_until is None]
    assert [f.fact_value for f in current] == ["Bristol"]


def test_the_assistants_words_and_questions_make_no_facts(mnemo):
    mnemo.capture.add_turns([("Does my sister live in Madrid?", "user", ""),
                             ("Your sister Anna lives in Madrid.", "assistant", "")], "chat", source=Source.CHAT)
    assert mnemo.facts.all() == []


def test_an_imported_question_states_nothing_and_leaves_the_true_fact_alone(mnemo, clock):
    mnemo.capture.add_turns([("My sister Anna lives in Lisbon.", "user", "")], "s1", source="import:chat.jsonl")
    clock.advance(days=30)
    mnemo.capture.add_turns([("Does my sister live in Madrid now? I moved to Porto.", "user", "")], "s2",
                            source="import:chat.jsonl")
    current = {f.fact_key: f.fact_value for f in mnemo.facts.all(include_superseded=False)}
    assert current["sister|lives in"] == "Lisbon"  # the question claimed nothing
    assert current["user|lives in"] == "Porto"  # the statement beside it still counts


def test_facts_follow_their_sources_when_deleted_undeleted_and_purged(mnemo):
    note = mnemo.add_note("The plumber's name is Kowalski.").memory
    fact = facts_of(mnemo, "plumber|name")[0]
    mnemo.delete(note.id)
    assert mnemo.store.get(fact.id).state == State.DELETED
    mnemo.undelete(note.id)
    assert mnemo.store.get(fact.id).state == State.ACTIVE
    mnemo.delete(note.id)
    mnemo.purge(note.id)
    assert mnemo.store.find(fact.id) is None and facts_of(mnemo, "plumber|name") == []


def test_consolidation_catches_up_on_episodes_stored_without_it(mnemo):
    mnemo.facts.consolidate = lambda memories, progress=None: None  # as if written before consolidation existed
    mnemo.add_note("My dentist is called Dr Okafor.")
    assert mnemo.facts.all() == [] and mnemo.facts.pending()
    del mnemo.facts.consolidate
    results = {r.job: r for r in mnemo.catch_up()}
    assert results["consolidate"].changed == 1 and "1 facts made" in results["consolidate"].detail
    assert [f.fact_value for f in facts_of(mnemo, "dentist|name")] == ["Dr Okafor"]
    assert not mnemo.facts.pending()
