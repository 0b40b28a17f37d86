"""One owner, many clients: while the app has the memory open, `mnemo` commands run in it
(over a Unix socket only the user can open) with the same output; with no app, the command
opens the store itself. In-process with the fakes here; with real processes (the app offscreen
and `mnemo` commands beside it) in test_owner_processes.py."""
from __future__ import annotations

import io
import json
import stat

import pytest

from app import cli
from app.owner.client import forward
from app.owner.protocol import socket_path
from app.owner.server import OwnerServer
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel


@pytest.fixture
def owned(tmp_path, clock):
    data = tmp_path / "data"
    mnemo = Mnemo(data, clock, HashEmbedder(), ScriptedModel())
    changes = []
    server = OwnerServer(data, mnemo, on_change=lambda: changes.append(1)).start()
    yield data, mnemo, changes
    server.stop()
    mnemo.close()


def run(data, *argv):
    out, err = io.StringIO(), io.StringIO()
    status = forward(["--data-dir", str(data), *argv], data, out, err)
    return status, out.getvalue(), err.getvalue()


def test_a_command_runs_in_the_app_that_owns_the_memory(owned):
    data, mnemo, changes = owned
    assert stat.S_IMODE(socket_path(data).stat().st_mode) == 0o600
    status, out, _ = run(data, "add", "My sister Anna lives in Lisbon", "--json")
    added = json.loads(out)
    assert status == 0 and mnemo.store.get(added["id"]).text == "My sister Anna lives in Lisbon"
    assert changes  # the app is told, so its views refresh
    status, out, _ = run(data, "search", "sister", "--json")
    assert status == 0 and json.loads(out)[0]["id"] == added["id"]
    status, out, _ = run(data, "list", "--json")
    assert {m["id"] for m in json.loads(out)} == {m.id for m in mnemo.memories()}


def test_what_needs_the_memory_closed_is_refused_with_a_sentence(owned):
    data, mnemo, _ = owned
    before = len(mnemo.store)
    status, _, err = run(data, "--now", "2026-01-01T09:00", "add", "Replayed note")
    assert status == 1 and "--now needs it closed" in err and len(mnemo.store) == before
    status, _, err = run(data, "backup", "restore", "anything", "--yes")
    assert status == 1 and "File ▸ Backups" in err
    status, _, err = run(data, "purge", "nonexistent-id")
    assert status == 1 and err.startswith("mnemo: ")  # errors are sentences, as without the app
    status, _, err = run(data, "add")  # argparse's own message comes back too
    assert status == 2 and "text" in err


def test_without_an_app_the_command_opens_the_store_itself(tmp_path, capsys, monkeypatch, minilm):
    monkeypatch.setattr("app.wiring.MiniLMEmbedder", lambda: minilm)
    data = tmp_path / "alone"
    assert forward(["list"], data) is None  # nobody serves this memory
    assert cli.main(["--data-dir", str(data), "add", "Garage code 4417"]) == 0
    assert not socket_path(data).exists()


def test_a_socket_left_by_an_app_that_is_gone_is_not_in_the_way(tmp_path, clock):
    import socket

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(socket_path(data)))
    stale.close()  # the file stays, nobody listens
    assert forward(["list"], data) is None
    mnemo = Mnemo(data, clock, HashEmbedder(), ScriptedModel())
    server = OwnerServer(data, mnemo).start()  # the next app takes the place
    try:
        assert run(data, "stats", "--json")[0] == 0
    finally:
        server.stop()
        mnemo.close()
