"""A recall over the app's socket (what `mnemo search` and the MCP server's `recall` do while the
app has the memory open) beside the same search in the app's own process, in the same run.

    .venv/bin/python scripts/bench_owner.py [--memories 10000] [--rounds 5]

The store is filled through the import path (as scripts/bench_first_token.py does), an
OwnerServer serves it (app/owner/server.py), and each query goes over the Unix socket as a
`search QUERY --json` command: the client's connection, the command run in the owner, the JSON
printed back."""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from app.owner.client import forward  # noqa: E402
from app.owner.server import OwnerServer  # noqa: E402
from app.wiring import build_mnemo  # noqa: E402
from bench_first_token import NOTES, fill  # noqa: E402
from core.clock import FixedClock  # noqa: E402

QUERIES = ["Where does my sister live?", "garage code", "When is my dentist appointment?", "favourite tea",
           "Where did I park the car?", "What did we do at the weekend?", "the budget", "a concert"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memories", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as scratch:
        data = Path(tmp) / "data"
        mnemo = build_mnemo(data, FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc)))
        mnemo.embedder.load()
        stored = fill(mnemo, args.memories, Path(scratch))
        for note in NOTES:
            mnemo.add_note(note)
        server = OwnerServer(data, mnemo).start()
        try:
            for q in QUERIES:  # warm: indexes, caches
                mnemo.search(q)
                forward(["--data-dir", str(data), "search", q, "--json"], data, io.StringIO(), io.StringIO())
            local, socket_times = [], []
            for _ in range(args.rounds):
                for q in QUERIES:
                    t0 = time.perf_counter()
                    mnemo.search(q)
                    local.append(time.perf_counter() - t0)
                    out = io.StringIO()
                    t0 = time.perf_counter()
                    status = forward(["--data-dir", str(data), "search", q, "--json"], data, out, io.StringIO())
                    socket_times.append(time.perf_counter() - t0)
                    assert status == 0 and out.getvalue().startswith("[")
        finally:
            server.stop()
            mnemo.close()
    p95 = lambda xs: sorted(xs)[int(0.95 * (len(xs) - 1))]  # noqa: E731
    print(f"{stored:,} memories; {len(socket_times)} queries")
    print(f"{'':<40}{'p50 (ms)':>10}{'p95 (ms)':>10}")
    print(f"{'recall over the socket (search --json)':<40}{statistics.median(socket_times) * 1000:>10.1f}"
          f"{p95(socket_times) * 1000:>10.1f}")
    print(f"{'the same search in the owner':<40}{statistics.median(local) * 1000:>10.1f}{p95(local) * 1000:>10.1f}")
    print("(target: recall over the socket p50 <= 30 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
