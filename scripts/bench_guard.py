"""What the guard costs per question: choosing the prompt's memories with the guard on vs off,
on LoCoMo conversations replayed with one speaker typing and the other imported (real
LanceDB, real MiniLM). Prints the medians and their ratio, and the write-time screening cost.

    .venv/bin/python scripts/bench_guard.py [--conversations N] [--lessons N]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval_guard import NoModel, shared_data  # noqa: E402
from eval_locomo_recall import sessions  # noqa: E402

from app.wiring import offline_environment  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.mnemo import Mnemo  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=2)
    parser.add_argument("--lessons", type=int, default=50, help="attack lessons in the store (each question "
                        "consults them)")
    args = parser.parse_args()
    offline_environment()
    from core.recall.embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    embedder.load()
    conversations = json.loads((shared_data() / "locomo" / "locomo10.json").read_text())[: args.conversations]
    off_times, on_times, screen_times = [], [], []
    for conv in conversations:
        with tempfile.TemporaryDirectory() as tmp:
            dates = [when for when, _ in sessions(conv["conversation"])]
            mnemo = Mnemo(Path(tmp), FixedClock(max(dates) + timedelta(days=1)), embedder, NoModel())
            first = conv["conversation"].get("speaker_a")
            texts = []
            for when, session in sessions(conv["conversation"]):
                batch = [(t["text"], "user", t["speaker"], "chat" if t["speaker"] == first else "import:locomo")
                         for t in session]
                texts += [t["text"] for t in session]
                mnemo.capture.add_turns(batch, conv["sample_id"], at=when)
            imported = [m for m in mnemo.store.all() if m.source.startswith("import")][: args.lessons]
            for m in imported:  # lessons as if each of these had been kept out once
                mnemo.guard.lessons.learn(m, "kept out in a benchmark", m.text)
            questions = [qa["question"] for qa in conv["qa"] if qa.get("category") in (1, 2, 3, 4)]
            for question in questions:
                for enabled, bucket in ((False, off_times), (True, on_times)):
                    mnemo.guard.enabled = enabled
                    started = time.perf_counter()
                    mnemo.answers.screened(question)
                    bucket.append(time.perf_counter() - started)
            for m in imported[:50]:
                started = time.perf_counter()
                mnemo.guard.screen(m.with_changes(vector=mnemo.store.vector(m.id)))
                screen_times.append(time.perf_counter() - started)
            print(f"{conv['sample_id']}: {len(mnemo.store)} records, {len(questions)} questions", flush=True)
            mnemo.close()
    off, on = statistics.median(off_times), statistics.median(on_times)
    print(f"\nchoosing the prompt's memories, median over {len(on_times)} questions "
          f"({args.lessons} lessons per store):")
    print(f"  guard off {off * 1000:.1f} ms, guard on {on * 1000:.1f} ms, ratio {on / off:.2f}")
    print(f"screening one clipboard/imported record on write: median {statistics.median(screen_times) * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
