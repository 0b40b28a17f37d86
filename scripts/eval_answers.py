"""Are Mnemo's answers right, grounded, or plainly silent? Facts told over months, then asked.

    .venv/bin/python scripts/eval_answers.py [--model PATH] [--grid] [--json OUT]

The questions are scripts/data/answer_dev.json (written for issue 14; personas ana, ben, chloe
are the fit part, dev, emma, farid held out). Each persona gets a fresh store (real LanceDB,
real MiniLM, the GGUF through llama-cpp-python). Its memories arrive on their own dates with
the clock moving and the app's upkeep catching up before each: a note through `add_note`, a
chat line through `ask` as the chat does (the question and the assistant's reply are stored
too, so its own earlier words are there to be mistaken for evidence). At `now` the upkeep
catches up again and every question is asked through `ask` (captured, like the chat), the
persona's single-fact questions first, then the never-told ones, in file order.

Reported per split:
- right: single-fact answers holding an accepted value and no `wrong` one (an old value);
- unsupported: answers naming a name, number, month or weekday that nothing the persona told
  holds (grounding.check against every memory told, with its day, and the question);
  abstentions are supported;
- abstained: never-told questions answered with plain abstention;
- how answers were made (model / phrased / quote / nothing) and the p50 time to the answer.

--grid also scores, on the fit part only, extract.ANSWERS x extract.ALONE (the extractive
answer's thresholds): the memories each question brings are chosen once, then every setting
picks its sentence (quotes, no model). A setting's score is right single-fact answers plus
plain abstentions; the setting kept in extract.py is the best on fit."""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.wiring import offline_environment  # noqa: E402
from core.answering import extract, grounding  # noqa: E402
from core.answering.answer import NOTHING  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.days import day_of  # noqa: E402
from core.mnemo import Mnemo  # noqa: E402

DATA = ROOT / "scripts" / "data" / "answer_dev.json"
ANSWERS_GRID = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
ALONE_GRID = (0.5, 0.55, 0.6, 0.65, 0.7)
ABSTAIN = (NOTHING.casefold(), "don't know", "do not know", "no information", "not mentioned")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def abstains(text: str) -> bool:
    return any(phrase in text.casefold() for phrase in ABSTAIN)


def right(text: str, question: dict) -> bool:
    said = text.casefold()
    return (not abstains(text) and any(a.casefold() in said for a in question["accept"])
            and not any(w.casefold() in said for w in question.get("wrong", ())))


def told_sources(persona: dict) -> list[str]:
    """What the persona told, with its day: what any answer may name."""
    return [grounding.support_text(_Told(m["text"]), day_of(at(m["at"]).timestamp())) for m in persona["memories"]]


class _Told:
    def __init__(self, text: str):
        self.text, self.speaker = text, ""


def unsupported(text: str, question: str, sources: list[str]) -> bool:
    return not abstains(text) and not grounding.check(text, sources, question).supported


def live(persona: dict, folder: Path, embedder, model) -> Mnemo:
    """The persona's months, lived: memories on their dates, the upkeep catching up before each."""
    clock = FixedClock(at(persona["memories"][0]["at"]))
    mnemo = Mnemo(folder, clock, embedder, model)
    for memory in persona["memories"]:
        clock.set(at(memory["at"]))
        mnemo.catch_up()
        if memory["via"] == "note":
            mnemo.add_note(memory["text"], at=clock.now())
        else:
            mnemo.ask(memory["text"], conversation_id=f"chat-{persona['name']}")
    clock.set(at(persona["now"]))
    mnemo.catch_up()
    return mnemo


def asked(persona: dict, mnemo: Mnemo) -> list[dict]:
    sources = told_sources(persona)
    rows = []
    items = [(q, True) for q in persona["questions"]] + [({"q": q}, False) for q in persona["never_told"]]
    for question, single in items:
        t0 = time.perf_counter()
        answer = mnemo.ask(question["q"], conversation_id=f"questions-{persona['name']}")
        rows.append({"persona": persona["name"], "question": question["q"], "single_fact": single,
                     "answer": answer.text, "method": answer.method, "support": list(answer.support),
                     "right": right(answer.text, question) if single else abstains(answer.text),
                     "unsupported": unsupported(answer.text, question["q"], sources),
                     "seconds": round(time.perf_counter() - t0, 2)})
    return rows


