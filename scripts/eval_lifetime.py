"""LoCoMo lived day by day: does Mnemo still bring the right memories months later?

    .venv/bin/python scripts/eval_lifetime.py [--limit N] [--json OUT]   (also `mnemo eval lifetime`)

Each conversation gets a fresh store (real LanceDB, real MiniLM). Its sessions arrive on their
own dates with the clock moving, as imported turns (source import:locomo, speaker kept); before
each session the app's upkeep catches up (facts, decay sweep, day summaries, overview, portrait).
After the last session the questions (categories 1-4) are put right away and again at +1, +3 and
+6 months, the upkeep catching up at each, with no use in between (the prompt is chosen without
answering, so nothing is reinforced). Reported, for Mnemo and for the same run with decay off:

- evidence in the prompt: the share of a question's evidence turns among the prompt's memories
  (a fact counts for the turns it was distilled from), by horizon;
- small talk forgotten: of the turns judged small talk, the share fading or forgotten 60 days
  after the last session (nothing used them);
- facts made, said again (merged) and superseded;
- the strong cue (Retriever.cued): at +6 months, of the forgotten memories it brought back, the
  share that were evidence, by similarity band (how CUE_SIMILARITY was chosen, on the fit half).

Conversations 1-5 are the fit half (thresholds were chosen there), 6-10 the held-out half."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_locomo_recall import DEFAULT_DATA, FIT, evidence_ids, sessions  # noqa: E402

from app.wiring import offline_environment  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.memory.decay import DecayPolicy  # noqa: E402
from core.memory.records import Kind, State  # noqa: E402
from core.mnemo import Mnemo  # noqa: E402

GRID = (0.3, 0.4, 0.5, 0.6, 0.7)
HORIZONS = {"+0": 0, "+1 month": 30, "+3 months": 91, "+6 months": 182}
NO_DECAY = DecayPolicy(min_strength_days=1e9, max_strength_days=1e9, retention_weight=0.0)


class NoModel:
    """The prompt is all that is measured: nothing is generated."""

    def stream_chat(self, messages, max_tokens=0, cancel=None, **options):
        return iter(())


class CachedEmbedder:
    """The same texts embedded once for both runs (decay on and off)."""

    def __init__(self, inner):
        self.inner, self.dim, self._cache = inner, inner.dim, {}

    def embed(self, texts):
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self.inner.embed(missing)):
                self._cache[text] = vector
        return np.stack([self._cache[t] for t in texts]) if texts else self.inner.embed([])


def live(conv: dict, embedder, policy: DecayPolicy, folder: Path, cues: list[float] | None = None) -> dict:
    """One conversation lived day by day; `cues`: CUE_SIMILARITY values tried at each horizon
    (the grid), the first one being the one reported as Mnemo."""
    from core.recall import retrieval

    cues = cues or [retrieval.CUE_SIMILARITY]
    chosen = retrieval.CUE_SIMILARITY
    dates = list(sessions(conv["conversation"]))
    clock = FixedClock(dates[0][0])
    mnemo = Mnemo(folder, clock, embedder, NoModel(), policy=policy)
    dia_of: dict[str, str] = {}
    facts = {"made": 0, "merged": 0, "superseded": 0}
    try:
        for when, session in dates:
            clock.set(when)
            mnemo.catch_up()
            batch = [(t["text"], "user", t["speaker"]) for t in session]
            stored = mnemo.capture.add_turns(batch, conv["sample_id"], source="import:locomo", at=when)
            for memory, turn in zip(stored, session):
                dia_of[memory.id] = turn["dia_id"]
        last = dates[-1][0]
        questions = [qa for qa in conv["qa"] if qa.get("category") in (1, 2, 3, 4) and evidence_ids(qa.get("evidence", []))]
        out = {"horizons": {}, "cued": [], "grid": {}}
        clock.set(last + timedelta(days=60))
        mnemo.catch_up()
        talk = [m for m in mnemo.store.all(kinds=[Kind.TURN]) if m.importance_reason.startswith("small talk")]
        out["small_talk"] = (len(talk), sum(m.state in (State.FADING, State.FORGOTTEN) for m in talk))
        for name, days in HORIZONS.items():
            clock.set(last + timedelta(days=days, hours=1))
            mnemo.catch_up()
            for cue in cues:
                retrieval.CUE_SIMILARITY = cue
                found = total = 0
                for qa in questions:
                    gold = evidence_ids(qa["evidence"])
                    hits, _ = mnemo.answers.screened(qa["question"])
                    shown = set()
                    for hit in hits:
                        ids = hit.memory.links if hit.memory.kind == Kind.FACT else (hit.memory.id,)
                        shown |= {dia_of[i] for i in ids if i in dia_of}
                        if hit.cued and name == "+6 months" and cue == cues[0]:
                            out["cued"].append((hit.dense_score or 0.0, dia_of.get(hit.memory.id) in gold))
                    found += len(gold & shown)
                    total += len(gold)
                out["grid"].setdefault(name, {})[cue] = (found, total)
                if cue == cues[0]:
                    out["horizons"][name] = (found, total)
            retrieval.CUE_SIMILARITY = chosen
        for entry in mnemo.store.history():
            if entry.actor == "consolidation":
                if entry.action == "created":
                    facts["made"] += 1
                elif "superseded" in entry.reason:
                    facts["superseded"] += 1
                elif "said again" in entry.reason:
                    facts["merged"] += 1
        out["facts"] = facts
        out["forgotten"] = sum(m.state == State.FORGOTTEN for m in mnemo.store.all(kinds=[Kind.TURN]))
        out["turns"] = len(dia_of)
        return out
    finally:
        mnemo.close()


def add(into: dict, result: dict) -> None:
    for name, (found, total) in result["horizons"].items():
        into["horizons"].setdefault(name, [0, 0])
        into["horizons"][name][0] += found
        into["horizons"][name][1] += total
    into["small_talk"][0] += result["small_talk"][0]
    into["small_talk"][1] += result["small_talk"][1]
    for key, value in result["facts"].items():
        into["facts"][key] += value
    into["cued"] += result["cued"]
    for name, by_cue in result["grid"].items():
        for cue, (found, total) in by_cue.items():
            cell = into["grid"].setdefault(name, {}).setdefault(str(cue), [0, 0])
            cell[0] += found
            cell[1] += total
    into["turns"] += result["turns"]
    into["forgotten"] += result["forgotten"]


def empty() -> dict:
    return {"horizons": {}, "small_talk": [0, 0], "facts": {"made": 0, "merged": 0, "superseded": 0}, "cued": [],
            "turns": 0, "forgotten": 0, "grid": {}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N conversations")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cue-grid", action="store_true",
                        help="also try CUE_SIMILARITY 0.3-0.7 at each horizon (how it was chosen, on the fit half)")
    parser.add_argument("--half", choices=("fit", "held out", "both"), default="both")
    parser.add_argument("--cue-rank", type=int, help="try another CUE_RANK (default: the one in core/recall/retrieval.py)")
    parser.add_argument("--cues", help="the CUE_SIMILARITY values --cue-grid tries, comma-separated (default 0.3-0.7)")
    parser.add_argument("--retention-weight", type=float, help="try another DecayPolicy.retention_weight for Mnemo")
    args = parser.parse_args()
    offline_environment()
    from core.recall.embedder import MiniLMEmbedder

    inner = MiniLMEmbedder()
    inner.load()
    embedder = CachedEmbedder(inner)
    conversations = json.loads(args.data.read_text())[:args.limit]
    started = time.perf_counter()
    results = {mode: {"fit": empty(), "held out": empty()} for mode in ("mnemo", "no decay")}
    from core.recall import retrieval
    from core.recall.retrieval import CUE_SIMILARITY

    if args.cue_rank:
        retrieval.CUE_RANK = args.cue_rank

    grid = [float(c) for c in args.cues.split(",")] if args.cues else GRID
    cues = [CUE_SIMILARITY] + ([c for c in grid if c != CUE_SIMILARITY] if args.cue_grid else [])
    mnemo_policy = DecayPolicy() if args.retention_weight is None else DecayPolicy(retention_weight=args.retention_weight)
    for number, conv in enumerate(conversations, start=1):
        half = "fit" if number <= FIT else "held out"
        if args.half != "both" and half != args.half:
            continue
        for mode, policy in (("mnemo", mnemo_policy), ("no decay", NO_DECAY)):
            with tempfile.TemporaryDirectory() as tmp:
                add(results[mode][half], live(conv, embedder, policy, Path(tmp), cues if mode == "mnemo" else None))
        print(f"  {conv['sample_id']} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def report(results: dict) -> None:
    print("\nEvidence in the prompt (share of evidence turns among the prompt's memories; facts count for "
          "their source turns)\n")
    print("| half | horizon | Mnemo | decay off | ratio |")
    print("|---|---|---|---|---|")
    for half in ("fit", "held out"):
        on, off = results["mnemo"][half]["horizons"], results["no decay"][half]["horizons"]
        for name in HORIZONS:
            if name not in on:
                continue
            a, b = on[name][0] / max(on[name][1], 1), off[name][0] / max(off[name][1], 1)
            print(f"| {half} | {name} | {a:.3f} | {b:.3f} | {a / b if b else float('nan'):.2f} |")
    for half in ("fit", "held out"):
        grid, off = results["mnemo"][half]["grid"], results["no decay"][half]["horizons"]
        if any(len(by_cue) > 1 for by_cue in grid.values()):
            print(f"\n{half}: evidence in the prompt by CUE_SIMILARITY (ratio to decay off)")
            for name, by_cue in grid.items():
                base = off[name][0] / max(off[name][1], 1)
                print(f"  {name}: " + ", ".join(f"{c}: {f / max(t, 1):.3f} ({f / max(t, 1) / base if base else 0:.2f})"
                                                 for c, (f, t) in sorted(by_cue.items())))
    for half in ("fit", "held out"):
        r = results["mnemo"][half]
        talk, faded = r["small_talk"]
        f = r["facts"]
        print(f"\n{half}: small talk fading or forgotten 60 days after the last session: {faded}/{talk} "
              f"({100 * faded / max(talk, 1):.0f}%); turns forgotten at +6 months {r['forgotten']}/{r['turns']}; "
              f"facts made {f['made']}, said again {f['merged']}, superseded {f['superseded']}")
        bands = defaultdict(lambda: [0, 0])
        for score, right in r["cued"]:
            band = f"{min(int(score * 10) / 10, 0.9):.1f}"
            bands[band][0] += right
            bands[band][1] += 1
        if bands:
            print(f"{half}: strong cues at +6 months, evidence / brought back, by similarity: "
                  + ", ".join(f"{b}+ {r_}/{n}" for b, (r_, n) in sorted(bands.items())))


if __name__ == "__main__":
    sys.exit(main())
