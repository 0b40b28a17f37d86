"""Hostile files through the real `mnemo import`: a zip bomb generated here (1 GB of JSON in a
few MB), a member that lies about its size, and JSON nested 100,000 deep are each refused
with a sentence, within 300 MB of the memory `mnemo stats` needs on the same store."""
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[2]
BUDGET_MB = 300
PEAK = ("import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr)\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


def peak(data: Path, *args: str) -> tuple[int, float, str]:
    """(exit status, peak resident memory in MB, stderr) of one real `mnemo` process."""
    result = subprocess.run([sys.executable, "-c", PEAK, sys.executable, "-m", "app.cli", "--data-dir", str(data),
                             *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    kb, code = result.stdout.rsplit("PEAK", 1)[1].split()
    return int(code), int(kb) / 1024, result.stderr


CONVERSATION = json.dumps({"id": "c", "current_node": "a", "mapping": {"a": {
    "parent": None, "children": [], "message": {"author": {"role": "user"}, "create_time": 1.7e9,
                                               "content": {"content_type": "text", "parts": ["hello " * 200]}}}}})


def _bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        with bundle.open("conversations.json", "w", force_zip64=size > (1 << 31)) as member:
            member.write(b"[")
            chunk, written = (CONVERSATION + ",").encode() * 1000, 0
            while written < size:
                member.write(chunk)
                written += len(chunk)
            member.write(CONVERSATION.encode() + b"]")
    return path


def _lie_about_size(path: Path, claimed: int) -> None:
    """Rewrite the member's uncompressed size in both of its headers."""
    raw = bytearray(path.read_bytes())
    local = raw.find(b"PK\x03\x04")
    raw[local + 22:local + 26] = struct.pack("<I", claimed)
    central = raw.find(b"PK\x01\x02")
    raw[central + 24:central + 28] = struct.pack("<I", claimed)
    path.write_bytes(bytes(raw))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile") / "data"
    code, mb, err = peak(data, "stats")
    assert code == 0, err
    return data, mb


def test_a_zip_bomb_is_refused_within_the_memory_budget(baseline, tmp_path):
    data, base = baseline
    bomb = _bomb(tmp_path / "export.zip", 1_000_000_000)  # 1 GB: just under the size Mnemo reads
    assert bomb.stat().st_size < 10 << 20
    code, mb, err = peak(data, "import", str(bomb))
    assert code == 1 and "zip bomb" in err and "Traceback" not in err, err
    assert mb <= base + BUDGET_MB, f"{mb:.0f} MB against {base:.0f} MB for stats"


def test_a_member_lying_about_its_size_is_refused_within_the_budget(baseline, tmp_path):
    data, base = baseline
    liar = _bomb(tmp_path / "liar.zip", 200 << 20)
    _lie_about_size(liar, 10_000)
    code, mb, err = peak(data, "import", str(liar))
    assert code == 1 and ("declares" in err or "damaged" in err) and "Traceback" not in err, err
    assert mb <= base + BUDGET_MB, f"{mb:.0f} MB against {base:.0f} MB for stats"


def test_json_nested_100000_deep_is_refused_within_the_budget(baseline, tmp_path):
    data, base = baseline
    deep = tmp_path / "conversations.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    code, mb, err = peak(data, "import", str(deep))
    assert code == 1 and "nests more than" in err and "Traceback" not in err, err
    assert mb <= base + BUDGET_MB
    listed = subprocess.run([sys.executable, "-m", "app.cli", "--data-dir", str(data), "list", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert json.loads(listed.stdout) == []  # nothing was imported
