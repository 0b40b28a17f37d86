"""`mnemo-gui` / `python -m app.gui`: options, a fast first window, and no heavy imports
on the GUI thread before it shows."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from app.gui import build_parser, main, make_clock

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["torch", "sentence_transformers", "llama_cpp", "lancedb", "pyarrow", "core.memory.store", "core.mnemo"]


def env(**extra) -> dict:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), **extra)


def test_options_match_the_cli(tmp_path):
    args = build_parser().parse_args(["--data-dir", str(tmp_path), "--now", "2026-05-01T09:00Z",
                                      "--model", "x.gguf"])
    assert args.data_dir == tmp_path and args.model == Path("x.gguf")
    assert make_clock(args.now).now().isoformat() == "2026-05-01T09:00:00+00:00"


def test_a_bad_now_is_refused_with_a_sentence(capsys):
    assert main(["--now", "yesterday-ish"]) == 2
    assert "is not an ISO-8601 date or time" in capsys.readouterr().err


def test_the_window_code_imports_nothing_heavy():
    code = ("import sys, app.gui, ui.main_window, ui.tray, ui.single_instance, ui.workers;"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env(), capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_window_shows_before_the_models_load_and_reports_it(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "app.gui", "--data-dir", str(tmp_path / "data"),
                                "--model", str(tmp_path / "missing.gguf")],
                               cwd=ROOT, env=env(MNEMO_REPORT_STARTUP="1"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if "window shown after" in line or not line:
                break
        match = re.search(r"window shown after (\d+\.\d+) s", line)
        assert match, line
        assert float(match.group(1)) > 0  # the figure itself is measured by scripts/bench_startup.py
    finally:
        process.kill()
        process.wait(timeout=30)


def test_after_a_move_mnemo_restarts_as_it_was_started_but_in_the_new_folder(tmp_path):
    import sys

    from app.gui import restart_command

    command = restart_command(["--data-dir", "/old", "--now", "2026-05-01T09:00", "--background"], tmp_path / "new")
    assert command == [sys.executable, "-m", "app.gui", "--now", "2026-05-01T09:00", "--data-dir", str(tmp_path / "new")]
    assert restart_command(["--data-dir=/old", "--quick-capture"], tmp_path)[-2:] == ["--data-dir", str(tmp_path)]
