"""How long the decay sweep takes over a large store (real LanceDB; vectors are random since
the sweep never reads them).

    .venv/bin/python scripts/bench_decay.py [--n 100000]

Prints, for N memories with mixed ages, strengths and states:
- plan (warm): the vectorised pass that computes every retention and the new states;
- plan (cold): the same right after a write, when the per-row columns are rebuilt;
- the same computation as a plain Python loop over the records (the baseline), and the ratio;
- a full sweep that writes its changes, for a typical day (about 1% of memories change) and
  after a month away (a large share changes at once)."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.clock import FixedClock  # noqa: E402
from core.lifecycle.forgetting import Forgetting  # noqa: E402
from core.memory.decay import DecayPolicy, memory_retention  # noqa: E402
from core.memory.records import Kind, Memory, State, new_id  # noqa: E402
from core.memory.store import MemoryStore  # noqa: E402


def populate(store: MemoryStore, n: int, now: float, rng: np.random.Generator) -> None:
    policy = DecayPolicy()
    batch = []
    for i in range(n):
        importance = float(rng.uniform(0.2, 0.8))
        strength = policy.initial_strength(importance)
        age_days = float(rng.uniform(0, 2 * strength))  # most are still active
        state = State.PINNED if i % 50 == 0 else State.ACTIVE
        vector = np.zeros(384, dtype=np.float32)
        vector[i % 384] = 1.0
        batch.append(Memory(id=new_id(), text=f"memory {i}", kind=Kind.TURN if i % 3 else Kind.NOTE, source="chat",
                            created_at=now - age_days * 86400, importance=importance, strength=strength,
                            state=state, vector=vector))
        if len(batch) == 20_000:
            store.add(batch, actor="bench", reason="bench")
            batch = []
    if batch:
        store.add(batch, actor="bench", reason="bench")


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    start = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)
    clock = FixedClock(start)
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore.open(Path(tmp), clock)
        t0 = time.perf_counter()
        populate(store, args.n, start.timestamp(), rng)
        print(f"{args.n:,} memories stored in {time.perf_counter() - t0:.1f} s")
        forgetting = Forgetting(store, clock)

        def cold():
            store._columns_cache = None  # as after a purge: the columns are rebuilt
            forgetting.plan()

        warm = timed(forgetting.plan, 7)
        cold_times = timed(cold, 5)

        def loop():
            now = clock.now().timestamp()
            policy = forgetting.policy
            return [(m.id, policy.state_for(memory_retention(m, now))) for m in store.all()
                    if m.state in (State.ACTIVE, State.FADING)]

        base = timed(loop, 3)
        plan = forgetting.plan()
        w, c, b = statistics.median(warm), statistics.median(cold_times), statistics.median(base)
        print(f"plan, warm (vectorised pass)      {w * 1000:8.1f} ms")
        print(f"plan, cold (columns rebuilt too)  {c * 1000:8.1f} ms")
        print(f"baseline: Python loop per record  {b * 1000:8.1f} ms   (vectorised warm is {b / w:.0f}x faster)")

        first = forgetting.sweep()  # the store's first sweep: every memory past its threshold moves
        print(f"first sweep, writes {first.changed:,} changes ({_counts(first)}): {first.seconds * 1000:.0f} ms")
        routine = []
        for hours in (6, 12, 18, 24):  # the scheduler sweeps every few hours
            clock.set(start + timedelta(hours=hours))
            day = forgetting.sweep()
            routine.append(day.seconds)
            print(f"sweep {hours:>2} h later, {day.changed:,} changes ({_counts(day)}): {day.seconds * 1000:.0f} ms")
        print(f"routine sweep, median of the 4: {statistics.median(routine) * 1000:.0f} ms (target ≤ 200 ms)")
        clock.set(start + timedelta(days=30))
        month = forgetting.sweep()
        print(f"sweep after 30 days away, {month.changed:,} changes ({_counts(month)}): {month.seconds:.1f} s")
        print(f"(plan found {plan.changed:,} changes at the start)")
        store.close()
    return 0


def _counts(result) -> str:
    return ", ".join(f"{len(ids):,} {state}" for state, ids in result.changes.items()) or "none"


if __name__ == "__main__":
    sys.exit(main())
