"""The `mnemo` command line, through the real stack (LanceDB, MiniLM, SmolLM2)."""
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[2]


def run_cli(capsys, *args):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_ask_search_list_stats_round(tmp_path, capsys):
    d = str(tmp_path / "data")
    code, out, _ = run_cli(capsys, "--data-dir", d, "add", "My sister Anna lives in Lisbon")
    assert code == 0 and len(out.strip()) == 32
    note_id = out.strip()
    code, out, _ = run_cli(capsys, "add", "my sister anna lives in lisbon", "--data-dir", d, "--json")
    assert json.loads(out) == {"id": note_id, "duplicate": True, "state": "active", "quarantine_reason": None}

    code, out, _ = run_cli(capsys, "--data-dir", d, "search", "sister", "--k", "3", "--json")
    hits = json.loads(out)
    assert hits[0]["id"] == note_id and hits[0]["score"] > 0 and hits[0]["reason"]

    code, out, _ = run_cli(capsys, "--data-dir", d, "--now", "2026-06-01T10:00", "ask", "Where does my sister live?", "--json")
    result = json.loads(out)
    assert code == 0 and "Lisbon" in result["answer"]
    assert [m["id"] for m in result["memories"]][0] == note_id
    assert set(result["memories"][0]) >= {"id", "text", "score", "source", "created_at"}

    code, out, _ = run_cli(capsys, "--data-dir", d, "list", "--json")
    listed = json.loads(out)
    assert {m["kind"] for m in listed} == {"note", "turn", "fact"} and all(m["state"] == "active" for m in listed)
    fact = next(m for m in listed if m["kind"] == "fact")  # distilled from the note, linked to it
    assert fact["links"] == [note_id] and fact["fact_value"] == "Lisbon" and fact["importance_reason"]
    assert any(m["created_at"].startswith("2026-06-01") for m in listed), "--now sets the capture time"

    code, out, _ = run_cli(capsys, "--data-dir", d, "stats", "--json")
    stats = json.loads(out)
    assert stats["by_kind"] == {"note": 1, "turn": 2, "fact": 1} and stats["by_source"]["assistant"] == 1


def test_missing_model_is_a_clear_error_and_the_rest_keeps_working(tmp_path, capsys):
    d = str(tmp_path / "data")
    missing = tmp_path / "gone.gguf"
    assert run_cli(capsys, "--data-dir", d, "--model", str(missing), "add", "The garage code is 4417")[0] == 0
    code, out, err = run_cli(capsys, "--data-dir", d, "--model", str(missing), "ask", "What is the garage code?",
                             "--no-capture")
    assert str(missing) in err and "--model" in err and "Traceback" not in err
    assert code == 0 and "From your note of" in out and "4417" in out
    code, out, _ = run_cli(capsys, "--data-dir", d, "--model", str(missing), "search", "garage", "--json")
    assert code == 0 and "4417" in json.loads(out)[0]["text"]


def test_bad_time_is_refused_with_a_sentence(tmp_path, capsys):
    code, _, err = run_cli(capsys, "--data-dir", str(tmp_path), "--now", "yesterday-ish", "list")
    assert code == 2 and "ISO-8601" in err


def test_no_network_connection_is_attempted_during_a_chat_round(tmp_path, capsys, monkeypatch):
    attempts = []
    real_connect = socket.socket.connect

    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise OSError("network disabled in this test")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    d = str(tmp_path / "data")
    assert run_cli(capsys, "--data-dir", d, "add", "My sister Anna lives in Lisbon")[0] == 0
    code, out, err = run_cli(capsys, "--data-dir", d, "ask", "Where does my sister live?", "--json")
    assert code == 0, err
    assert attempts == []


def test_installed_console_script_end_to_end(tmp_path):
    """`mnemo add` then `mnemo ask` as separate processes, as a person would type them."""
    exe = Path(sys.executable).with_name("mnemo")
    env = {**os.environ, "MNEMO_DATA_DIR": str(tmp_path / "data")}
    added = subprocess.run([str(exe), "add", "My sister Anna lives in Lisbon"], env=env, capture_output=True, text=True, timeout=300)
    assert added.returncode == 0, added.stderr
    asked = subprocess.run([str(exe), "ask", "Where does my sister live?"], env=env, capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr
    assert "Lisbon" in asked.stdout and "Memories used" in asked.stdout and "My sister Anna lives in Lisbon" in asked.stdout
