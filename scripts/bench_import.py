"""Import benchmark: a 50,000-message ChatGPT export through the real facade, beside raw embedding.

- Generates a realistic `conversations.json` in a temporary folder: many conversations of varied
  length, each a message tree as ChatGPT writes it (a root without a message, a hidden system
  message, and side branches: regenerated answers and edited questions the user left), whose
  branch the user last saw holds --messages messages in all.
- Imports it through `app.wiring.build_mnemo` (real MiniLM on ONNX Runtime, real LanceDB, the
  guard, importance and facts) in a child process, counting the progress callbacks, then embeds
  the same texts again with the same embedder in the same process (raw embedding, the
  baseline): turns/s of each and the ratio (the issue's target: >= 0.70). The child's peak
  resident memory (ru_maxrss) is reported before and after the import.
- Cancels two imports half-way (in the embedding stage, and while saving) in another child on a
  store that already holds memories: both must leave every record and history entry as it was,
  also after the store is closed and opened again.

    .venv/bin/python scripts/bench_import.py [--messages 50000] [--seed 7] [--json OUT]"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)
NAMES = ["Anna", "Tom", "Priya", "Kenji", "Marta", "Lukas", "Sofia", "Omar", "Grace", "Diego", "Ines", "Sam"]
PLACES = ["Lisbon", "Porto", "Kyoto", "Leeds", "Bristol", "Toronto", "Oaxaca", "Krakow", "Nairobi", "Hobart"]
THINGS = ["the boiler", "my bike", "the garden fence", "the car's brakes", "my laptop", "the dishwasher",
          "the roof gutter", "my running shoes", "the sourdough starter", "the balcony tomatoes"]
FOODS = ["ramen", "lentil soup", "paella", "banana bread", "green curry", "pierogi", "shakshuka", "pho"]
TOPICS = ["a cover letter", "my tax return", "a birthday speech", "a Python script", "a job interview",
          "a trip itinerary", "a workout plan", "a budget spreadsheet", "a book club question", "a wedding toast"]
ASKS = [
    "Can you help me with {topic}? It is due on {day}.",
    "My {rel} {name} lives in {place} and is visiting in {month}. What should we do there?",
    "How do I fix {thing}? It started making a noise last {day}.",
    "What is a good recipe for {food} for {n} people?",
    "I moved to {place} in {month} {year}. Which neighbourhoods are nice for families?",
    "Remind me what I told you about {name}'s birthday, it is on {d} {month}.",
    "Explain the difference between a Roth IRA and a traditional one, briefly.",
    "Write a short poem about {place} in the rain.",
    "I have {n} days in {place}. Plan something that is not too touristy.",
    "My doctor said my blood pressure was {n}0 over {m}0. Is that something to worry about?",
    "Translate 'where is the train station' into Portuguese, Japanese and Polish.",
    "Summarise the plot of the book we discussed for {topic}.",
    "{name} wants {thing2} for their birthday. Is that a reasonable gift under {n}0 euros?",
    "Why does my sourdough come out flat? I feed it at {n} in the morning.",
]
ASIDES = ["Thanks!", "Also, keep it short.", "I am a beginner.", "We are vegetarian.", "No rush.",
          "It is for work.", "My budget is tight this month.", "Please use metric units."]
ANSWERS = [
    "Here is a plan that should work well for you.", "Start by checking the simplest cause first.",
    "A good rule of thumb is to keep it under {n} minutes.", "{place} is lovely in {month}, though it can be busy.",
    "You could try {food}; it scales easily and most people like it.", "First, turn off the power at the mains.",
    "If the noise continues after that, call a technician.", "Many people find it easier to split the work into "
    "small steps and do one each day.", "In short, the main difference is when you pay the tax.",
    "That reading is within the usual range, but ask your doctor if it stays there.",
    "Keep a note of what you tried, so you can tell what changed.", "Here is a first draft you can adapt.",
    "Feel free to ask for a shorter or more formal version.", "The {d}th of {month} falls on a weekend this year.",
    "Book the train tickets early: prices double in the last week.", "Let the dough rest for {n} hours at room "
    "temperature before shaping it.", "A budget of {n}0 euros is enough for a good one.",
    "The neighbourhoods near the river are quieter and have good schools.",
    "I would avoid the main square at noon; go early in the morning instead.",
    "Check the seal around the door: a worn seal is a common cause.", "Water them in the evening, not at noon.",
    "Use a spreadsheet with one row per expense and a column for the category.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(topic=rng.choice(TOPICS), day=rng.choice(DAYS), rel=rng.choice(["sister", "brother",
                           "friend", "cousin", "colleague"]), name=rng.choice(NAMES), place=rng.choice(PLACES),
                           month=rng.choice(MONTHS), thing=rng.choice(THINGS), thing2=rng.choice(THINGS),
                           food=rng.choice(FOODS), n=rng.randint(2, 14), m=rng.randint(6, 9),
                           year=rng.randint(2015, 2025), d=rng.randint(1, 28))


def _user(rng: random.Random) -> str:
    return " ".join([_fill(rng.choice(ASKS), rng)] + rng.sample(ASIDES, rng.randint(0, 2)))


def _assistant(rng: random.Random) -> str:
    return " ".join(_fill(rng.choice(ANSWERS), rng) for _ in range(rng.randint(3, 10)))


def _node(mapping: dict, node_id: str, parent: str | None, role: str | None, text: str | None, at: float) -> str:
    message = None
    if role is not None:
        message = {"id": node_id, "author": {"role": role, "name": None, "metadata": {}}, "create_time": at,
                   "update_time": None, "content": {"content_type": "text", "parts": [text]}, "status":
                   "finished_successfully", "end_turn": role == "assistant", "weight": 1.0, "metadata": {},
                   "recipient": "all"}
    mapping[node_id] = {"id": node_id, "message": message, "parent": parent, "children": []}
    if parent is not None:
        mapping[parent]["children"].append(node_id)
    return node_id


def generate(path: Path, messages: int, seed: int) -> dict:
    """A ChatGPT export whose visible branches hold `messages` messages; returns what it holds."""
    rng = random.Random(seed)
    conversations, left, side, at = [], messages, 0, datetime(2023, 1, 9, tzinfo=timezone.utc).timestamp()
    while left > 0:
        n = len(conversations) + 1
        length = min(left, 2 * rng.choice([1, 2, 3, 5, 8, 12, 20, 30, 60]))
        mapping: dict = {}
        at += rng.uniform(1_800, 86_400)
        start = at
        last = _node(mapping, f"c{n}-root", None, None, None, at)
        last = _node(mapping, f"c{n}-sys", last, "system", "", at)
        for i in range(length):
            role = "user" if i % 2 == 0 else "assistant"
            at += rng.uniform(5, 240)
            text = _user(rng) if role == "user" else _assistant(rng)
            if i and rng.random() < 0.06:  # a branch the user left: an edited question or a regenerated answer
                side += 1
                gone = _node(mapping, f"c{n}-{i}-old", last, role, text[::-1][:80] + " (first try)", at - 2)
                if role == "user":
                    side += 1
                    _node(mapping, f"c{n}-{i}-old-a", gone, "assistant", _assistant(rng), at - 1)
            last = _node(mapping, f"c{n}-{i}", last, role, text, at)
        conversations.append({"title": f"Chat {n}", "create_time": start, "update_time": at, "mapping": mapping,
                              "current_node": last, "conversation_id": f"conv-{n:05d}", "id": f"conv-{n:05d}",
                              "moderation_results": [], "is_archived": False})
        left -= length
    path.write_text(json.dumps(conversations))
    return {"conversations": len(conversations), "visible_messages": messages, "side_branch_messages": side,
            "bytes": path.stat().st_size}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child_import(data_dir: Path, export: Path) -> dict:
    from app.wiring import build_mnemo
    from core.clock import FixedClock
    from core.intake.importer import EMBED_BATCH

    mnemo = build_mnemo(data_dir, FixedClock(NOW))
    mnemo.embedder.load()
    mnemo.embedder.embed(["warm up"])
    rss_before = _rss_mb()
    calls, first, final = {}, {}, {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        calls[stage] = calls.get(stage, 0) + 1
        first.setdefault(stage, now)
        final[stage] = now

    t0 = time.perf_counter()
    parsed = mnemo.read_import(export)
    read_s = time.perf_counter() - t0
    report = mnemo.import_parsed(parsed, export.name, progress, threading.Event())
    total_s = time.perf_counter() - t0
    stages = {stage: final[stage] - first[stage] for stage in first}  # (from its first callback to its last)
    rss_import = _rss_mb()
    texts = [t.text for t in parsed.turns]
    t1 = time.perf_counter()
    for start in range(0, len(texts), EMBED_BATCH):
        mnemo.embedder.embed(texts[start:start + EMBED_BATCH])
    raw_s = time.perf_counter() - t1
    stored = len(mnemo.store)
    mnemo.close()
    return {"imported": report.imported, "found": report.found, "rejected": report.rejected.total,
            "rejected_reasons": dict(report.rejected.reasons), "conversations": report.conversations,
            "stored": stored, "read_s": read_s, "total_s": total_s, "stage_s": stages, "progress_calls": calls,
            "turns_per_s": report.imported / total_s, "raw_s": raw_s, "raw_turns_per_s": len(texts) / raw_s,
            "ratio": (report.imported / total_s) / (len(texts) / raw_s), "rss_mb_before_import": rss_before,
            "rss_mb_peak": rss_import, "backend": mnemo.embedder.backend, "threads": os.cpu_count()}


def _state(mnemo) -> tuple:
    records = sorted((m.id, m.state, m.content_hash, m.text) for m in mnemo.store.all())
    history = sorted((h.id, h.memory_id, h.action) for h in mnemo.store.history())
    return len(records), len(history), hash((tuple(records), tuple(history)))


def child_cancel(data_dir: Path, export: Path) -> dict:
    from app.wiring import build_mnemo
    from core.clock import FixedClock
    from core.memory.store import Cancelled

    mnemo = build_mnemo(data_dir, FixedClock(NOW))
    for text in ("My sister Anna lives in Lisbon.", "The garage code is 4417.", "Tom wants a climbing rope."):
        mnemo.add_note(text)
    before = _state(mnemo)
    parsed = mnemo.read_import(export)
    out = {"before": before[:2], "runs": {}}
    for stage in ("Reading", "Saving"):
        cancel, seen = threading.Event(), {"set_at": None, "done": 0, "total": 0}

        def progress(name: str, done: int, total: int, stage=stage, cancel=cancel, seen=seen) -> None:
            if name == stage and total and done >= total / 2 and not cancel.is_set():
                seen.update(set_at=time.perf_counter(), done=done, total=total)
                cancel.set()
        try:
            mnemo.import_parsed(parsed, export.name, progress, cancel)
            outcome = "finished (not cancelled)"
        except Cancelled as exc:
            outcome = f"cancelled: {exc}"
        latency = time.perf_counter() - seen["set_at"] if seen["set_at"] else None
        after = _state(mnemo)
        out["runs"][stage] = {"outcome": outcome, "cancelled_at": f"{seen['done']:,}/{seen['total']:,}",
                              "cancel_latency_s": latency, "after": after[:2], "unchanged": after == before}
    mnemo.close()
    again = build_mnemo(data_dir, FixedClock(NOW))
    reopened = _state(again)
    out["reopened_unchanged"] = reopened == before and not again.store.damage
    again.close()
    return out


def run_child(mode: str, data_dir: Path, export: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", mode, str(data_dir), str(export)],
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"the {mode} child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cancel-messages", type=int, default=5_000,
                        help="the size of the export the cancels are tried on (its first conversations)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        from app.wiring import offline_environment

        offline_environment()
        mode, data_dir, export = args.child
        run = child_import if mode == "import" else child_cancel
        print(json.dumps(run(Path(data_dir), Path(export))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "conversations.json"
        made = generate(export, args.messages, args.seed)
        print(f"generated {export.name}: {made['conversations']:,} conversations, {made['visible_messages']:,} "
              f"messages on the branches the user saw, {made['side_branch_messages']:,} on branches left "
              f"({made['bytes'] / 1e6:.1f} MB); load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        result = {"export": made, "import": run_child("import", Path(tmp) / "a", export)}
        imp = result["import"]
        print(f"import through the facade ({imp['backend']}): {imp['imported']:,} turns in {imp['total_s']:.1f} s = "
              f"{imp['turns_per_s']:.0f} turns/s (reading {imp['read_s']:.1f} s, embedding "
              f"{imp['stage_s'].get('Reading', 0):.1f} s, saving {imp['stage_s'].get('Saving', 0):.1f} s, the rest "
              f"{imp['total_s'] - imp['read_s'] - sum(imp['stage_s'].values()):.1f} s); rejected {imp['rejected']:,}")
        print(f"raw embedding of the same {imp['imported']:,} texts: {imp['raw_turns_per_s']:.0f} turns/s "
              f"({imp['raw_s']:.1f} s); ratio {imp['ratio']:.2f} (target >= 0.70)")
        print(f"progress callbacks: {imp['progress_calls']}; peak RSS of the import child "
              f"{imp['rss_mb_peak']:.0f} MB ({imp['rss_mb_before_import']:.0f} MB before the import, models loaded)")
        small = Path(tmp) / "cancel" / "conversations.json"
        small.parent.mkdir()
        generate(small, min(args.cancel_messages, args.messages), args.seed)
        result["cancel"] = run_child("cancel", Path(tmp) / "b", small)
        print(f"cancelling an import of {min(args.cancel_messages, args.messages):,} messages (the same generator):")
        for stage, run in result["cancel"]["runs"].items():
            print(f"cancel half-way through {stage.lower()} (at {run['cancelled_at']}): {run['outcome']}; "
                  f"stopped {run['cancel_latency_s'] or 0:.2f} s after the click; store unchanged: "
                  f"{run['unchanged']} ({run['after'][0]} records, {run['after'][1]} history entries)")
        print(f"after closing and opening the store again: unchanged {result['cancel']['reopened_unchanged']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
