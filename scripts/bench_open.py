"""Opening a store of 100,000 memories: what the integrity checks cost.

    .venv/bin/python scripts/bench_open.py [--n 100000] [--runs 3]

Times MemoryStore.open (lock, ledger, tables, every record read and checked against its
checksum and vector rules, the mirror built) beside, in the same run, a bare LanceDB read of
the same table into Python records (what opening cost before the checks), and the checksum
pass alone. Then the same store encrypted (core/memory/encryption.py): opening and unlocking it
with a passphrase (scrypt, then every sealed record opened) against the open in the clear."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_retrieval import WORDS, vectors  # noqa: E402

from core.clock import FixedClock  # noqa: E402
from core.memory.integrity import CHECKED_FIELDS, record_checksum  # noqa: E402
from core.memory.keys import Passphrase  # noqa: E402
from core.memory.records import Kind, Memory, new_id  # noqa: E402
from core.memory.schema import SCALAR_FIELDS, from_columns  # noqa: E402
from core.memory.store import MemoryStore  # noqa: E402


def bare_read(folder: Path) -> float:
    import lancedb

    started = time.perf_counter()
    table = lancedb.connect(str(folder / "store")).open_table("memories").to_arrow()
    columns = {name: table.column(name).to_pylist() for name in SCALAR_FIELDS}
    [from_columns(columns, i) for i in range(table.num_rows)]
    table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
    return time.perf_counter() - started


def checksums(folder: Path) -> float:
    import lancedb

    table = lancedb.connect(str(folder / "store")).open_table("memories").to_arrow()
    columns = {name: table.column(name).to_pylist() for name in CHECKED_FIELDS}
    vecs = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False).reshape(table.num_rows, -1)
    started = time.perf_counter()
    for i in range(table.num_rows):
        record_checksum({name: columns[name][i] for name in CHECKED_FIELDS}, vecs[i])
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(5)
    clock = FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
    matrix = vectors(args.n, rng)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = MemoryStore.open(folder, clock)
        now = clock.now().timestamp()
        store.apply_import([Memory(id=new_id(), text=" ".join(rng.choice(WORDS, size=12)), kind=Kind.NOTE,
                                   source="user", created_at=now, strength=10.0, vector=matrix[i])
                            for i in range(args.n)], [])
        store.compact()
        store.close()
        opens, bares = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            MemoryStore.open(folder, clock).close()
            opens.append(time.perf_counter() - started)
            bares.append(bare_read(folder))
        sums = checksums(folder)
        secret = Passphrase("correct horse battery")
        store = MemoryStore.open(folder, clock)
        started = time.perf_counter()
        store.encrypt(secret)
        convert_s = time.perf_counter() - started
        store.close()
        sealed, plain_again = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            MemoryStore.open(folder, clock, passphrase=lambda: secret).close()
            sealed.append(time.perf_counter() - started)
        store = MemoryStore.open(folder, clock, passphrase=lambda: secret)
        store.decrypt()
        store.close()
        for _ in range(args.runs):  # the same store in the clear again, timed in turn with the sealed opens
            started = time.perf_counter()
            MemoryStore.open(folder, clock).close()
            plain_again.append(time.perf_counter() - started)
    open_s, bare_s = statistics.median(opens), statistics.median(bares)
    sealed_s, plain_s = statistics.median(sealed), statistics.median(plain_again)
    print(f"| {args.n:,} memories | median of {args.runs} |\n|---|---|")
    print(f"| MemoryStore.open (checked) | {open_s:.2f} s |")
    print(f"| bare LanceDB read into records (baseline) | {bare_s:.2f} s |")
    print(f"| of which the checksum pass | {sums:.2f} s |")
    print(f"| ratio | {open_s / bare_s:.2f} |")
    print(f"\n| encrypted at rest | median of {args.runs} |\n|---|---|")
    print(f"| turning encryption on (every row sealed, old versions dropped) | {convert_s:.2f} s |")
    print(f"| open + unlock, encrypted (scrypt, every record opened and checked) | {sealed_s:.2f} s |")
    print(f"| open in the clear, the same store (baseline) | {plain_s:.2f} s |")
    print(f"| ratio to the same store decrypted again | {sealed_s / plain_s:.2f} |")
    print(f"| ratio to the store before it was encrypted, opened above (target <= 1.5) | {sealed_s / open_s:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
