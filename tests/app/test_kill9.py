"""kill -9 at any moment: every acknowledged capture is there afterwards, an import is all
or nothing, and the store opens cleanly (real LanceDB, real processes)."""
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.memory.store import PENDING_IMPORT
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel

CHILD = Path(__file__).with_name("kill_child.py")
ROOT = Path(__file__).resolve().parents[2]


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(CHILD), *map(str, args)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def read_until(proc, predicate, limit=120.0) -> list[str]:
    lines, deadline = [], time.monotonic() + limit
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if predicate(line.strip(), lines):
            return lines
    raise AssertionError(f"the child stopped early: {lines[-5:]}")


def reopen(path) -> Mnemo:
    return Mnemo(path, FixedClock(datetime(2026, 6, 1, tzinfo=timezone.utc)), HashEmbedder(), ScriptedModel())


@pytest.mark.parametrize("seed", range(5))
def test_acknowledged_captures_survive_kill_9(tmp_path, seed):
    rng = random.Random(seed)
    proc = start(tmp_path / "d", "capture")
    wanted = rng.randint(5, 60)
    lines = read_until(proc, lambda line, seen: sum(x.startswith("ACK") for x in seen) >= wanted)
    time.sleep(rng.random() * 0.05)  # land anywhere inside the next write
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate()
    lines += rest.split("\n")  # acknowledgements printed before the kill landed count too
    acked = [i for line in lines if line.startswith("ACK ") for i in line.split()[1:]]
    assert len(acked) >= wanted

    mnemo = reopen(tmp_path / "d")  # opens cleanly: the lock died with the process
    records = {m.id: m for m in mnemo.store.all()}
    assert set(acked) <= set(records), "an acknowledged capture was lost"
    assert len(records) == len(mnemo.store._ids) == len(set(mnemo.store._ids))
    created = {h.memory_id for h in mnemo.store.history() if h.action == "created"}
    assert set(acked) <= created
    mnemo.add_note("written after the crash")
    mnemo.close()
    again = reopen(tmp_path / "d")
    assert "written after the crash" in {m.text for m in again.store.all()}
    again.close()


def test_an_import_killed_at_any_moment_is_all_or_nothing(tmp_path):
    source = tmp_path / "chats.jsonl"
    source.write_text("".join(json.dumps({"conversation": f"c{i // 20}", "role": "user",
                                          "content": f"imported fact {i}"}) + "\n" for i in range(1500)))
    rng = random.Random(3)
    outcomes = []
    for round_ in range(6):
        data = tmp_path / f"d{round_}"
        mnemo = reopen(data)
        kept = mnemo.add_note("saved before the import").memory.id
        mnemo.close()
        before = _bytes(data / "store")
        proc = start(data, "import", source)
        # kill during reading, during the saving batches, or right after the end
        point = ["IMPORT-START", "PROGRESS Saving", "PROGRESS Saving", "PROGRESS Saving", "IMPORT-DONE",
                 "PROGRESS Reading"][round_]
        saving_seen = rng.randint(1, 25)

        def reached(line, seen, point=point, n=saving_seen):
            if point == "PROGRESS Saving":
                return sum(x.startswith(point) for x in seen) >= n
            return line.startswith(point)
        lines = read_until(proc, reached)
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        done = any(x.startswith("IMPORT-DONE") for x in lines + rest.split("\n"))
        if point == "PROGRESS Saving" and not done:
            # the kill landed half-way: part of the rows are on disk, with the undo mark
            import lancedb
            db = lancedb.connect(str(data / "store"))
            assert db.open_table("memories").count_rows() > 1
            assert PENDING_IMPORT in {r["key"] for r in db.open_table("meta").to_arrow().to_pylist()}

        mnemo = reopen(data)
        texts = [m.text for m in mnemo.store.all() if m.kind == "turn"]
        assert len(texts) in (0, 1500), f"a part of the import survived: {len(texts)} turns"
        assert not done or len(texts) == 1500
        assert kept in {m.id for m in mnemo.store.all()}
        assert mnemo.store.meta(PENDING_IMPORT) is None
        assert len(mnemo.store.history()) == 1 + len(texts)
        if not texts:  # undone: what the killed import had written is gone from the disk too
            assert _bytes(data / "store") < before + 256_000, (before, _bytes(data / "store"))
        assert mnemo.store.check() == []
        outcomes.append((point, len(texts)))
        mnemo.close()
    assert {n for _, n in outcomes} == {0, 1500}, outcomes  # both endings were exercised


def _bytes(folder) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def mnemo_check(data) -> dict:
    """`mnemo check --json` in a process of its own, as a person would run it after a crash."""
    result = subprocess.run([sys.executable, "-m", "app.cli", "--data-dir", str(data), "check", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300,
                            env={k: v for k, v in os.environ.items() if not k.startswith("MNEMO_")})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def kill_when_paused(*args) -> list[str]:
    proc = start(*args)
    lines = read_until(proc, lambda line, seen: line in ("PAUSED", "DONE", "OPENED"))
    assert lines[-1] == "PAUSED", f"the child never reached the pause point: {lines[-3:]}"
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return [i for line in lines if line.startswith("ACK ") for i in line.split()[1:]]


@pytest.mark.parametrize("point", ["merge", "drop"])
def test_a_compaction_killed_half_way_leaves_a_store_that_opens_whole(tmp_path, point):
    """merge: the files were merged, the old versions are still there; drop: the old versions
    are gone. Either way the ledger names versions that exist."""
    data = tmp_path / "d"
    acked = kill_when_paused(data, "compact", point)
    assert len(acked) == 6
    report = mnemo_check(data)  # the first open after the crash, then the check
    assert report["sound"] is True, report
    mnemo = reopen(data)
    try:
        assert set(acked) <= {m.id for m in mnemo.store.all()} and not mnemo.store.damage
        assert mnemo.store.check() == []
        mnemo.add_note("written after the crash")
    finally:
        mnemo.close()


@pytest.mark.parametrize("point", ["merge", "drop"])
def test_a_recovery_killed_in_its_compaction_is_recovered_again(tmp_path, point):
    data = tmp_path / "d"
    acked = kill_when_paused(data, "pending")  # killed inside a write: its memory row is on disk
    import lancedb

    assert lancedb.connect(str(data / "store")).open_table("memories").count_rows() == 7
    kill_when_paused(data, "recover", point)  # the next open rolls it back, and is killed compacting
    report = mnemo_check(data)
    assert report["sound"] is True, report
    mnemo = reopen(data)
    try:
        assert {m.id for m in mnemo.store.all() if m.kind == "note"} == set(acked)
        assert "a note that is never acknowledged" not in {m.text for m in mnemo.store.all()}
        assert mnemo.store.check() == [] and not mnemo.store.damage
    finally:
        mnemo.close()
