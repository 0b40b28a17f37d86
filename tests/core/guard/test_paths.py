import numpy as np

from core.guard.paths import denied_terms, disagree, path_of, values_of


def _path(text, names=frozenset()):
    return path_of(text, np.ones(4, dtype=np.float32) / 2, names)


def test_values_are_names_places_numbers_and_times_not_sentence_openers():
    assert values_of("Booked flights to Lisbon to visit Anna for Easter.") == {"lisbon", "anna", "easter"}
    assert values_of("Meeting moved to Friday the 20th at 9am.") >= {"friday", "20th", "9am"}
    assert "wow" not in values_of("Wow, Caroline, that is great!")
    assert values_of("Lumen Analytics hired me in March.") >= {"lumen", "analytics", "march"}


def test_different_values_for_the_same_thing_disagree():
    assert disagree(_path("Anna lives in Madrid."), _path("My sister Anna lives in Lisbon."), frozenset({"anna"}))
    assert not disagree(_path("Anna lives in Lisbon, near Alfama."), _path("Anna sent photos from Lisbon."))


def test_a_denial_of_what_the_other_affirms_disagrees():
    assert "penicillin" in denied_terms("The user has no drug allergies; penicillin is fine for them.")
    why = disagree(_path("The user has no drug allergies; penicillin is fine for them."),
                   _path("I'm allergic to penicillin, I get hives."))
    assert why.startswith("denies what the other affirms")


def test_speaker_names_are_not_values():
    assert _path("Thanks, Melanie! Mel, you rock.", frozenset({"melanie"})).values == frozenset()


def test_a_changed_number_disagrees_even_when_other_digits_match():
    assert disagree(_path("Got a new phone number: 07700 900456."), _path("My phone number is 07700 900123."))
