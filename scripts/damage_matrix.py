"""The damage matrix: a store written by the real `mnemo` command (LanceDB, MiniLM), damaged
in each of the ways below, then used again through the command line as a person would.

    python scripts/damage_matrix.py            # prints the table (docs/results.md has it)

For every case it records the exit status of `mnemo list` and of `mnemo add`, whether the
refused add left every file of the store as it was, whether the message names what is wrong
and the good backup, and whether it leaked library internals (Rust paths, "LanceError",
tracebacks). tests/app/test_store_damage.py asserts the same on every case."""
from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
NOTES = ["The plumber's name is Kowalski.", "My sister Anna lives in Lisbon.", "The garage code is 4417."]
INTERNALS = (".rs:", "LanceError", "lance error", "Traceback", "RuntimeError", "/root/.cargo", "pyarrow")


def mnemo(data_dir: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          capture_output=True, text=True, env=env or child_env(), timeout=300)


def child_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MNEMO_")}
    env.update(HF_HUB_OFFLINE="1", ORT_DISABLE_TELEMETRY="1")
    return env


def build_base(folder: Path) -> Path:
    """A store with three notes and one good backup, written by real processes."""
    data = folder / "base"
    for note in NOTES:
        result = mnemo(data, "add", note)
        assert result.returncode == 0, result.stderr
    result = mnemo(data, "decay")  # the sweep leaves its mark in the meta table (a write of its own)
    assert result.returncode == 0, result.stderr
    result = mnemo(data, "backup", "now")
    assert result.returncode == 0, result.stderr
    return data


# ------------------------------------------------------------------ the damage
def _newest_manifest(table: str) -> Callable[[Path], None]:
    def damage(store: Path) -> None:
        manifests = sorted((store / f"{table}.lance" / "_versions").glob("*.manifest"))
        manifests[0].unlink()  # names count down: the first is the newest
    return damage


def _remove(relative: str) -> Callable[[Path], None]:
    def damage(store: Path) -> None:
        target = store / relative
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return damage


def _data_files(store: Path, table: str) -> list[Path]:
    return [Path(p) for p in sorted(glob.glob(str(store / f"{table}.lance" / "data" / "*.lance")))]


def _change_text(store: Path) -> None:
    for path in _data_files(store, "memories"):
        raw = bytearray(path.read_bytes())
        at = raw.find(b"Kowalski")
        if at >= 0:
            raw[at:at + 7] = b"Smith!!"  # 7 bytes of one note's text
            path.write_bytes(bytes(raw))
            return
    raise AssertionError("the note's text was not found in the data files")


def _flip_vector(store: Path) -> None:
    import lancedb

    table = lancedb.connect(str(store)).open_table("memories").to_arrow()
    vector = np.asarray(table.column("vector")[0].as_py(), dtype="<f4").tobytes()
    for path in _data_files(store, "memories"):
        raw = bytearray(path.read_bytes())
        at = raw.find(vector[:64])
        if at >= 0:
            for i in range(64):  # 64 bytes: sixteen floats get a huge exponent
                raw[at + 128 + i] = 0x44 if i % 4 == 3 else raw[at + 128 + i]
            path.write_bytes(bytes(raw))
            return
    raise AssertionError("the vector was not found in the data files")


def _scramble(table: str) -> Callable[[Path], None]:
    def damage(store: Path) -> None:
        path = _data_files(store, table)[0]
        raw = bytearray(path.read_bytes())
        for i in range(64):
            raw[100 + i] ^= 0x5A
        path.write_bytes(bytes(raw))
    return damage


def _truncate(table: str) -> Callable[[Path], None]:
    def damage(store: Path) -> None:
        path = _data_files(store, table)[0]
        path.write_bytes(path.read_bytes()[:100])
    return damage


def _delete_data_file(store: Path) -> None:
    _data_files(store, "memories")[0].unlink()


