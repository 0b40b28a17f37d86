"""The desktop app running (offscreen, the real models and store) and `mnemo` commands beside it,
as real processes: every command works while the app has the memory open and answers as it
would alone; an import shows its progress; once the app quits, the commands open the memory
themselves and find everything the app kept."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[2]


def env_for(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MNEMO_")}
    env.update(QT_QPA_PLATFORM="offscreen", MNEMO_REPORT_STARTUP="1", PYTHONPATH=str(ROOT),
               HOME=str(tmp_path / "home"))
    return env


def mnemo(env, data, *argv, timeout=300):
    return subprocess.run([sys.executable, "-m", "app.cli", "--data-dir", str(data), *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def app_running(tmp_path):
    env, data = env_for(tmp_path), tmp_path / "data"
    assert mnemo(env, data, "add", "My sister Anna lives in Lisbon.").returncode == 0  # before the app
    app = subprocess.Popen([sys.executable, "-m", "app.gui", "--data-dir", str(data)], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen, deadline = "", time.monotonic() + 180
    while time.monotonic() < deadline and "ready after" not in seen:
        line = app.stderr.readline()
        if not line:
            break
        seen += line
    assert "ready after" in seen, seen
    yield env, data, app
    if app.poll() is None:
        os.killpg(app.pid, signal.SIGTERM)
        app.wait(timeout=60)


def test_commands_work_while_the_app_owns_the_memory_and_after_it_quits(app_running, tmp_path):
    env, data, app = app_running
    assert (data / "owner.sock").exists()
    added = mnemo(env, data, "add", "The plumber's name is Kowalski.", "--json")
    assert added.returncode == 0, added.stderr
    plumber = json.loads(added.stdout)["id"]
    found = json.loads(mnemo(env, data, "search", "What is the plumber called?", "--json").stdout)
    assert found[0]["id"] == plumber
    asked = json.loads(mnemo(env, data, "ask", "Where does my sister live?", "--json").stdout)
    assert "Lisbon" in asked["answer"] and asked["support"] == "memories"

    chats = tmp_path / "chats.jsonl"
    chats.write_text("\n".join(json.dumps({"conversation": "c1", "role": role, "content": text}) for role, text in
                               [("user", "We fly to Kyoto in May."), ("assistant", "Have a great trip!")]) + "\n")
    imported = mnemo(env, data, "import", str(chats), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["imported"] == 2 and "Reading" in imported.stderr  # its progress, here too

    refused = mnemo(env, data, "--now", "2026-01-01T09:00", "list")
    assert refused.returncode == 1 and "--now needs it closed" in refused.stderr

    listed = {m["id"] for m in json.loads(mnemo(env, data, "list", "--json").stdout)}
    os.killpg(app.pid, signal.SIGTERM)  # the app quits; the commands open the memory themselves again
    app.wait(timeout=60)
    assert not (data / "owner.sock").exists()
    alone = mnemo(env, data, "list", "--json")
    assert alone.returncode == 0 and {m["id"] for m in json.loads(alone.stdout)} == listed
