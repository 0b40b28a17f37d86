"""The real system keyring: GNOME Keyring's Secret Service in a private D-Bus session (no fake
backend), as a desktop has it. `mnemo encryption on --keyring` keeps the key there, and every
command after it unlocks the memory silently. Skipped, saying why, where GNOME Keyring or
dbus-run-session is not installed (.ci/run installs both)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
set -e
export HOME="$1/home" XDG_DATA_HOME="$1/home/.local/share" XDG_RUNTIME_DIR="$1/run" MNEMO_DATA_DIR="$1/data"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'a test keyring password' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
unset MNEMO_PASSPHRASE PYTHON_KEYRING_BACKEND
"$2" -m app.cli add "Zanzibarra lives in Lisbon" >/dev/null
"$2" -m app.cli encryption on --keyring --json
"$2" -m app.cli search Lisbon --json
"""

needs = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(tool) is None]


@pytest.mark.skipif(bool(needs), reason=f"not installed here: {', '.join(needs)}")
def test_the_desktop_keyring_keeps_the_key_and_unlocks_silently(tmp_path):
    import json

    script = tmp_path / "run.sh"
    script.write_text(SCRIPT)
    done = subprocess.run(["dbus-run-session", "--", "bash", str(script), str(tmp_path), sys.executable],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    status, _, hits = done.stdout.partition("}\n")
    assert json.loads(status + "}")["method"] == "keyring"
    assert "Zanzibarra lives in Lisbon" in [hit["text"] for hit in json.loads(hits)]
    assert not [f for f in (tmp_path / "data").rglob("*") if f.is_file() and b"Zanzibarra" in f.read_bytes()]
