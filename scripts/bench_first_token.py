"""Time to the first streamed token for "Where does my sister live?" through the real stack
(LanceDB + MiniLM + SmolLM2), beside the bare model on the same prompt in the same run.

    .venv/bin/python scripts/bench_first_token.py [--rounds N] [--model PATH] [--memories 10000]
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_first_token.py --gui [--model PATH]

--gui measures what a person sees: the desktop app (app.gui's bridge, MainWindow, the chat)
started on a store filled first, a question sent as the chat sends it, and the time until its
first word is in the answer on the GUI thread; then the app is closed and started again on
the same store (the prompt prefix's state is read back from disk) and asked again.

The store first holds about --memories memories, brought in through the import path: LoCoMo's
10 conversations, MemoryBank's 15 users and generated everyday chat turns for the rest (a
typical store after some months of use), then the five notes the questions are about.
"cold" = the first question after the models loaded (nothing cached); "warm" = later
questions, where llama.cpp reuses the cached static prefix of the prompt."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.wiring import build_mnemo  # noqa: E402
from core.answering.prompt import build_messages  # noqa: E402
from core.clock import FixedClock  # noqa: E402

SHARED = next((Path(c) for c in (__import__("os").environ.get("MNEMO_SHARED_DATA"), ROOT.parent / "shared" / "data",
                                 "/work/shared/data") if c and (Path(c) / "locomo").is_dir()),
              ROOT.parent / "shared" / "data")
FILLER_TOPICS = ["the weather", "work", "dinner", "a film", "the gym", "my plants", "the train", "a book",
                 "the kids' school", "groceries", "a podcast", "the budget", "a concert", "my bike"]


def fill(mnemo, n: int, folder: Path) -> int:
    """Bring the store to about n memories through the normal import path."""
    import json
    import random

    files = [SHARED / "locomo" / "locomo10.json", SHARED / "memorybank" / "memory_bank_en.json"]
    for path in files:
        if len(mnemo.store) < n and path.exists():
            mnemo.import_parsed(mnemo.read_import(path), path.name)
    rest = n - len(mnemo.store)
    if rest > 0:
        rng = random.Random(7)
        lines = []
        for i in range(rest):
            topic = rng.choice(FILLER_TOPICS)
            lines.append(json.dumps({"conversation": f"day-{i // 40}", "role": rng.choice(["user", "assistant"]),
                                     "content": f"About {topic}: item {i} went {rng.choice(['well', 'badly', 'fine'])}"
                                                f" on day {i // 40}, remember {rng.randint(1, 999)}.",
                                     "timestamp": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z"}))
        generated = folder / "generated.jsonl"
        generated.write_text("\n".join(lines) + "\n")
        mnemo.import_parsed(mnemo.read_import(generated), generated.name)
    return len(mnemo.store)


NOTES = [
    "My sister Anna lives in Lisbon",
    "I parked the car on level 3 of the station garage",
    "My favourite tea is jasmine green tea",
    "The garage code is 4417",
    "Dentist appointment is on Tuesday at 3pm",
]
QUESTIONS = [
    "Where does my sister live?",
    "Where did I park the car?",
    "What is my favourite tea?",
    "What is the garage code?",
    "When is my dentist appointment?",
]


def first_token(stream) -> float:
    started = time.perf_counter()
    for _piece in stream:
        return time.perf_counter() - started
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times through the question list")
    parser.add_argument("--model", type=Path)
    parser.add_argument("--memories", type=int, default=10_000, help="memories in the store first (default 10,000)")
    parser.add_argument("--gui", action="store_true", help="through the desktop app's own path (see above)")
    args = parser.parse_args()
    if args.gui:
        from bench_gui_first_word import run_gui

        return run_gui(args, fill, NOTES, QUESTIONS)
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as scratch:
        clock = FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
        t0 = time.perf_counter()
        mnemo = build_mnemo(Path(tmp), clock, args.model)
        opened = time.perf_counter() - t0
        t0 = time.perf_counter()
        mnemo.embedder.load()
        embed_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        mnemo.model.load()
        model_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        stored = fill(mnemo, args.memories, Path(scratch)) if args.memories else 0
        filled = time.perf_counter() - t0
        for note in NOTES:
            mnemo.add_note(note)

        rows = []  # (question, mnemo first token, retrieval, bare cold first token, pieces/s, answer)
        for round_ in range(args.rounds):
            for question in QUESTIONS:
                t0 = time.perf_counter()
                hits = mnemo.answers.select(question)
                retrieval = time.perf_counter() - t0
                started = time.perf_counter()
                stamps = []
                answer = mnemo.ask(question, on_token=lambda _p: stamps.append(time.perf_counter()), capture=False)
                ttft = stamps[0] - started
                rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else float("nan")
                messages = build_messages(question, answer.memories)
                mnemo.model.forget_cache()
                bare = first_token(mnemo.model.stream_chat(messages, max_tokens=1))
                rows.append((question, ttft, retrieval, bare, rate, answer.text, len(hits)))
        prompt_tokens = mnemo.model.count_tokens(messages[0]["content"] + messages[1]["content"])
        mnemo.close()

    cold = rows[0]
    warm = rows[1:]
    med = lambda i: statistics.median(r[i] for r in warm)  # noqa: E731
    print(f"store open {opened:.2f} s · embedder load {embed_load:.2f} s · model load {model_load:.2f} s")
    print(f"{stored:,} memories imported first ({filled:.0f} s) + {len(NOTES)} notes · prompts of ≈{prompt_tokens} "
          f"tokens · {len(rows)} questions")
    for question, _t, _r, _b, _rate, text, _n in rows[: len(QUESTIONS)]:
        print(f"  {question:<34} -> {text}")
    print(f"{'':<36}{'Mnemo ask':>11}{'bare, no cache':>16}{'ratio':>7}")
    print(f"{'first token, first question (s)':<36}{cold[1]:>11.3f}{cold[3]:>16.3f}{cold[1] / cold[3]:>7.2f}")
    print(f"{'first token, later questions p50 (s)':<36}{med(1):>11.3f}{med(3):>16.3f}{med(1) / med(3):>7.2f}")
    print(f"retrieval inside that (p50): {med(2) * 1000:.1f} ms · generation: {med(4):.1f} pieces/s")
    print("(Mnemo ask = retrieval + prompt + model with its cached static prefix; bare = the same "
          "prompt straight to llama.cpp after its cache was cleared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
