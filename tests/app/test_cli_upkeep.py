"""Replaying days of life through the `mnemo` command line with --now (real LanceDB and MiniLM;
SmolLM2 answers)."""
import json
import math

import pytest

from app import cli

pytestmark = pytest.mark.real


@pytest.fixture
def mnemo_cli(tmp_path, capsys, monkeypatch, minilm):
    monkeypatch.setattr("app.wiring.MiniLMEmbedder", lambda: minilm)  # the real model, loaded once
    data = str(tmp_path / "data")

    def run(now, *args):
        code = cli.main(["--data-dir", data, "--now", now, *args])
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out) if "--json" in args else out
    return run


def test_ten_days_replayed_with_now(mnemo_cli):
    anna = mnemo_cli("2026-05-01T09:00", "add", "My sister Anna lives in Lisbon", "--json")["id"]
    tom = mnemo_cli("2026-05-01T09:05", "add", "The recycling bin goes out on Tuesday mornings", "--json")["id"]
    hobby = mnemo_cli("2026-05-02T18:00", "add", "I love climbing and I play the cello every Sunday", "--json")["id"]

    answer = mnemo_cli("2026-05-03T12:00", "ask", "Where does my sister Anna live?", "--no-capture", "--json")
    assert anna in [m["id"] for m in answer["memories"]]
    assert tom not in [m["id"] for m in answer["memories"]]

    swept = mnemo_cli("2026-05-11T09:00", "decay", "--json")
    assert swept["checked"] == 4  # three notes and the fact the first one states

    listed = {m["id"]: m for m in mnemo_cli("2026-05-11T09:00", "list", "--json")}
    assert listed[anna]["strength"] > listed[tom]["strength"]  # recalled: stronger
    assert listed[anna]["retention"] > listed[tom]["retention"]
    assert listed[anna]["recall_count"] == 1 and listed[tom]["recall_count"] == 0
    assert {"kind", "retention", "strength", "state"} <= set(listed[tom])

    # a saved note lasts (strength 140 days): unused for 11 months, it is forgotten
    assert listed[tom]["strength"] > 100 and "a note you saved" in listed[tom]["importance_reason"]
    swept = mnemo_cli("2026-06-10T09:00", "decay", "--json")
    assert tom not in swept["changes"].get("forgotten", [])
    swept = mnemo_cli("2027-04-01T09:00", "decay", "--json")
    assert tom in swept["changes"].get("forgotten", [])
    listed = {m["id"]: m for m in mnemo_cli("2027-04-01T09:00", "list", "--json")}
    assert listed[tom]["state"] == "forgotten"  # forgotten memories stay listed

    summary = mnemo_cli("2027-04-01T09:00", "summarize", "--json")
    days = [d["text"] for d in summary["days"]]
    assert len(days) == 2 and days[0].startswith("Day summary, Friday 1 May 2026")
    assert summary["overview"]["text"].startswith("Overview, 1 May 2026 to 2 May 2026")
    assert mnemo_cli("2027-04-01T09:00", "summarize", "--json")["days"] == []  # idempotent

    portrait = mnemo_cli("2027-04-01T09:00", "portrait", "--json")
    assert "climbing" in portrait["text"] and "Anna" in portrait["text"]

    assert mnemo_cli("2027-04-01T09:00", "restore", tom[:8], "--json") == {"id": tom, "state": "active"}
    assert mnemo_cli("2027-04-01T09:00", "pin", hobby, "--json")["state"] == "pinned"
    mnemo_cli("2027-04-01T09:00", "delete", tom, "--json")
    assert mnemo_cli("2027-04-01T09:00", "purge", tom, "--json") == {"id": tom, "state": "purged",
                                                                     "backups_not_rewritten": []}
    assert tom not in {m["id"] for m in mnemo_cli("2027-04-01T09:00", "list", "--json")}


def test_bad_ids_and_days_get_clear_errors(tmp_path, capsys, monkeypatch, minilm):
    monkeypatch.setattr("app.wiring.MiniLMEmbedder", lambda: minilm)
    d = str(tmp_path / "d")
    assert cli.main(["--data-dir", d, "restore", "abc"]) == 1
    assert "give at least 6 characters" in capsys.readouterr().err
    assert cli.main(["--data-dir", d, "summarize", "--day", "May 1st"]) == 1
    assert "is not a day; use YYYY-MM-DD" in capsys.readouterr().err
    assert cli.main(["--data-dir", d, "summarize", "--day", "2026-05-01"]) == 1
    assert "Nothing happened on 2026-05-01" in capsys.readouterr().err
    note = cli.main(["--data-dir", d, "add", "A fresh note about bicycles"])
    note_id = capsys.readouterr().out.strip()
    assert note == 0
    assert cli.main(["--data-dir", d, "purge", note_id]) == 1
    assert "only forgotten or deleted memories can be purged" in capsys.readouterr().err


