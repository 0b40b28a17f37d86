"""`mnemo facts` prints what a fact holds without letting its words steer the terminal."""
import argparse

from app import cli_facts
from core.memory.records import Memory


class Facts:
    """Stands in for Mnemo: one fact whose key and value carry escape sequences."""

    def __init__(self, fact: Memory):
        self.fact = fact

    def facts_list(self, include_superseded: bool = True):
        return [self.fact]


def test_a_facts_subject_attribute_and_value_are_printed_escaped(capsys):
    fact = Memory(id="f" * 32, text="My sister lives in Lisbon", kind="fact", source="user", created_at=1.7e9,
                  fact_key="sister\x1b]0;owned\x07|lives\x1b[2J in", fact_value="Lis\x9bbon", valid_from=1.7e9,
                  links=("a" * 32,))
    assert cli_facts.facts(Facts(fact), argparse.Namespace(current=False, json=False), print) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "sister\\x1b]0;owned\\x07 · lives\\x1b[2J in: Lis\\x9bbon" in out
