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
