"""A Mnemo process for tests/app/test_kill9.py to kill: it captures (or imports) and prints
each acknowledgement as soon as the call returned; or it stops at a chosen point inside a
write or a compaction (prints PAUSED and waits to be killed there)."""
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.clock import FixedClock  # noqa: E402
from core.mnemo import Mnemo  # noqa: E402
from tests.fakes import HashEmbedder, ScriptedModel  # noqa: E402


def pause_in_compaction(point: str) -> None:
    """Stop right after LanceDB compacted the memories table: after merging its files while
    keeping the old versions (`merge`), or after dropping the old versions (`drop`)."""
    import lancedb.table

    original = lancedb.table.LanceTable.optimize

    def optimize(self, *args, **kwargs):
        original(self, *args, **kwargs)
        dropping = kwargs.get("cleanup_older_than") == timedelta(0)
        if self.name == "memories" and dropping == (point == "drop"):
            print("PAUSED", flush=True)
            time.sleep(60)
    lancedb.table.LanceTable.optimize = optimize


def pause_in_a_write() -> None:
    """Stop inside the next write: its memory row is on disk, its history row not yet."""
    from core.memory.history import HistoryLog

    def append(self, entries):
        print("PAUSED", flush=True)
        time.sleep(60)
    HistoryLog.append = append


def main(data_dir: str, mode: str, arg: str = "") -> None:
    clock = FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
    if mode == "recover":  # the open rolls back a write cut short, then compacts: stop in there
        pause_in_compaction(arg)
    mnemo = Mnemo(Path(data_dir), clock, HashEmbedder(), ScriptedModel())
    print("READY", flush=True)
    if mode == "recover":
        print("OPENED", flush=True)
        return
    if mode in ("compact", "pending"):
        for i in range(6):
            print("ACK", mnemo.add_note(f"note number {i} about the garden").memory.id, flush=True)
            clock.advance(seconds=1)
        if mode == "compact":
            pause_in_compaction(arg)
            mnemo.store.compact()
        else:
            pause_in_a_write()
            mnemo.add_note("a note that is never acknowledged")
        print("DONE", flush=True)
        time.sleep(60)
    elif mode == "capture":
        i = 0
        while True:
            i += 1
            if i % 3 == 0:
                turns = mnemo.capture.add_turns([(f"question {i}", "user", ""), (f"answer {i}", "assistant", "")],
                                                conversation_id="c")
                print("ACK", *[t.id for t in turns], flush=True)
            else:
                print("ACK", mnemo.add_note(f"note number {i}").memory.id, flush=True)
            clock.advance(seconds=1)
    else:  # import the file `arg` in small batches, saying how far the saving got
        parsed = mnemo.read_import(Path(arg))
        store = mnemo.store
        original = store.apply_import
        store.apply_import = lambda ms, hs, c, p: original(ms, hs, c, p, batch=50)
        print("IMPORT-START", flush=True)
        report = mnemo.import_parsed(parsed, Path(arg).name,
                                     lambda stage, done, total: print("PROGRESS", stage, done, flush=True))
        print("IMPORT-DONE", report.imported, flush=True)
        time.sleep(60)


if __name__ == "__main__":
    main(*sys.argv[1:])
