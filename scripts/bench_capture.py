"""Capture speed through the real stack (LanceDB, MiniLM, the guard):
- one chat turn (embed + guard screen + store write), p50/p95 over --turns turns, beside
  embedding the same text alone (the floor) in the same run;
- bulk import throughput (turns/s) of LoCoMo's conversations through the import path
  (read, validate, embed, screen, write), beside raw embedding throughput of the same texts.

    .venv/bin/python scripts/bench_capture.py [--turns 100] [--json OUT]"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_locomo_recall import DEFAULT_DATA  # noqa: E402

from app.wiring import offline_environment  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.mnemo import Mnemo  # noqa: E402
from core.recall.embedder import MiniLMEmbedder  # noqa: E402
from tests.fakes import ScriptedModel  # noqa: E402

SENTENCES = ["I moved the dentist appointment to Thursday at 3pm", "My sister Anna's birthday is on 12 June",
             "We should try the new ramen place near the station", "The plumber said the boiler needs a new valve",
             "Remind me to call grandma on Sunday evening", "I finished the book for the book club",
             "The garage code changed to 4417", "Tom wants a climbing rope for his birthday"]


def ms(values, p) -> float:
    return float(np.percentile(values, p) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    offline_environment()
    embedder = MiniLMEmbedder()
    embedder.load()
    clock = FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        mnemo = Mnemo(Path(tmp) / "a", clock, embedder, ScriptedModel())
        texts = [f"{SENTENCES[i % len(SENTENCES)]} (#{i})" for i in range(args.turns + 10)]
        for text in texts[:10]:  # warm up
            mnemo.capture.add_turn(text, "user", "bench", source="chat")
        turn, bare = [], []
        for text in texts[10:]:
            t0 = time.perf_counter()
            embedder.embed([text])
            bare.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            mnemo.capture.add_turn(text, "user", "bench", source="chat")
            turn.append(time.perf_counter() - t0)
        mnemo.close()
        result["turn"] = {"p50_ms": ms(turn, 50), "p95_ms": ms(turn, 95), "embed_p50_ms": ms(bare, 50),
                          "turns": args.turns}
        print(f"one chat turn (embed + screen + write): p50 {ms(turn, 50):.1f} ms, p95 {ms(turn, 95):.1f} ms; "
              f"embedding alone p50 {ms(bare, 50):.1f} ms (target p50 ≤ 50 ms)")

        mnemo = Mnemo(Path(tmp) / "b", clock, embedder, ScriptedModel())
        stages = {}
        last = {"t": time.perf_counter(), "stage": None}

        def progress(stage, done, total):
            now = time.perf_counter()
            if last["stage"] is not None:
                stages[last["stage"]] = stages.get(last["stage"], 0.0) + now - last["t"]
            last.update(t=now, stage=stage)
        t0 = time.perf_counter()
        parsed = mnemo.read_import(DEFAULT_DATA)
        read = time.perf_counter() - t0
        t1 = time.perf_counter()
        last["t"] = t1
        report = mnemo.import_parsed(parsed, DEFAULT_DATA.name, progress)
        imported = time.perf_counter() - t1
        mnemo.close()
        total = read + imported
        texts = [f"{t.speaker}: {t.text}" if t.speaker else t.text for t in parsed.turns]
        t0 = time.perf_counter()
        for start in range(0, len(texts), 256):
            embedder.embed(texts[start:start + 256])
        raw = time.perf_counter() - t0
        rate, raw_rate = report.imported / total, len(texts) / raw
        result["import"] = {"turns": report.imported, "seconds": total, "turns_per_s": rate,
                            "raw_embed_turns_per_s": raw_rate, "ratio": rate / raw_rate,
                            "read_s": read, "embedding_s": stages.get("Reading", 0.0),
                            "writing_s": stages.get("Saving", 0.0)}
        print(f"bulk import of {report.imported:,} LoCoMo turns: {rate:.0f} turns/s ({total:.1f} s: reading "
              f"{read:.1f} s, embedding {stages.get('Reading', 0):.1f} s, screening + writing "
              f"{imported - stages.get('Reading', 0):.1f} s); raw embedding {raw_rate:.0f} turns/s; "
              f"ratio {rate / raw_rate:.2f} (target ≥ 0.70)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
