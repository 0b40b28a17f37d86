"""Nothing leaves the machine: `add`, `import`, `ask`, `search` and the desktop app's start run
under strace, which sees every connection and DNS query a process or any library in it makes
(Python or native), inside a network namespace of their own when the system allows one. Any
attempt to reach the network fails the test; so does a telemetry cache left in the home folder.
The environment is the user's own: no CI markers, no ORT_DISABLE_TELEMETRY set by the test."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.real,
              pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace (.ci/run installs it)")]
ROOT = Path(__file__).resolve().parents[2]
# what ONNX Runtime and others read to stay quiet on build machines: a user's desktop has none of them
QUIET = {"CI", "GITHUB_ACTIONS", "TF_BUILD", "JENKINS_URL", "GITLAB_CI", "TRAVIS", "CIRCLECI", "BUILDKITE",
         "TEAMCITY_VERSION", "APPVEYOR", "CODEBUILD_BUILD_ID", "BITBUCKET_BUILD_NUMBER", "ORT_RUNNING_UNIT_TESTS",
         "ORT_DISABLE_TELEMETRY", "DO_NOT_TRACK", "HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"}
NETWORK = re.compile(r"sa_family=AF_INET6?\b|htons\(53\)")


def _namespace() -> list[str]:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True) if shutil.which("unshare") else None
    return ["unshare", "-n"] if probe is not None and probe.returncode == 0 else []


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    from platformdirs import user_cache_dir

    env = {k: v for k, v in os.environ.items() if k not in QUIET and not k.startswith("MNEMO_")}
    env.update(HOME=str(home), MNEMO_MODEL_CACHE=user_cache_dir("Mnemo", appauthor=False), PYTHONPATH=str(ROOT),
               QT_QPA_PLATFORM="offscreen", MNEMO_REPORT_STARTUP="1")
    prefix = _namespace()

    def run(name: str, argv: list[str], until: str | None = None, status: int = 0) -> tuple[list[str], str]:
        log = home / f"{name}.strace"
        command = [*prefix, "strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", str(log),
                   *argv]
        if until is None:
            result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
            output = result.stdout + result.stderr
            assert result.returncode == status, output
        else:  # a long-running program: wait for its line, then ask it to quit
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True, start_new_session=True)
            output, deadline = "", time.monotonic() + 300
            while time.monotonic() < deadline:
                line = process.stderr.readline()
                output += line
                if until in line or not line:
                    break
            time.sleep(2)  # give anything that would phone home a moment to try
            os.killpg(process.pid, signal.SIGTERM)  # the app itself quits on SIGTERM; strace follows
            process.wait(timeout=60)
            assert until in output, output
        return [line for line in log.read_text().splitlines() if NETWORK.search(line)], output

    return run, home


def test_the_tracer_sees_a_dns_query(traced):
    run, _ = traced
    attempts, _ = run("control", [sys.executable, "-c",
                                  "import socket\ntry: socket.getaddrinfo('example.com', 80)\nexcept OSError: pass"])
    assert attempts, "the guard would not notice a lookup"


def test_capture_import_ask_and_search_make_no_connection(traced, tmp_path):
    run, home = traced
    data = tmp_path / "data"
    cli = [sys.executable, "-m", "app.cli", "--data-dir", str(data)]
    chats = tmp_path / "chats.jsonl"
    chats.write_text("\n".join(json.dumps({"conversation": "c1", "role": r, "content": t,
                                           "timestamp": "2026-03-01T10:00:00"})
                               for r, t in [("user", "My bike is a blue Brompton."), ("assistant", "Noted!")]))
    for name, argv in (("add", ["add", "My sister Anna lives in Lisbon"]),
                       ("import", ["import", str(chats)]),
                       ("ask", ["ask", "Where does my sister live?"]),
                       ("search", ["search", "bike", "--json"])):
        attempts, output = run(name, cli + argv)
        assert attempts == [], f"mnemo {name} tried to reach the network:\n" + "\n".join(attempts[:5])
    assert "Lisbon" in output or "Brompton" in output
    assert not (home / ".cache" / "Microsoft").exists(), "a telemetry cache was written"


def test_the_desktop_app_starts_without_a_connection(traced, tmp_path):
    run, home = traced
    attempts, _ = run("gui", [sys.executable, "-m", "app.gui", "--data-dir", str(tmp_path / "gui")],
                      until="ready after")
    assert attempts == [], "mnemo-gui tried to reach the network:\n" + "\n".join(attempts[:5])
    assert not (home / ".cache" / "Microsoft").exists()


def test_the_model_library_connects_to_nothing_and_offline_downloads_nothing(traced, tmp_path):
    run, _ = traced
    cli = [sys.executable, "-m", "app.cli", "--data-dir", str(tmp_path / "data"), "models"]
    for name, argv, status in (("models-list", ["list", "--json"], 0), ("models-recommend", ["recommend"], 0),
                               ("models-settings", ["settings"], 0), ("models-offline", ["offline", "on"], 0),
                               ("models-download", ["download", "llama3.2-1b"], 1)):
        attempts, output = run(name, cli + argv, status=status)
        assert attempts == [], f"mnemo models {argv[0]} tried to reach the network:\n" + "\n".join(attempts[:5])
    assert "set to work offline" in output
