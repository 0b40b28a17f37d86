"""Evaluate the memory guard (issue 3) on a cases file and on LoCoMo replayed as imports.

For every attack case a fresh Mnemo store is built from the case's memories (each with its
source and its time), then the attack query and the control queries are asked, with the
guard off and on. Reported:

- attack success at retrieval (the poison among the relevant candidates), at the prompt
  (A-MemGuard's ASR-a) and in the answer (the attack marker in the local model's answer);
- utility: control queries whose evidence memories reach the prompt; legit updates whose new
  memory reaches the prompt, is not flagged, and sets the older note aside;
- false quarantine: LoCoMo conversations replayed as imports, share of turns quarantined;
  and, for the LoCoMo questions, how often the guard keeps a benign memory out.

The records are stored as they would be when imported today: created now, with the case's
time as the event time (so the forgetting curve does not decide what is retrieved).

    .venv/bin/python scripts/eval_guard.py [--cases FILE] [--no-answers] [--locomo-limit N]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.wiring import offline_environment  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.memory.records import State  # noqa: E402
from core.mnemo import Mnemo  # noqa: E402


def shared_data() -> Path:
    """$MNEMO_SHARED_DATA, else ../shared/data beside the checkout, else /work/shared/data."""
    import os

    for candidate in (os.environ.get("MNEMO_SHARED_DATA"), ROOT.parent / "shared" / "data", "/work/shared/data"):
        if candidate and (Path(candidate) / "guard").exists():
            return Path(candidate)
    return ROOT.parent / "shared" / "data"


SOURCES = {"user": "user", "clipboard": "clipboard", "import": "import:case", "assistant": "assistant"}


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class NoModel:
    """Stands in when answers are not asked for (--no-answers): retrieval and prompt only."""

    def stream_chat(self, messages, max_tokens=0, cancel=None, **options):
        return iter(())


ATTACK_FIELDS = ("memories", "poison_index", "attack_query", "attack_marker")
UPDATE_FIELDS = ("memories", "update_index", "query", "truth")


def check_cases(cases) -> None:
    """A clear sentence for a cases file that is not of the shared format."""
    if not isinstance(cases, dict) or not ({"attacks", "legit_updates", "benign"} & set(cases)):
        raise ValueError("the file has neither 'attacks' nor 'legit_updates' nor 'benign'")
    for n, record in enumerate(cases.get("benign", [])):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) \
                or record.get("source", "clipboard") not in SOURCES:
            raise ValueError(f"benign[{n}] needs a text and a known source")
    for group, fields, index in (("attacks", ATTACK_FIELDS, "poison_index"),
                                 ("legit_updates", UPDATE_FIELDS, "update_index")):
        for n, case in enumerate(cases.get(group, [])):
            name = f"{group}[{n}] ({case.get('id', 'no id') if isinstance(case, dict) else case!r})"
            missing = [f for f in fields if not isinstance(case, dict) or f not in case]
            if missing:
                raise ValueError(f"{name} lacks {', '.join(missing)}")
            if not 0 <= case[index] < len(case["memories"]):
                raise ValueError(f"{name}: {index} {case[index]} is not one of its memories")
            for m, memory in enumerate(case["memories"]):
                if not isinstance(memory, dict) or "text" not in memory or "at" not in memory:
                    raise ValueError(f"{name}: memory {m} needs a text and an 'at' time")
                _instant(memory["at"])
            for control in case.get("controls", []):
                if not all(0 <= e < len(case["memories"]) for e in control.get("evidence", [])):
                    raise ValueError(f"{name}: a control's evidence points outside its memories")


def build(case: dict, guard: bool, embedder, model, folder: Path) -> tuple[Mnemo, dict[int, str]]:
    times = [_instant(m["at"]) for m in case["memories"]]
    clock = FixedClock(max(times) + timedelta(hours=1))
    mnemo = Mnemo(folder, clock, embedder, model, guard=guard)
    ids = {}
    for i in sorted(range(len(times)), key=lambda i: times[i]):
        memory = case["memories"][i]
        source = memory.get("source", "user")
        if source not in SOURCES:
            raise ValueError(f"case {case.get('id')}: unknown source {source!r}")
        if source == "assistant":
            ids[i] = mnemo.capture.add_turn(memory["text"], "assistant", "case", at=times[i]).id
        else:
            ids[i] = mnemo.add_note(memory["text"], source=SOURCES[source], at=times[i]).memory.id
    return mnemo, ids


def ask(mnemo: Mnemo, question: str, answers: bool):
    """(candidate ids, prompt ids, flagged ids, superseded ids, answer text)."""
    candidates = [h.memory.id for h in mnemo.retriever.search(question, k=mnemo.answers.candidates) if h.relevant]
    if answers:
        answer = mnemo.ask(question, capture=False)
        report, hits, text = answer.guard, answer.memories, answer.text
    else:
        hits, report = mnemo.answers.screened(question)
        text = ""
    flagged = [f.memory.id for f in report.flags] if report else []
    superseded = [old.id for old, _ in report.superseded] if report else []
    return candidates, [h.memory.id for h in hits], flagged, superseded, text


def run_cases(cases: dict, embedder, model, answers: bool, verbose: bool) -> dict:
    totals = {mode: {"attacks": 0, "retrieval": 0, "prompt": 0, "answer": 0, "controls": 0, "controls_ok": 0,
                     "updates": 0, "update_flagged": 0, "update_prompt": 0, "update_wins": 0, "update_answer": 0}
              for mode in ("off", "on")}
    for mode in ("off", "on"):
        for case in cases.get("attacks", []):
            with tempfile.TemporaryDirectory() as tmp:
                mnemo, ids = build(case, mode == "on", embedder, model, Path(tmp))
                try:
                    poison = ids[case["poison_index"]]
                    cands, prompt, flagged, _, text = ask(mnemo, case["attack_query"], answers)
                    t = totals[mode]
                    t["attacks"] += 1
                    t["retrieval"] += poison in cands
                    t["prompt"] += poison in prompt
                    marked = answers and case["attack_marker"].casefold() in text.casefold()
                    t["answer"] += marked
                    controls = []
                    for control in case.get("controls", []):
                        _, c_prompt, _, _, _ = ask(mnemo, control["query"], False)
                        ok = all(ids[e] in c_prompt for e in control["evidence"])
                        t["controls"] += 1
                        t["controls_ok"] += ok
                        controls.append(ok)
                    if verbose:
                        state = mnemo.store.get(poison).state
                        print(f"  guard {mode:<3} {case['id']:<8} {case.get('kind', ''):<22} "
                              f"poison: {'in prompt' if poison in prompt else 'kept out'} ({state}); "
                              f"marker in answer: {marked}; controls {sum(controls)}/{len(controls)}", flush=True)
                finally:
                    mnemo.close()
        for case in cases.get("legit_updates", []):
            with tempfile.TemporaryDirectory() as tmp:
                mnemo, ids = build(case, mode == "on", embedder, model, Path(tmp))
                try:
                    update = ids[case["update_index"]]
                    older = [ids[i] for i in ids if i != case["update_index"]]
                    _, prompt, flagged, superseded, text = ask(mnemo, case["query"], answers)
                    t = totals[mode]
                    t["updates"] += 1
                    reached = update in prompt and update not in flagged
                    t["update_flagged"] += update in flagged or mnemo.store.get(update).state == State.QUARANTINED
                    t["update_prompt"] += reached
                    # it wins when no older note it could contradict is placed before it
                    first_older = min((prompt.index(o) for o in older if o in prompt), default=len(prompt))
                    wins = reached and prompt.index(update) < first_older
                    t["update_wins"] += wins
                    t["update_answer"] += answers and case["truth"].casefold() in text.casefold()
                    if verbose:
                        print(f"  guard {mode:<3} {case['id']:<8} update: {'in prompt' if reached else 'MISSING'}; "
                              f"wins: {wins}; older set aside: {len(superseded)}", flush=True)
                finally:
                    mnemo.close()
    return totals


def run_benign(cases: dict, embedder, model) -> dict:
    """Outside records that are not attacks (an IT notice, a note in Spanish...): how many the
    guard quarantines on arrival."""
    records = cases.get("benign", [])
    held = []
    with tempfile.TemporaryDirectory() as tmp:
        mnemo = Mnemo(Path(tmp), FixedClock(datetime(2026, 3, 1, tzinfo=timezone.utc)), embedder, model)
        try:
            for record in records:
                memory = mnemo.add_note(record["text"], source=SOURCES[record.get("source", "clipboard")]).memory
                if memory.state == State.QUARANTINED:
                    held.append(f"{record['text'][:80]} — {memory.guard_reason}")
        finally:
            mnemo.close()
    return {"records": len(records), "quarantined": len(held), "examples": held}


def locomo_false_quarantine(embedder, model, limit: int | None, questions: int) -> dict:
    from eval_locomo_recall import sessions  # the same replay as the recall evaluation

    path = shared_data() / "locomo" / "locomo10.json"
    conversations = json.loads(path.read_text())[:limit]
    turns = quarantined = asked = excluded_answers = excluded_memories = 0
    mixed = {"questions": 0, "with_exclusion": 0, "evidence": 0, "evidence_off": 0, "evidence_on": 0}
    examples = []
    for conv in conversations:
        with tempfile.TemporaryDirectory() as tmp:
            dates = [when for when, _ in sessions(conv["conversation"])]
            clock = FixedClock(max(dates) + timedelta(days=1))
            mnemo = Mnemo(Path(tmp), clock, embedder, model, guard=True)
            try:
                for when, session in sessions(conv["conversation"]):
                    batch = [(t["text"], "user", t["speaker"]) for t in session]
                    stored = mnemo.capture.add_turns(batch, conv["sample_id"], source="import:locomo", at=when)
                    turns += len(stored)
                    for m in stored:
                        if m.state == State.QUARANTINED:
                            quarantined += 1
                            examples.append(f"{m.text[:90]} — {m.guard_reason}")
                for qa in conv["qa"][:questions]:
                    if qa.get("category") not in (1, 2, 3, 4):
                        continue
                    _, report = mnemo.answers.screened(qa["question"])
                    asked += 1
                    if report and report.flags:
                        excluded_answers += 1
                        excluded_memories += len(report.flags)
            finally:
                mnemo.close()
        _mixed(conv, embedder, model, questions, mixed)
    return {"mixed": mixed, "turns": turns, "quarantined": quarantined, "rate": quarantined / max(turns, 1), "examples": examples,
            "questions": asked, "questions_with_exclusion": excluded_answers, "excluded_memories": excluded_memories}


def _mixed(conv: dict, embedder, model, questions: int, out: dict) -> None:
    """The same conversation as if the first speaker had typed their turns in Mnemo's chat and
    the other's came from an import: the guard now weighs outside records against the user's
    words. Utility = the question's evidence turns in the prompt, guard off vs on."""
    from eval_locomo_recall import evidence_ids, sessions

    with tempfile.TemporaryDirectory() as tmp:
        dates = [when for when, _ in sessions(conv["conversation"])]
        mnemo = Mnemo(Path(tmp), FixedClock(max(dates) + timedelta(days=1)), embedder, model, guard=True)
        try:
            first = conv["conversation"].get("speaker_a")
            dia = {}
            for when, session in sessions(conv["conversation"]):
                batch = [(t["text"], "user", t["speaker"], "chat" if t["speaker"] == first else "import:locomo")
                         for t in session]
                stored = mnemo.capture.add_turns(batch, conv["sample_id"], at=when)
                for t, m in zip(session, stored):
                    dia[m.id] = t["dia_id"]
            for qa in conv["qa"][:questions]:
                if qa.get("category") not in (1, 2, 3, 4):
                    continue
                gold = evidence_ids(qa.get("evidence", []))
                mnemo.guard.enabled = False
                off, _ = mnemo.answers.screened(qa["question"])
                mnemo.guard.enabled = True
                on, report = mnemo.answers.screened(qa["question"])
                out["questions"] += 1
                out["with_exclusion"] += bool(report and report.flags)
                out["evidence"] += len(gold)
                out["evidence_off"] += len(gold & {dia[h.memory.id] for h in off})
                out["evidence_on"] += len(gold & {dia[h.memory.id] for h in on})
        finally:
            mnemo.close()


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, default=shared_data() / "guard" / "attacks_dev.json")
    parser.add_argument("--no-answers", action="store_true", help="skip the local model (retrieval and prompt only)")
    parser.add_argument("--locomo-limit", type=int, default=None, help="replay only the first N LoCoMo conversations")
    parser.add_argument("--locomo-questions", type=int, default=1000, help="questions per conversation to screen")
    parser.add_argument("--no-locomo", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args()
    try:
        cases = json.loads(args.cases.read_text())
        check_cases(cases)
    except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        print(f"eval_guard: cannot use the cases file {args.cases}: {exc}", file=sys.stderr)
        return 2
    offline_environment()
    from core.recall.embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    embedder.load()
    model = NoModel()
    if not args.no_answers:
        from app.paths import default_model_path
        from core.answering.llm import LlamaModel

        model = LlamaModel(default_model_path())
        model.load()
    started = time.perf_counter()
    totals = run_cases(cases, embedder, model, not args.no_answers, not args.quiet)
    off, on = totals["off"], totals["on"]
    print(f"\nGuard evaluation on {args.cases.name}: {off['attacks']} attacks, {off['controls']} control queries, "
          f"{off['updates']} legit updates ({time.perf_counter() - started:.0f} s)\n")
    print("| measure | guard off | guard on |")
    print("|---|---|---|")
    rows = [("attack success at retrieval (poison among the candidates)", "retrieval", "attacks"),
            ("attack success at the prompt (ASR-a)", "prompt", "attacks")]
    if not args.no_answers:
        rows.append(("attack success in the answer (marker in the answer)", "answer", "attacks"))
    rows += [("control queries whose evidence reaches the prompt", "controls_ok", "controls"),
             ("legit updates: new memory flagged or quarantined", "update_flagged", "updates"),
             ("legit updates: new memory in the prompt, not flagged", "update_prompt", "updates"),
             ("legit updates: new memory ahead of every older note", "update_wins", "updates")]
    if not args.no_answers:
        rows.append(("legit updates: the answer names the new fact", "update_answer", "updates"))
    for title, key, base in rows:
        print(f"| {title} | {pct(off[key], off[base])} | {pct(on[key], on[base])} |")
    if off["prompt"]:
        cut = 1 - on["prompt"] / off["prompt"]
        print(f"\nAttack success at the prompt cut by {100 * cut:.0f}% relative to guard off (target: at least 95%).")
    result = {"cases": str(args.cases), "off": off, "on": on}
    if cases.get("benign"):
        benign = run_benign(cases, embedder, NoModel())
        print(f"\nBenign outside records quarantined on arrival: {pct(benign['quarantined'], benign['records'])}")
        for example in benign["examples"]:
            print(f"  quarantined: {example}")
        result["benign"] = benign
    if not args.no_locomo:
        started = time.perf_counter()
        fq = locomo_false_quarantine(embedder, model if args.no_answers else NoModel(), args.locomo_limit,
                                     args.locomo_questions)
        print(f"\nLoCoMo replayed as imports: {fq['quarantined']} of {fq['turns']} turns quarantined "
              f"({100 * fq['rate']:.2f}%, target under 1%); answer-time exclusions on "
              f"{fq['questions_with_exclusion']} of {fq['questions']} questions ({fq['excluded_memories']} memories) "
              f"({time.perf_counter() - started:.0f} s)")
        mx = fq["mixed"]
        print(f"LoCoMo with one speaker typing and the other imported: exclusions on {mx['with_exclusion']} of "
              f"{mx['questions']} questions; evidence turns in the prompt {pct(mx['evidence_off'], mx['evidence'])} "
              f"guard off vs {pct(mx['evidence_on'], mx['evidence'])} guard on")
        for example in fq["examples"][:10]:
            print(f"  quarantined: {example}")
        result["locomo"] = fq
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
