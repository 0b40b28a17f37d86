"""A really full disk: the data folder on a small tmpfs (in a private mount namespace), filled
to the last byte, then `add`, `import` and `backup now` through the real `mnemo`. Each is
refused with a short sentence, nothing saved before is lost, and once space is freed the store
checks sound and takes writes again."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
set -u
mount -t tmpfs -o size=24m tmpfs "$DISK" || exit 77
M="$PY -m app.cli --data-dir $DISK/data"
$M add "Saved before the disk filled up" >/dev/null || exit 78
dd if=/dev/zero of="$DISK/filler" bs=64k 2>/dev/null
for step in add import backup; do
  case $step in
    add) $M add "Written on a full disk" >"$OUT/$step.out" 2>"$OUT/$step.err" ;;
    import) $M import "$CHATS" >"$OUT/$step.out" 2>"$OUT/$step.err" ;;
    backup) $M backup now >"$OUT/$step.out" 2>"$OUT/$step.err" ;;
  esac
  echo $? >"$OUT/$step.rc"
done
rm -f "$DISK/filler"
$M list --json >"$OUT/list.out" 2>"$OUT/list.err"; echo $? >"$OUT/list.rc"
$M check >"$OUT/check.out" 2>&1; echo $? >"$OUT/check.rc"
$M add "Written once there was room again" >"$OUT/again.out" 2>&1; echo $? >"$OUT/again.rc"
umount "$DISK"
"""


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt && umount /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount(), reason="needs a private mount namespace for a small tmpfs")
def test_a_full_disk_is_a_sentence_and_loses_nothing(tmp_path):
    from platformdirs import user_cache_dir

    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    chats = tmp_path / "chats.jsonl"
    chats.write_text("".join(json.dumps({"conversation": "c", "role": "user", "content": f"imported line {i}"}) + "\n"
                             for i in range(200)))
    env = {"DISK": str(disk), "OUT": str(out), "CHATS": str(chats), "PY": sys.executable, "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "MNEMO_MODEL_CACHE": user_cache_dir("Mnemo", appauthor=False),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["unshare", "-m", "sh", "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr

    def read(name: str) -> str:
        return (out / name).read_text()

    for step in ("add", "import", "backup"):
        err = read(f"{step}.err")
        assert read(f"{step}.rc").strip() == "1", (step, err)
        assert "disk is full" in err and "Traceback" not in err and len(err) < 600, (step, err)
    assert read("list.rc").strip() == "0"
    assert [m["text"] for m in json.loads(read("list.out"))] == ["Saved before the disk filled up"]
    assert read("check.rc").strip() == "0", read("check.out")
    assert read("again.rc").strip() == "0", read("again.out")


MARKDOWN = r"""
set -u
mount -t tmpfs -o size=24m tmpfs "$DISK" || exit 77
M="$PY -m app.cli --data-dir $DISK/data"
$M import "$CHATS" >/dev/null || exit 78
$M export --markdown "$DISK/old" >/dev/null || exit 79
(cd "$DISK/old" && sha256sum * >"$OUT/old.before")
dd if=/dev/zero of="$DISK/reserve" bs=4k count=8 2>/dev/null
dd if=/dev/zero of="$DISK/filler" bs=64k 2>/dev/null
rm -f "$DISK/reserve"
for step in new old; do
  $M export --markdown "$DISK/$step" >"$OUT/$step.out" 2>"$OUT/$step.err"; echo $? >"$OUT/$step.rc"
done
(cd "$DISK/old" && sha256sum * >"$OUT/old.after")
ls -A "$DISK" >"$OUT/disk.ls"; ls -A "$DISK/old" >"$OUT/old.ls"
rm -f "$DISK/filler"
$M export --markdown "$DISK/new" >"$OUT/again.out" 2>&1; echo $? >"$OUT/again.rc"
ls -A "$DISK/new" | wc -l >"$OUT/again.count"
umount "$DISK"
"""


@pytest.mark.skipif(not _can_mount(), reason="needs a private mount namespace for a small tmpfs")
def test_a_markdown_export_on_a_full_disk_writes_nothing_and_keeps_the_earlier_one(tmp_path):
    """200 days to write and room for a few files: the export stops midway, says so in a
    sentence, and leaves neither a new folder, nor a hidden part, nor a changed earlier export."""
    from platformdirs import user_cache_dir

    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    chats = tmp_path / "chats.jsonl"
    chats.write_text("".join(json.dumps({"conversation": f"c{i}", "role": "user", "content": f"On day {i} I walked "
                                         "the dog along the river and met the neighbours.",
                                         "timestamp": f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}T10:00:00Z"}) + "\n"
                             for i in range(200)))
    env = {"DISK": str(disk), "OUT": str(out), "CHATS": str(chats), "PY": sys.executable, "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "MNEMO_MODEL_CACHE": user_cache_dir("Mnemo", appauthor=False),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["unshare", "-m", "sh", "-c", MARKDOWN], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr

    def read(name: str) -> str:
        return (out / name).read_text()

    for step in ("new", "old"):
        err = read(f"{step}.err")
        assert read(f"{step}.rc").strip() == "1", (step, err)
        assert "disk is full" in err and "nothing was changed" in err and "Traceback" not in err, (step, err)
    assert read("disk.ls").split() == ["data", "filler", "old"]  # no new folder, no hidden part
    assert read("old.ls").split() == read("old.before").split()[1::2]  # (file names only)
    assert read("old.after") == read("old.before")  # every earlier file whole and unchanged
    assert read("again.rc").strip() == "0", read("again.out")
    assert read("again.count").strip() == "201"  # index.md and 200 days, once there is room
