"""Replaying days of life through the `mnemo` command line with --now (real LanceDB and MiniLM;
SmolLM2 answers)."""
import json

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
    assert swept["checked"] == 3

    listed = {m["id"]: m for m in mnemo_cli("2026-05-11T09:00", "list", "--json")}
    assert listed[anna]["strength"] > listed[tom]["strength"]  # recalled: stronger
    assert listed[anna]["retention"] > listed[tom]["retention"]
    assert listed[anna]["recall_count"] == 1 and listed[tom]["recall_count"] == 0
    assert {"kind", "retention", "strength", "state"} <= set(listed[tom])

    swept = mnemo_cli("2026-06-10T09:00", "decay", "--json")
    assert tom in swept["changes"].get("forgotten", [])
    listed = {m["id"]: m for m in mnemo_cli("2026-06-10T09:00", "list", "--json")}
    assert listed[tom]["state"] == "forgotten"  # forgotten memories stay listed

    summary = mnemo_cli("2026-06-10T09:00", "summarize", "--json")
    days = [d["text"] for d in summary["days"]]
    assert len(days) == 2 and days[0].startswith("Day summary, Friday 1 May 2026")
    assert summary["overview"]["text"].startswith("Overview, 1 May 2026 to 2 May 2026")
    assert mnemo_cli("2026-06-10T09:00", "summarize", "--json")["days"] == []  # idempotent

    portrait = mnemo_cli("2026-06-10T09:00", "portrait", "--json")
    assert "climbing" in portrait["text"] and "Anna" in portrait["text"]

    assert mnemo_cli("2026-06-10T09:00", "restore", tom[:8], "--json") == {"id": tom, "state": "active"}
    assert mnemo_cli("2026-06-10T09:00", "pin", hobby, "--json")["state"] == "pinned"
    mnemo_cli("2026-06-10T09:00", "delete", tom, "--json")
    assert mnemo_cli("2026-06-10T09:00", "purge", tom, "--json") == {"id": tom, "state": "purged"}
    assert tom not in {m["id"] for m in mnemo_cli("2026-06-10T09:00", "list", "--json")}


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