def _garble_ledger(store: Path) -> None:
    (store / "integrity.json").write_text("{not json")


def _remove_store(store: Path) -> None:
    shutil.rmtree(store)  # the data folder keeps its backups, settings and lock file


def _unsign_changed_text(store: Path) -> None:
    """Someone changes a note's words and empties its checksum, then makes the ledger agree."""
    import json

    import lancedb

    table = lancedb.connect(str(store)).open_table("memories")
    table.update(where="text LIKE '%Kowalski%'", values={"text": "The plumber's name is Smith!!.", "checksum": None})
    ledger = json.loads((store / "integrity.json").read_text())
    ledger["tables"]["memories"]["version"] = table.version
    (store / "integrity.json").write_text(json.dumps(ledger))


@dataclass(frozen=True)
class Case:
    name: str
    damage: Callable[[Path], None]
    readable: bool  # True: opened read-only (what is sound is shown); False: refused
    names: str  # a phrase the message must contain


CASES = [
    Case("newest memories manifest deleted", _newest_manifest("memories"), True, "older version"),
    Case("newest history manifest deleted", _newest_manifest("history"), True, "history table went back"),
    Case("memories.lance deleted", _remove("memories.lance"), False, "memories table is missing"),
    Case("history.lance deleted", _remove("history.lance"), False, "history table is missing"),
    Case("meta.lance deleted", _remove("meta.lance"), False, "meta table"),
    Case("newest meta manifest deleted", _newest_manifest("meta"), True, "meta table went back"),
    Case("integrity.json deleted", _remove("integrity.json"), True, "integrity record"),
    Case("integrity.json garbled", _garble_ledger, True, "integrity record"),
    Case("7 bytes of a note's text changed", _change_text, True, "changed on disk"),
    Case("64 bytes of a vector changed", _flip_vector, True, "changed on disk"),
    Case("a note's text changed and its checksum emptied", _unsign_changed_text, True, "no checksum"),
    Case("64 bytes of a memories data file scrambled", _scramble("memories"), False, "memories table"),
    Case("a memories data file truncated", _truncate("memories"), False, "memories table"),
    Case("a memories data file deleted", _delete_data_file, False, "memories.lance/data"),
    Case("store/ deleted (backups kept)", _remove_store, False, "store folder is missing"),
]


def tree(folder: Path) -> str:
    """A fingerprint of every file under `folder` (names, sizes, contents)."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def run_case(base: Path, case: Case, folder: Path) -> dict:
    data = folder / case.name.replace(" ", "-").replace("'", "")
    shutil.copytree(base, data)
    case.damage(data / "store")
    listed = mnemo(data, "list", "--json")
    before = tree(data / "store")
    added = mnemo(data, "add", "A note written on top of the damage")
    after = tree(data / "store")
    searched = mnemo(data, "search", "plumber", "--json")
    message = listed.stderr + added.stderr
    backup = next(p.name for p in (data / "backups").iterdir())
    return {
        "case": case.name,
        "list_rc": listed.returncode,
        "add_rc": added.returncode,
        "unchanged": before == after,
        "names_it": case.names in message,
        "offers_backup": f"mnemo backup restore {backup}" in message,
        "internals": any(word in message for word in INTERNALS),
        "listed": listed.stdout,
        "searched": searched.stdout,
        "message": added.stderr.strip(),
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        base = build_base(Path(tmp))
        print("| damage | `list` exit | `add` exit | store unchanged by the refused add | names it | offers the "
              "good backup | library internals in the message |")
        print("|---|---|---|---|---|---|---|")
        for case in CASES:
            r = run_case(base, case, Path(tmp))
            yes = {True: "yes", False: "**no**"}
            print(f"| {r['case']} | {r['list_rc']} | {r['add_rc']} | {yes[r['unchanged']]} | {yes[r['names_it']]} | "
                  f"{yes[r['offers_backup']]} | {'**yes**' if r['internals'] else 'none'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
