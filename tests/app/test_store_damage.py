"""A damaged store is never served or written over silently: each case of the damage matrix
(scripts/damage_matrix.py) is made on a store the real `mnemo` wrote, then used again through
real processes."""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import damage_matrix  # noqa: E402

from app.cli import DAMAGED  # noqa: E402

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return damage_matrix.build_base(tmp_path_factory.mktemp("damage"))


@pytest.mark.parametrize("case", damage_matrix.CASES, ids=lambda c: c.name)
def test_damage_is_named_the_backup_offered_and_nothing_written_on_top(base, case, tmp_path):
    r = damage_matrix.run_case(base, case, tmp_path)
    assert r["add_rc"] == 1 and r["message"].startswith("mnemo: ")
    assert r["unchanged"], "a write went on top of the damaged store"
    assert r["names_it"] and r["offers_backup"], r["message"]
    assert not r["internals"], r["message"]
    if case.readable:
        assert r["list_rc"] == DAMAGED
        listed = json.loads(r["listed"])
        assert "Smith!!" not in r["listed"]  # a changed record is left out, not shown garbled
        assert len(listed) >= 2
        hits = json.loads(r["searched"]) if r["searched"].strip() else []
        assert all(h["score"] < 1.0 for h in hits)
    else:
        assert r["list_rc"] == 1 and r["listed"] == ""


def test_a_sound_store_checks_clean_and_a_repaired_one_takes_writes_again(base, tmp_path):
    data = tmp_path / "repair"
    import shutil

    shutil.copytree(base, data)
    before = {m["id"]: m["text"] for m in json.loads(damage_matrix.mnemo(data, "list", "--json").stdout)}
    assert len(before) == 6  # three notes and the fact each states
    checked = damage_matrix.mnemo(data, "check", "--json")
    assert checked.returncode == 0 and json.loads(checked.stdout)["sound"] is True
    damage_matrix._change_text(data / "store")
    checked = damage_matrix.mnemo(data, "check", "--json")
    assert checked.returncode == 1 and "changed on disk" in json.loads(checked.stdout)["problems"][0]
    repaired = damage_matrix.mnemo(data, "check", "--repair", "--json")
    report = json.loads(repaired.stdout)
    assert repaired.returncode == 0 and report["kept"] == 5 and len(report["dropped"]) == 1
    assert "Kowalski" in before[report["dropped"][0]]  # the record whose words were changed
    assert Path(report["backup"]).name.endswith("-damaged") and (Path(report["backup"]) / "store").is_dir()
    assert damage_matrix.mnemo(data, "add", "Written after the repair").returncode == 0
    listed = json.loads(damage_matrix.mnemo(data, "list", "--json").stdout)
    kept = {i: t for i, t in before.items() if i not in report["dropped"]}
    assert {m["id"]: m["text"] for m in listed if m["text"] != "Written after the repair"} == kept
    history = damage_matrix.mnemo(data, "check")
    assert history.returncode == 0 and "sound" in history.stdout


def test_a_missing_store_folder_is_restored_from_the_backup_the_message_names(base, tmp_path):
    import re
    import shutil

    data = tmp_path / "gone"
    shutil.copytree(base, data)
    shutil.rmtree(data / "store")
    refused = damage_matrix.mnemo(data, "list")
    assert refused.returncode == 1 and "store folder is missing" in refused.stderr
    assert not (data / "store").exists()
    name = re.search(r"mnemo backup restore (\S+)`", refused.stderr).group(1)
    restored = damage_matrix.mnemo(data, "backup", "restore", name, "--yes")
    assert restored.returncode == 0 and f"Restored {name}." in restored.stdout, restored.stderr
    listed = json.loads(damage_matrix.mnemo(data, "list", "--json").stdout)
    assert any("Kowalski" in m["text"] for m in listed) and len(listed) == 6
