from datetime import date

from core.answering import grounding
from core.answering.grounding import check, claims, digits, keeps, support_text
from core.memory.records import Kind, Memory


def test_an_invented_name_is_unsupported():
    result = check("Your sister's name is Emily.", ["My sister lives in Porto."], "What is my sister's name?")
    assert not result.supported and result.unsupported == ("emily",)


def test_a_name_from_the_memory_is_supported_however_it_is_inflected():
    assert check("Kowalski's the plumber.", ["The plumber's name is Kowalski."], "Who is the plumber?").supported


def test_the_plunger_answer_is_caught_by_its_invented_place():
    result = check('The plumber is called a "plunger" in the UK.', ["The plumber's name is Kowalski."],
                   "What is the plumber called?")
    assert result.unsupported == ("uk",)


def test_numbers_match_however_they_are_grouped():
    assert digits("call 123-45678 at 9:30") == ["12345678", "930"]
    assert check("It is 12345678.", ["Her number is 123-45678"]).supported
    assert not check("It is 123-45679.", ["Her number is 123-45678"]).supported


def test_a_short_number_must_be_the_same_number_not_part_of_one():
    assert not check("You paid 84 euros.", ["The bike cost 840 euros."]).supported


def test_months_and_weekdays_match_in_any_spelling_and_the_memory_date_vouches():
    memory = Memory(id="m", text="Dentist appointment at 9:30.", kind=Kind.NOTE, source="user", created_at=0.0)
    vouches = support_text(memory, date(2026, 5, 14))
    assert check("On Thu 14 May at 9:30.", [vouches]).supported
    assert not check("On Friday 15 May.", [vouches]).supported


def test_the_question_vouches_for_what_it_names():
    assert check("Ana lives in Porto.", ["She lives in Porto."], "Where does Ana live?").supported


def test_ordinary_words_opening_a_sentence_are_not_names():
    assert claims("Yes. Based on your notes, it is there.") == []
    assert claims("Emily is your sister") == ["emily"]  # a name opening the answer is still a name


def test_keeps_every_fact_of_the_sentence_the_question_did_not_give():
    sentence = "My manager is Dana Whitfield since March."
    assert keeps("Dana Whitfield, since March.", sentence, "Who is my manager?")
    assert not keeps("Dana is your manager.", sentence, "Who is my manager?")


def test_a_phrasing_that_brings_in_a_new_word_adds_something():
    sentence = "I play the violin every Sunday."
    assert grounding.adds("You play the violin on Sundays.", sentence, "What instrument do I play?") == ()
    assert grounding.adds("You play the guitar.", sentence, "What instrument do I play?") == ("guitar",)
    assert grounding.adds("Your sister is called Anna.", "My sister Anna lives in Porto.", "What is my sister's name?") == ()


def test_a_phrasing_that_leaves_out_the_answer_does_not_keep_the_sentence():
    from core.answering.grounding import keeps

    sentence = "I'm allergic to penicillin, it gives me a rash."
    assert not keeps("The answer to this question is:", sentence, "What am I allergic to?")
    assert keeps("You are allergic to penicillin.", sentence, "What am I allergic to?")
