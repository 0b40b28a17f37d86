"""`mnemo models` through real processes: a download from a local server laid out like the
Hugging Face Hub ($HF_ENDPOINT) serving a real GGUF, verified, used to answer; removed; the
only connections it makes go to the source it was given; settings from the GGUF's metadata."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hub_server import Hub, _sha256

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def setup(tmp_path):
    from app.paths import default_model_path

    gguf = default_model_path()
    catalog = json.loads((ROOT / "resources" / "models.json").read_text())
    catalog["models"].append(dict(catalog["models"][1], name="copy", title="SmolLM2 copy", repo="someone/copy-GGUF",
                                  file="copy-q4.gguf", size_bytes=gguf.stat().st_size, sha256=_sha256(gguf),
                                  ram_bytes=2 * gguf.stat().st_size, parameters_b=0.135))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    with Hub() as hub:
        hub.add("someone/copy-GGUF", "copy-q4.gguf", gguf)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MNEMO_")}
        env.update(MNEMO_MODEL_CATALOG=str(tmp_path / "catalog.json"), HF_ENDPOINT=hub.endpoint,
                   PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"))
        yield hub, env, tmp_path / "data"


def mnemo(env, data, *argv, prefix=()):
    return subprocess.run([*prefix, sys.executable, "-m", "app.cli", "--data-dir", str(data), *argv], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)


def test_download_use_ask_and_remove_through_the_cli(setup):
    hub, env, data = setup
    done = mnemo(env, data, "models", "download", "copy")
    assert done.returncode == 0, done.stderr
    assert "is ready" in done.stdout and "MB of" in done.stderr  # progress with sizes
    installed = data / "models" / "copy-q4.gguf"
    assert _sha256(installed) == _sha256(Path(hub.files[("someone/copy-GGUF", "copy-q4.gguf")]))
    listed = json.loads(mnemo(env, data, "models", "list", "--json").stdout)
    copy = next(r for r in listed["catalog"] if r["name"] == "copy")
    assert copy["installed"] and not copy["in_use"]
    assert mnemo(env, data, "models", "use", "copy").returncode == 0
    assert mnemo(env, data, "add", "The garage code is 4417.").returncode == 0
    asked = json.loads(mnemo(env, data, "ask", "What is the garage code?", "--json").stdout)
    assert "4417" in asked["answer"] and asked["support"] == "memories"
    listed = json.loads(mnemo(env, data, "models", "list", "--json").stdout)
    assert next(r for r in listed["catalog"] if r["name"] == "copy")["in_use"]
    removed = mnemo(env, data, "models", "remove", "copy")
    assert removed.returncode == 0 and "bundled model answers again" in removed.stdout
    assert not installed.exists()
    refused = mnemo(env, data, "models", "remove", "smollm2-135m")
    assert refused.returncode == 1 and "comes with Mnemo" in refused.stderr


def test_a_corrupted_download_is_refused_by_its_checksum(setup):
    hub, env, data = setup
    hub.corrupt = True
    done = mnemo(env, data, "models", "download", "copy")
    assert done.returncode == 1 and "sha256 differs" in done.stderr and "Traceback" not in done.stderr
    assert list((data / "models").glob("*.gguf")) == []


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace (.ci/run installs it)")
def test_a_download_connects_only_to_the_source_it_was_given(setup, tmp_path):
    hub, env, data = setup
    log = tmp_path / "download.strace"
    done = mnemo(env, data, "models", "download", "copy",
                 prefix=("strace", "-f", "-qq", "-e", "trace=connect", "-o", str(log)))
    assert done.returncode == 0, done.stderr
    port = hub.endpoint.rsplit(":", 1)[1]
    reached = [line for line in log.read_text().splitlines() if re.search(r"sa_family=AF_INET6?\b", line)]
    assert reached, "the tracer saw no connection at all"
    assert all(f"sin_port=htons({port})" in line and "127.0.0.1" in line for line in reached), reached[:5]


def test_settings_default_from_the_gguf_and_bad_values_are_refused(setup):
    _, env, data = setup
    shown = json.loads(mnemo(env, data, "models", "settings", "--json").stdout)
    assert shown["settings"]["context"] == 4096 and shown["changed"] == []  # SmolLM2 was trained on 8,192
    changed = json.loads(mnemo(env, data, "models", "settings", "--context", "2048", "--json").stdout)
    assert changed["settings"]["context"] == 2048 and changed["changed"] == ["context"]
    bad = mnemo(env, data, "models", "settings", "--context", "100")
    assert bad.returncode == 1 and "at least 512" in bad.stderr
    assert json.loads(mnemo(env, data, "models", "settings", "--json").stdout)["settings"]["context"] == 2048
