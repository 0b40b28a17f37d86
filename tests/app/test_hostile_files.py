"""Hostile files through the real `mnemo import`: a zip bomb generated here (1 GB of JSON in a
few MB), a member that lies about its size, JSON nested 100,000 deep, 250 MB of JSON Lines or
transcript, and an archive whose records outnumber its manifest are each refused with a
sentence, within 300 MB of the memory `mnemo stats` needs on the same store."""
import io
import json
import struct
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
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


WORDS = ("my sister lives in lisbon we went to the market and bought apples coffee bread on tuesday morning "
         "train to work meeting project deadline dentist friday dinner with anna and tom about holiday plans").split()


def _text_file(path: Path, size: int, line) -> Path:
    """`size` bytes of lines line(n, words) (about 1 kB each, every one different), written in blocks."""
    with path.open("w", encoding="utf-8") as out:
        written, n = 0, 0
        while written < size:
            block = "".join(line(n + i, " ".join(WORDS[(n + i + k) % len(WORDS)] for k in range(150)))
                            for i in range(1000))
            out.write(block)
            written += len(block)
            n += 1000
    return path


LINES = {
    "chats.jsonl": lambda n, words: json.dumps({"conversation": f"c{n // 50}", "role": ("user", "assistant")[n % 2],
                                               "content": f"{words} {n}", "timestamp": "2024-05-01T09:30:00Z"}) + "\n",
    "chats.txt": lambda n, words: f"{('User', 'Assistant')[n % 2]}: {words} {n}\n",
}


@pytest.mark.parametrize("name", LINES)
def test_250_mb_of_json_lines_or_transcript_is_refused_within_the_budget(baseline, tmp_path, name):
    """Read a line at a time, the file is refused once it holds more message text than one import
    takes (64 MB), long before it is read whole: nothing is imported."""
    data, base = baseline
    big = _text_file(tmp_path / name, 250_000_000, LINES[name])
    code, mb, err = peak(data, "import", str(big))
    assert code == 1 and "64 MB of message text" in err and "Split it" in err and "Traceback" not in err, err
    assert mb <= base + BUDGET_MB, f"{mb:.0f} MB against {base:.0f} MB for stats"
    listed = subprocess.run([sys.executable, "-m", "app.cli", "--data-dir", str(data), "list", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert json.loads(listed.stdout) == []


def test_an_archive_with_more_records_than_its_manifest_is_refused_within_the_budget(baseline, tmp_path):
    """memories.jsonl of 300 MB (1 kB records) under a manifest that counts one record: the part
    is streamed and refused at the second record, never read whole."""
    import hashlib

    from core.memory.records import Memory
    from core.transfer.archive import build, memory_dict

    data, base = baseline
    one = Memory(id="0" * 32, text="My sister Anna lives in Lisbon", kind="note", source="user", created_at=1.7e9)
    with zipfile.ZipFile(io.BytesIO(build([one], [], {}, {}, datetime.now(timezone.utc)))) as small:
        parts = {n: small.read(n) for n in small.namelist()}
    manifest = json.loads(parts.pop("manifest.json"))
    path, digest, size = tmp_path / "big.mnemo", hashlib.sha256(), 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as bundle:
        with bundle.open("memories.jsonl", "w", force_zip64=True) as member:
            for block in range(300):
                rows = "".join(json.dumps({**memory_dict(one), "id": f"{block:08d}{i:024d}",
                                           "text": " ".join(WORDS[(block + i + k) % len(WORDS)] for k in range(150))})
                               + "\n" for i in range(1000)).encode()
                member.write(rows)
                digest.update(rows)
                size += len(rows)
        manifest["parts"]["memories.jsonl"] = {"sha256": digest.hexdigest(), "bytes": size}
        for name, raw in parts.items():
            if name != "memories.jsonl":
                bundle.writestr(name, raw)
        bundle.writestr("manifest.json", json.dumps(manifest))
    code, mb, err = peak(data, "import", str(path))
    assert code == 1 and "counts do not match" in err and "Traceback" not in err, err
    assert mb <= base + BUDGET_MB, f"{mb:.0f} MB against {base:.0f} MB for stats"