def test_a_purge_that_cannot_reach_a_damaged_backup_says_so(tmp_path, capsys, monkeypatch, minilm):
    """Forgetting for good must not claim success while a backup still holds the words."""
    import shutil

    monkeypatch.setattr("app.wiring.MiniLMEmbedder", lambda: minilm)
    d = tmp_path / "d"
    assert cli.main(["--data-dir", str(d), "add", "My locker combination is 3141"]) == 0
    note_id = capsys.readouterr().out.strip()
    assert cli.main(["--data-dir", str(d), "backup", "now"]) == 0
    capsys.readouterr()
    backup = next((d / "backups").iterdir())
    shutil.rmtree(next((backup / "store").glob("memories.lance")) / "_versions")  # the backup is damaged
    assert cli.main(["--data-dir", str(d), "delete", note_id]) == 0
    capsys.readouterr()
    assert cli.main(["--data-dir", str(d), "purge", note_id, "--json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["backups_not_rewritten"] == [backup.name]
    assert "could not be rewritten and still holds it" in err and backup.name in err
    assert cli.main(["--data-dir", str(d), "backup", "delete", backup.name, "--yes"]) == 0  # the way out it names
    assert not backup.exists()


def test_facts_importance_and_review_from_the_command_line(mnemo_cli):
    plumber = mnemo_cli("2026-01-05T09:00", "add", "The plumber's name is Kowalski.", "--json")["id"]
    mnemo_cli("2026-01-06T09:00", "add", "I live in Bristol.")
    mnemo_cli("2026-02-01T09:00", "add", "I moved to Leeds.")
    facts = mnemo_cli("2026-02-02T09:00", "facts", "--json")
    by_value = {f["fact_value"]: f for f in facts}
    assert set(by_value) == {"Kowalski", "Bristol", "Leeds"} and by_value["Kowalski"]["links"] == [plumber]
    assert by_value["Bristol"]["valid_until"].startswith("2026-02-01") and by_value["Leeds"]["valid_until"] is None
    assert "until 2026-02-01" in mnemo_cli("2026-02-02T09:00", "facts")
    assert [f["fact_value"] for f in mnemo_cli("2026-02-02T09:00", "facts", "--current", "--json")
            if f["fact_key"] == "user|lives in"] == ["Leeds"]

    # two months later the note's words still answer (its fact, and the note itself)
    hits = mnemo_cli("2026-03-05T09:00", "search", "What is the plumber called?", "--json")
    assert hits and "Kowalski" in hits[0]["text"]

    low = mnemo_cli("2026-03-05T09:00", "importance", plumber[:8], "low", "--json")
    assert low["importance"] == 0.2 and low["importance_reason"] == "set by you" and low["strength"] < 10
    assert mnemo_cli("2026-03-05T09:00", "importance", plumber, "0.9", "--json")["strength"] > 300

    # the week before the saved note would be forgotten, it is offered for review
    note = next(m for m in mnemo_cli("2026-03-05T09:00", "list", "--json") if m["text"] == "I live in Bristol.")
    from datetime import datetime, timedelta
    forgotten_at = datetime.fromisoformat(note["created_at"]) + timedelta(days=note["strength"] * math.log(10))
    week_before = (forgotten_at - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert mnemo_cli("2026-03-05T09:00", "review", "--json")["due"] == []
    assert mnemo_cli("2026-03-05T09:00", "decay", "--json")["message"] is None
    review = mnemo_cli(week_before, "review", "--json")
    assert note["id"] in [m["id"] for m in review["due"]] and "keep" in review["message"]
    kept = mnemo_cli(week_before, "review", "--keep", note["id"][:8], "--json")
    assert kept["kept"] == [note["id"]]
    assert note["id"] not in [m["id"] for m in mnemo_cli(week_before, "review", "--json")["due"]]
    swept = mnemo_cli(week_before, "decay", "--json")
    assert swept["away_days"] and swept["message"].startswith("Welcome back")


def test_list_json_carries_what_replays_read(mnemo_cli, tmp_path):
    """The fields held-out replays read: id, kind, state, retention, links, conversation_id, event_at."""
    note = mnemo_cli("2026-03-01T09:00", "add", "My sister Anna lives in Lisbon.", "--at", "2026-02-27T18:00",
                     "--json")["id"]
    session = tmp_path / "s1.jsonl"
    session.write_text(json.dumps({"conversation": "trip-1", "role": "user", "content": "We fly to Kyoto in May.",
                                   "timestamp": "2026-03-02T10:00:00+00:00"}) + "\n")
    mnemo_cli("2026-03-02T12:00", "import", str(session), "--format", "jsonl")
    rows = {m["id"]: m for m in mnemo_cli("2026-03-03T09:00", "list", "--json")}
    for row in rows.values():
        assert {"id", "kind", "state", "retention", "links", "conversation_id", "event_at"} <= set(row)
    assert rows[note]["event_at"].startswith("2026-02-27T18:00") and rows[note]["kind"] == "note"
    turn = next(r for r in rows.values() if r["kind"] == "turn")
    assert turn["conversation_id"] == "trip-1" and turn["event_at"].startswith("2026-03-02T10:00")
    fact = next(r for r in rows.values() if r["kind"] == "fact")
    assert fact["links"] == [note] and 0 < fact["retention"] <= 1 and fact["state"] == "active"