def summary(rows: list[dict]) -> dict:
    facts = [r for r in rows if r["single_fact"]]
    never = [r for r in rows if not r["single_fact"]]
    methods: dict[str, int] = {}
    for r in rows:
        methods[r["method"]] = methods.get(r["method"], 0) + 1
    return {"single_fact": len(facts), "right": sum(r["right"] for r in facts),
            "never_told": len(never), "abstained": sum(r["right"] for r in never),
            "answers": len(rows), "unsupported": sum(r["unsupported"] for r in rows),
            "methods": methods, "p50_s": round(statistics.median(r["seconds"] for r in rows), 2) if rows else None}


def grid(personas: list[dict], embedder, model, folder: Path) -> dict:
    """Fit part only: each setting of (ANSWERS, ALONE) picks the quote from the same memories."""
    cases = []
    for persona in personas:
        mnemo = live(persona, folder / f"grid-{persona['name']}", embedder, model)
        try:
            for q in persona["questions"] + [{"q": q} for q in persona["never_told"]]:
                hits = mnemo.answers.select(q["q"])
                cases.append((q, hits, "accept" in q))
        finally:
            mnemo.close()
    kept = (extract.ANSWERS, extract.ALONE)
    scores = {}
    try:
        for answers in ANSWERS_GRID:
            for alone in ALONE_GRID:
                extract.ANSWERS, extract.ALONE = answers, alone
                total = 0
                for q, hits, single in cases:
                    quote = extract.best(q["q"], hits, embedder.embed) if hits else None
                    text = quote.text() if quote is not None else NOTHING
                    total += right(text, q) if single else abstains(text)
                scores[f"{answers}/{alone}"] = total
    finally:
        extract.ANSWERS, extract.ALONE = kept
    return {"cases": len(cases), "scores": scores, "kept": f"{kept[0]}/{kept[1]}"}


def main() -> int:
    from app.paths import default_model_path
    from core.answering.llm import LlamaModel
    from core.recall.embedder import MiniLMEmbedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--model", type=Path, help="any GGUF file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--grid", action="store_true", help="also score the extractive thresholds on the fit part")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    offline_environment()
    personas = json.loads(args.data.read_text())["personas"]
    embedder = MiniLMEmbedder()
    model = LlamaModel(args.model or default_model_path())
    model.load()
    started = time.perf_counter()
    out: dict = {"model": model.path.name, "thresholds": {"ANSWERS": extract.ANSWERS, "ALONE": extract.ALONE}}
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.grid:
            out["grid"] = grid([p for p in personas if p["split"] == "fit"], embedder, model, Path(tmp))
            best = max(out["grid"]["scores"].items(), key=lambda kv: kv[1])
            print(f"grid on fit ({out['grid']['cases']} questions; right + abstained): best {best[0]} = {best[1]}, "
                  f"kept {out['grid']['kept']} = {out['grid']['scores'].get(out['grid']['kept'])}")
            for name, value in out["grid"]["scores"].items():
                print(f"  ANSWERS/ALONE {name}: {value}")
        for persona in personas:
            mnemo = live(persona, Path(tmp) / persona["name"], embedder, model)
            try:
                rows += asked(persona, mnemo)
            finally:
                mnemo.close()
            print(f"  {persona['name']} ({persona['split']}): {time.perf_counter() - started:.0f} s")
    split_of = {p["name"]: p["split"] for p in personas}
    out["splits"] = {split: summary([r for r in rows if split_of[r["persona"]] == split]) for split in ("fit", "held_out")}
    out["rows"] = rows
    print(f"\nAnswers with {out['model']} (ANSWERS {extract.ANSWERS}, ALONE {extract.ALONE}):")
    print(f"{'split':<10}{'right':>12}{'unsupported':>14}{'abstained':>12}{'p50 s':>8}  how")
    for split, s in out["splits"].items():
        print(f"{split:<10}{s['right']:>5}/{s['single_fact']:<3}{s['right'] / max(s['single_fact'], 1):>4.0%}"
              f"{s['unsupported']:>6}/{s['answers']:<3}{s['unsupported'] / max(s['answers'], 1):>4.0%}"
              f"{s['abstained']:>5}/{s['never_told']:<3}{s['abstained'] / max(s['never_told'], 1):>4.0%}"
              f"{s['p50_s']:>7}  {s['methods']}")
    for r in rows:
        if not r["right"] or r["unsupported"]:
            print(f"  miss [{r['persona']}] {r['question']} -> {r['answer'][:110]}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
