"""Time from launching `mnemo-gui` to a visible window, beside a bare PySide6 window started
the same way in the same run (the floor: interpreter + Qt).

    .venv/bin/python scripts/bench_startup.py [--runs N] [--platform offscreen|xcb]

Each figure is measured from the process's creation time (psutil) to the first event-loop
turn after `show()`. Also reports the app's resident memory once the models have loaded."""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BARE = r"""
import time, psutil, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(900, 640); w.show()
QTimer.singleShot(0, lambda: (print(f"window shown after {time.time() - psutil.Process().create_time():.3f} s", file=sys.stderr, flush=True), app.quit()))
app.exec()
"""
PATTERN = re.compile(r"window shown after (\d+\.\d+) s")
READY = re.compile(r"ready after (\d+\.\d+) s")


def launch(cmd: list[str], env: dict, wait_ready: bool = False) -> tuple[float, float | None, float | None]:
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        shown = None
        while shown is None:
            line = process.stderr.readline()
            if not line:
                raise RuntimeError(f"{cmd[:3]} exited before showing a window")
            if match := PATTERN.search(line):
                shown = float(match.group(1))
        rss = ready = None
        if wait_ready:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                line = process.stderr.readline()
                if match := READY.search(line):
                    ready = float(match.group(1))
                    rss = psutil.Process(process.pid).memory_info().rss / 2**20
                    break
        return shown, rss, ready
    finally:
        process.kill()
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": args.platform, "MNEMO_REPORT_STARTUP": "1"}
    app_times, bare_times, rss, ready = [], [], None, None
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            bare_times.append(launch([sys.executable, "-c", BARE], env)[0])
            shown, mem, done = launch([sys.executable, "-m", "app.gui", "--data-dir", str(Path(tmp) / f"d{run}")], env,
                                wait_ready=(run == args.runs - 1))
            app_times.append(shown)
            rss = mem if mem is not None else rss
            ready = done if done is not None else ready
    a, b = statistics.median(app_times), statistics.median(bare_times)
    print(f"launch → visible window, {args.platform}, median of {args.runs}:")
    print(f"  mnemo-gui        {a:.3f} s   (runs: {', '.join(f'{t:.2f}' for t in app_times)})")
    print(f"  bare Qt window   {b:.3f} s   (runs: {', '.join(f'{t:.2f}' for t in bare_times)})")
    print(f"  ratio            {a / b:.2f}")
    if rss is not None:
        print(f"start-up finished (store open, both models loaded) after {ready:.2f} s (last run)")
        print(f"resident memory once the store is open and both models are loaded: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
