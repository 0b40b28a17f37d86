"""The small promises of a store you can trust: a data folder is Mnemo's own, exports are the
user's alone, text from elsewhere cannot drive the terminal, an empty record is refused, and a
busy store can be waited for."""
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import cli

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *args):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_shared_folder_is_refused_and_its_permissions_are_left_alone(tmp_path, capsys):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    (shared / "someone-elses.txt").write_text("hello")
    code, _, err = run(capsys, "--data-dir", str(shared), "list")
    assert code == 1 and "already holds other files" in err and str(shared / "mnemo") in err
    assert stat.S_IMODE(shared.stat().st_mode) == 0o777 and not (shared / "store").exists()
    fresh = tmp_path / "new" / "memory"
    assert run(capsys, "--data-dir", str(fresh), "list")[0] == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    assert run(capsys, "--data-dir", str(empty), "list")[0] == 0
    assert stat.S_IMODE(empty.stat().st_mode) == 0o700  # an empty folder of the user's becomes Mnemo's
    assert run(capsys, "--data-dir", str(fresh), "stats")[0] == 0  # a Mnemo folder is used as it is
    project = tmp_path / "project"  # a folder that happens to have a "models" or "backups" entry is not Mnemo's
    for name in ("models", "backups", "src"):
        (project / name).mkdir(parents=True)
    project.chmod(0o755)
    code, _, err = run(capsys, "--data-dir", str(project), "list")
    assert code == 1 and "already holds other files" in err and not (project / "store").exists()
    assert stat.S_IMODE(project.stat().st_mode) == 0o755


def test_markdown_exports_are_readable_by_the_user_only(tmp_path, capsys):
    d = str(tmp_path / "data")
    assert run(capsys, "--data-dir", d, "add", "The bike lock code is 2290")[0] == 0
    out = tmp_path / "md"
    assert run(capsys, "--data-dir", d, "export", "--markdown", str(out))[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o600}


def test_escape_sequences_in_memories_are_shown_not_obeyed(tmp_path, capsys):
    d = str(tmp_path / "data")
    hostile = "Notes \x1b]52;c;ZXZpbA==\x07 and \x1b[2J and \u202eevil"
    assert run(capsys, "--data-dir", d, "add", hostile)[0] == 0
    for args in (["list"], ["search", "notes"], ["list", "--json"]):
        code, out, _ = run(capsys, "--data-dir", d, *args)
        assert code == 0 and "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\u202e" in run(capsys, "--data-dir", d, "list", "--json")[1]


def test_a_record_of_only_control_characters_is_refused_as_empty(tmp_path, capsys):
    d = str(tmp_path / "data")
    code, _, err = run(capsys, "--data-dir", d, "add", "\x00\x00\x00")
    assert code == 1 and "nothing to remember" in err
    chats = tmp_path / "chats.jsonl"
    chats.write_text(json.dumps({"role": "user", "content": "\u0000\u0000"}) + "\n"
                     + json.dumps({"role": "user", "content": "A real line"}) + "\n")
    code, out, _ = run(capsys, "--data-dir", d, "import", str(chats), "--json")
    report = json.loads(out)
    assert code == 0 and report["imported"] == 1 and report["rejected_reasons"] == {"the message is empty": 1}


def test_a_busy_store_can_be_waited_for(tmp_path):
    d = tmp_path / "data"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from filelock import FileLock; from pathlib import Path; "
                               f"p = Path({str(d)!r}); p.mkdir(mode=0o700); "
                               "l = FileLock(str(p / 'store.lock')); l.acquire(); print('held', flush=True); "
                               "time.sleep(4)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    command = [sys.executable, "-m", "app.cli", "--data-dir", str(d)]
    busy = subprocess.run(command + ["list"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert busy.returncode == 1 and "in use" in busy.stderr
    started = time.monotonic()
    waited = subprocess.run(command + ["--wait", "30", "list"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ})
    assert waited.returncode == 0, waited.stderr
    assert time.monotonic() - started >= 1  # it waited for the other process to let go
    holder.wait(timeout=30)


def _piled(store: Path) -> dict[str, tuple[int, int]]:
    """Each table's versions and data files on disk."""
    return {t: (len(list((store / f"{t}.lance" / "_versions").glob("*.manifest"))),
                len(list((store / f"{t}.lance" / "data").glob("*.lance")))) for t in ("memories", "history", "meta")}


def test_an_import_leaves_the_tables_compacted(tmp_path, capsys):
    d = tmp_path / "data"
    chats = tmp_path / "chats.jsonl"
    chats.write_text("".join(json.dumps({"conversation": f"c{i // 10}", "role": "user",
                                         "content": f"imported line {i}"}) + "\n" for i in range(120)))
    code, out, err = run(capsys, "--data-dir", str(d), "import", str(chats), "--json")
    assert code == 0 and json.loads(out)["imported"] == 120, err
    assert all(versions <= 2 and files <= 2 for versions, files in _piled(d / "store").values()), _piled(d / "store")
    code, out, _ = run(capsys, "--data-dir", str(d), "check", "--json")
    assert code == 0 and json.loads(out)["sound"] is True


def test_single_adds_from_the_command_line_do_not_pile_up_versions(tmp_path, capsys):
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    (d / "settings.json").write_text(json.dumps({"schedule": {"compact_every_writes": 4}}))
    for i in range(12):  # a person noting things from the terminal, one command each
        assert run(capsys, "--data-dir", str(d), "add", f"Note {i}: the spare key is under pot {i}")[0] == 0
        piled = _piled(d / "store")
        assert all(versions <= 6 and files <= 6 for versions, files in piled.values()), (i, piled)
    code, out, _ = run(capsys, "--data-dir", str(d), "check", "--json")
    report = json.loads(out)
    assert code == 0 and report["sound"] is True and report["memories"] >= 12


def test_a_folder_holding_only_the_windows_settings_is_mnemos_and_made_private(tmp_path, capsys):
    """The app writes window.ini (its window's size, the welcome seen) as it starts, before the
    memory opens: that folder is Mnemo's, not someone else's."""
    folder = tmp_path / "memory"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    (folder / "window.ini").write_text("[onboarding]\ndone=1\n")
    assert run(capsys, "--data-dir", str(folder), "list")[0] == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and (folder / "store").is_dir()
