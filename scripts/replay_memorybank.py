"""Replay MemoryBank's 15 users x 10 days through Mnemo with a moving clock, then check what
issue 6 asks: every day summarised, a portrait naming the user's stated hobbies, recalled
memories stronger than comparable unrecalled ones, and the probing questions answered.

    .venv/bin/python scripts/replay_memorybank.py [--users N] [--no-probe] [--transcript FILE]

How a day is replayed: the clock is set to that day; Mnemo "starts" and catches up (day
summaries of earlier days, the decay sweep, overview, portrait), as the desktop app does on
start. Each of the user's messages is then handled as a chat message is: Mnemo selects the
memories it would put in the prompt and reinforces them (the recall), and the exchange is
captured as two turns, the assistant's being the recorded reply (generating 750 replies with
the small model would take half an hour and add nothing to what is measured here).

After the last day, the clock moves to the next morning, Mnemo catches up once more, and
the probing questions are asked through the real local model (unless --no-probe)."""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

def shared_data() -> Path:
    """The project's shared data folder: $MNEMO_SHARED_DATA, else ../shared/data beside the
    checkout, else /work/shared/data (where the evaluation data lives on the reference machine)."""
    import os

    candidates = [os.environ.get("MNEMO_SHARED_DATA"), ROOT.parent / "shared" / "data", "/work/shared/data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "memorybank" / "memory_bank_en.json").exists():
            return Path(candidate)
    return ROOT.parent / "shared" / "data"


DATA = shared_data() / "memorybank"
HOBBIES = ROOT / "tests" / "data" / "memorybank_hobbies.json"


@dataclass
class UserResult:
    name: str
    days: list[str]
    summarised_days: list[str]
    portrait: str
    hobbies: list[str]
    hobbies_named: list[str]
    recalled_strength: float | None
    unrecalled_strength: float | None
    recalled_retention: float | None
    unrecalled_retention: float | None
    probes: list[dict] = field(default_factory=list)


def load_users() -> dict[str, dict]:
    raw = json.loads((DATA / "memory_bank_en.json").read_text(encoding="utf-8"))
    return {name.strip(): user for name, user in raw.items()}


def load_probes() -> dict[str, list[str]]:
    probes: dict[str, list[str]] = {}
    for line in (DATA / "probing_questions_en.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            for name, questions in json.loads(line).items():
                probes.setdefault(name.strip(), []).extend(questions)
    return probes


def replay_user(name: str, user: dict, embedder, model, workdir: Path, probes: list[str] | None) -> UserResult:
    from core.clock import FixedClock
    from core.memory.records import Kind
    from core.mnemo import Mnemo

    days = sorted(user["history"])
    clock = FixedClock(datetime.fromisoformat(days[0]).replace(hour=8, tzinfo=timezone.utc))
    mnemo = Mnemo(workdir / name.replace(" ", "_"), clock, embedder, model)
    try:
        for day in days:
            clock.set(datetime.fromisoformat(day).replace(hour=19, tzinfo=timezone.utc))
            mnemo.catch_up()  # the app starts in the evening and catches up
            for turn in user["history"][day]:
                clock.advance(minutes=2)
                used = mnemo.answers.select(turn["query"])
                if used:
                    mnemo.forgetting.reinforce([h.memory.id for h in used], reason="replayed chat")
                mnemo.capture.add_turns([(turn["query"], "user", ""), (turn["response"], "assistant", "")],
                                        f"{name}-{day}")
        clock.set(datetime.fromisoformat(days[-1]).replace(hour=8, tzinfo=timezone.utc) + timedelta(days=1))
        mnemo.catch_up()
        summarised = sorted(d.event_at and datetime.fromtimestamp(d.event_at, timezone.utc).date().isoformat()
                            for d in mnemo.day_summaries())
        portrait = mnemo.portrait().text if mnemo.portrait() else ""
        hobbies = _hobbies().get(name, [])
        named = [h for h in hobbies if h in portrait.lower()]
        strong = _compare(mnemo, Kind)
        active = [d for d in days if user["history"][d]]  # a day without a message has nothing to summarise
        result = UserResult(name, active, summarised, portrait, hobbies, named, *strong)
        for question in probes or []:
            answer = mnemo.ask(question, capture=False)
            result.probes.append({"question": question, "answer": answer.text,
                                  "memories": [h.memory.text[:160] for h in answer.memories]})
        return result
    finally:
        mnemo.close()


def _compare(mnemo, Kind) -> tuple:
    """Mean strength and retention now of the user's turns that were recalled during the
    replay against the user's turns of the same days and the same importance that were not
    (importance sets the strength a memory starts with, so only equals are compared)."""
    turns = [m for m in mnemo.store.all(kinds=[Kind.TURN]) if m.role == "user"]
    recalled = [m for m in turns if m.recall_count > 0]
    keys = {(int(m.created_at // 86400), round(m.importance, 3)) for m in recalled}
    others = [m for m in turns if m.recall_count == 0 and (int(m.created_at // 86400), round(m.importance, 3)) in keys]
    recalled = [m for m in recalled if (int(m.created_at // 86400), round(m.importance, 3))
                in {(int(o.created_at // 86400), round(o.importance, 3)) for o in others}]
    if not recalled or not others:
        return None, None, None, None
    return (statistics.mean(m.strength for m in recalled), statistics.mean(m.strength for m in others),
            statistics.mean(mnemo.retention(m) for m in recalled), statistics.mean(mnemo.retention(m) for m in others))


def _hobbies() -> dict[str, list[str]]:
    raw = json.loads(HOBBIES.read_text(encoding="utf-8"))
    return {name: [e["keyword"] for e in entries] for name, entries in raw.items() if not name.startswith("_")}


def replay(names: list[str] | None = None, probe: bool = True, embedder=None, model=None) -> list[UserResult]:
    from app.paths import default_model_path
    from app.wiring import offline_environment
    from core.answering.llm import LlamaModel
    from core.recall.embedder import MiniLMEmbedder

    offline_environment()
    users = load_users()
    probes = load_probes() if probe else {}
    embedder = embedder or MiniLMEmbedder()
    model = model or LlamaModel(default_model_path())
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(users):
            results.append(replay_user(name, users[name], embedder, model, Path(tmp), probes.get(name)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description="Replay MemoryBank through Mnemo.")
    parser.add_argument("--users", type=int, default=None, help="only the first N users")
    parser.add_argument("--no-probe", action="store_true", help="skip asking the probing questions")
    parser.add_argument("--transcript", type=Path, default=None, help="write the probing transcript (Markdown)")
    args = parser.parse_args()
    names = list(load_users())[: args.users] if args.users else None
    started = time.perf_counter()
    results = replay(names, probe=not args.no_probe)
    print(f"{'user':<11} {'days':>4} {'summ.':>5} {'hobbies':>8}  strength rec/not  retention rec/not")
    for r in results:
        strength = f"{r.recalled_strength:5.1f}/{r.unrecalled_strength:5.1f}" if r.recalled_strength else "   -/-   "
        kept = f"{r.recalled_retention:.2f}/{r.unrecalled_retention:.2f}" if r.recalled_retention else "-/-"
        print(f"{r.name:<11} {len(r.days):>4} {len(r.summarised_days):>5} "
              f"{len(r.hobbies_named):>3}/{len(r.hobbies):<4}  {strength:>16}  {kept:>16}")
    total_h = sum(len(r.hobbies) for r in results)
    named_h = sum(len(r.hobbies_named) for r in results)
    print(f"days summarised: {sum(len(r.summarised_days) for r in results)}/{sum(len(r.days) for r in results)}; "
          f"hobbies named in portraits: {named_h}/{total_h}; "
          f"recalled stronger than not: {sum(1 for r in results if (r.recalled_strength or 0) > (r.unrecalled_strength or 0))}"
          f"/{len(results)} users; probing questions asked: {sum(len(r.probes) for r in results)}; "
          f"took {time.perf_counter() - started:.0f} s")
    if args.transcript:
        args.transcript.write_text(transcript(results), encoding="utf-8")
        print(f"transcript: {args.transcript}")
    return 0


def transcript(results: list[UserResult]) -> str:
    lines = ["# MemoryBank replay: probing questions answered by the default model", "",
             "Generated by `scripts/replay_memorybank.py --transcript`. Each answer lists the memories "
             "placed in its prompt.", ""]
    for r in results:
        lines += [f"## {r.name}", "", "Portrait:", "", "```", r.portrait, "```", ""]
        for i, p in enumerate(r.probes, 1):
            lines += [f"{i}. **Q:** {p['question']}", f"   **A:** {p['answer']}", "   memories used:"]
            lines += [f"   - {m}" for m in p["memories"]] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
