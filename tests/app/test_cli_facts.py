"""`mnemo facts` prints what a fact holds without letting its words steer the terminal;
`mnemo edit` gives a memory new words (its fact follows) and refuses empty ones."""
import argparse
import json

import pytest

from app import cli, cli_facts
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


@pytest.mark.real
def test_mnemo_edit_gives_a_memory_new_words_and_its_fact_follows(tmp_path, capsys, monkeypatch, minilm):
    monkeypatch.setattr("app.wiring.MiniLMEmbedder", lambda: minilm)  # the real model, loaded once
    d = ["--data-dir", str(tmp_path / "data"), "--now", "2026-05-01T09:00"]

    def run(*args):
        code = cli.main([*d, *args])
        out, err = capsys.readouterr()
        return code, out, err

    note_id = run("add", "My sister Anna lives in Lisbon")[1].strip()
    code, out, err = run("edit", note_id[:8], "My sister Anna lives in Porto", "--json")
    assert code == 0, err
    edited = json.loads(out)
    assert edited["id"] == note_id and edited["text"] == "My sister Anna lives in Porto"
    assert edited["previous_text"] == "My sister Anna lives in Lisbon" and edited["changed"] is True
    facts = json.loads(run("facts", "--json")[1])
    assert [(f["fact_value"], f["links"]) for f in facts] == [("Porto", [note_id])]
    assert json.loads(run("search", "Where does Anna live now?", "--json")[1])[0]["id"] == note_id

    code, out, _ = run("edit", note_id, "My sister Anna lives in Porto")
    assert code == 0 and out.strip() == f"{note_id} unchanged: it says that already"
    code, out, err = run("edit", note_id, "   ")
    assert code == 1 and out == ""
    assert err.strip() == ("mnemo: A memory cannot be empty: type what it should say (or delete it); nothing "
                           "was changed.")
    code, _, err = run("edit", facts[0]["id"], "My sister lives in Rome")
    assert code == 1 and "edit the memory it came from" in err
    listed = {m["id"]: m["text"] for m in json.loads(run("list", "--json")[1])}
    assert listed[note_id] == "My sister Anna lives in Porto" and "My sister lives in Rome" not in listed.values()
    code, out, _ = run("edit", note_id, "My sister Anna lives in Faro")
    assert code == 0 and out.strip() == f"{note_id} edited; it said before: My sister Anna lives in Porto"
