import pytest

from core.answering import extract
from core.memory.records import Kind, Memory
from core.recall.retrieval import Hit
from tests.fakes import HashEmbedder


def hit(text, kind=Kind.NOTE, when=1_780_000_000.0, source="user"):
    memory = Memory(id=text[:12], text=text, kind=kind, source=source, created_at=when)
    return Hit(memory=memory, score=1.0)


EMBED = HashEmbedder().embed


def test_the_sentence_holding_what_is_asked_for_answers():
    hits = [hit("We adopted a cat in March. Her name is Miso."), hit("My sister Ana lives in Porto.")]
    quote = extract.best("Where does my sister live?", hits, EMBED)
    assert quote.sentence == "My sister Ana lives in Porto."


def test_a_when_question_needs_a_date_not_a_house_number():
    assert not extract.holds("My sister Ana lives at Rua das Flores 12.", "date", "When is Ana's birthday?")
    assert extract.holds("Dentist on 14 May at 9:30.", "date", "When is the dentist?")
    assert extract.holds("The party is next Friday.", "date", "When is the party?")


def test_a_who_question_needs_a_name_the_question_does_not_give():
    assert not extract.holds("Ana is always late.", "name", "Who is Ana?")
    assert extract.holds("My manager is Dana.", "name", "Who is my manager?")


def test_nothing_answers_when_no_sentence_holds_the_kind_asked_for():
    assert extract.best("How much did the bike cost?", [hit("I love my new bike.")], EMBED) is None


def test_summaries_are_never_quoted():
    assert extract.best("Where does Ana live?", [hit("Ana lives in Porto.", kind=Kind.DAY_SUMMARY)], EMBED) is None


def test_a_quote_says_where_and_when_it_comes_from():
    quote = extract.Quote(hit("The garage code is 4417."), "The garage code is 4417.", 1.0)
    now = 1_780_000_000.0 + 86_400 * 30
    assert quote.text(now).startswith("From your note of ") and quote.text(now).endswith(": The garage code is 4417.")
    fact = extract.Quote(hit("garage code: 4417", kind=Kind.FACT), "garage code: 4417", 1.0)
    assert fact.text(now).startswith("From what you told me on ")


def test_a_question_someone_asked_is_never_the_answer():
    hits = [hit("What's the puppy's name? We still have to decide."), hit("The puppy is called Pip.")]
    quote = extract.best("What's the puppy's name?", hits, EMBED)
    assert quote.sentence == "The puppy is called Pip."
    assert extract.best("What's the puppy's name?", [hit("What's the puppy's name?")], EMBED) is None


def test_an_account_number_is_not_a_price_and_a_newer_statement_wins():
    assert not extract.holds("Our accountant charges 350 pounds for the tax return.", "identifier",
                             "What is my bank account number?")
    assert extract.holds("The garage code is 4417.", "identifier", "What is the garage code?")
    assert extract.holds("My locker number is 27.", "identifier", "What is my locker number?")
    old, new = hit("I work at Northwind Logistics."), hit("I accepted the offer from Copperleaf Studio.")
    old = Hit(memory=old.memory, score=1.0, dense_score=0.6, superseded=True)
    new = Hit(memory=new.memory, score=1.0, dense_score=0.6, replaces="replaces what was said on 10 Feb")
    assert extract.best("Where do I work now?", [new, old], EMBED).sentence == new.memory.text
    assert extract.best("Where did I work before?", [old], EMBED).sentence == old.memory.text


@pytest.mark.real
def test_a_question_about_a_time_is_answered_from_that_time_not_from_the_event_that_marks_it(tmp_path, clock,
                                                                                           minilm):
    from datetime import datetime, timezone

    from core.mnemo import Mnemo
    from tests.fakes import ScriptedModel

    on = lambda month, day, hour=18: datetime(2026, month, day, hour, tzinfo=timezone.utc)  # noqa: E731
    clock.set(datetime(2026, 5, 15, 10, tzinfo=timezone.utc))
    mnemo = Mnemo(tmp_path / "data", clock, minilm, ScriptedModel())
    try:
        mnemo.add_note("Packed my rain jacket and the good walking shoes", at=on(4, 9))
        mnemo.add_note("Flew to Kyoto today, the hotel is next to the station", at=on(4, 10, 9))
        mnemo.add_note("Visited the Fushimi Inari shrine in Kyoto", at=on(4, 12))
        answer = mnemo.ask("What did I pack before my trip to Kyoto?", capture=False)
        assert "rain jacket" in answer.text and "Flew" not in answer.text
    finally:
        mnemo.close()
