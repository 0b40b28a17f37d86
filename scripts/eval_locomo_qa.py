"""LoCoMo question answering with the local model, through Mnemo's normal answer path.

    .venv/bin/python scripts/eval_locomo_qa.py [--model PATH] [--per-conversation 25]
        [--conversations 10] [--json OUT]

Each conversation is imported into its own store (the normal import path, session dates
kept); each sampled question is asked with `Mnemo.ask(capture=False)` (retrieval, guard,
prompt, the GGUF model). Scoring, after the LoCoMo paper's evaluation code:
- answers are normalised: lowercase, punctuation and the articles a/an/the removed, each
  word Porter-stemmed (Snowball English, PyStemmer); token F1 over the two bags of words;
- category 1 (multi-hop): the gold answer's comma-separated parts are each matched to the
  best part of the prediction, and the F1s averaged; category 3 uses the gold answer up to
  its first ';';
- category 5 (adversarial: the conversation does not say): the model should abstain; an
  answer abstains when it says so (ABSTAIN phrases below). Reported as the abstention rate.
- unsupported: the share of answers that name, number or date something no memory of the
  prompt and not the question holds (`core.answering.grounding.check`); abstentions count as
  supported. Quotes are scored as shown ("From a conversation of 8 May 2023, Caroline said:
  ..."), and again as the quoted sentence alone (`f1_sentence`).
Questions are sampled per conversation with a fixed seed, the same for every category mix;
--per-conversation 0 asks all 1,986."""
from __future__ import annotations

import argparse
import json
import random
import re
import string
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop", 5: "adversarial"}
ABSTAIN = ("not mentioned", "no information", "don't know", "do not know", "don't remember", "do not remember",
           "not sure", "cannot answer", "can't answer", "no record", "not specified", "unknown", "no mention",
           "not stated", "doesn't say", "does not say", "there is no", "i'm not aware", "not aware",
           "don't have anything")


def normalise(text: str) -> list[str]:
    from core.text import _stemmer

    text = str(text).lower().replace(",", " ")
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    words = [w for w in text.split() if w not in ("a", "an", "the", "and")]
    return _stemmer().stemWords(words)


def f1(prediction: str, gold: str) -> float:
    p, g = normalise(prediction), normalise(gold)
    common = sum((Counter(p) & Counter(g)).values())
    if not p or not g or common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def f1_multi(prediction: str, gold: str) -> float:
    parts = [x for x in prediction.split(",") if x.strip()] or [prediction]
    golds = [x for x in gold.split(",") if x.strip()] or [gold]
    return sum(max(f1(p, g) for p in parts) for g in golds) / len(golds)


def score(category: int, prediction: str, gold) -> float:
    gold = str(gold)
    if category == 1:
        return f1_multi(prediction, gold)
    if category == 3:
        gold = gold.split(";")[0]
    return f1(prediction, gold)


def abstains(prediction: str) -> bool:
    text = re.sub(r"\s+", " ", prediction.lower())
    return any(phrase in text for phrase in ABSTAIN)


def unsupported(answer, question: str) -> bool:
    """Does the answer state a name, number or date that no memory of its prompt holds?"""
    from core.answering import grounding
    from core.days import day_of

    if abstains(answer.text):
        return False
    sources = [grounding.support_text(h.memory, day_of(h.memory.when)) for h in answer.memories]
    return not grounding.check(answer.text, sources, question).supported


def sample(qa: list[dict], per_conversation: int, rng: random.Random) -> list[dict]:
    usable = [q for q in qa if q.get("category") in CATEGORIES]
    if per_conversation <= 0 or per_conversation >= len(usable):
        return usable
    return rng.sample(usable, per_conversation)


def evaluate(data: Path, model_path: Path | None, per_conversation: int, conversations: int | None,
             progress=print) -> dict:
    from app.paths import default_model_path
    from app.wiring import offline_environment
    from core.answering.llm import LlamaModel
    from core.clock import FixedClock
    from core.mnemo import Mnemo
    from core.recall.embedder import MiniLMEmbedder

    offline_environment()
    embedder = MiniLMEmbedder()
    model = LlamaModel(model_path or default_model_path())
    model.load()
    rng = random.Random(7)
    rows = []
    started = time.perf_counter()
    for conv in json.loads(data.read_text())[:conversations]:
        questions = sample(conv["qa"], per_conversation, rng)
        with tempfile.TemporaryDirectory() as tmp:
            clock = FixedClock(datetime(2024, 1, 1, tzinfo=timezone.utc))
            mnemo = Mnemo(Path(tmp) / "store", clock, embedder, model)
            sample_file = Path(tmp) / f"{conv['sample_id']}.json"
            sample_file.write_text(json.dumps([conv]))
            mnemo.import_parsed(mnemo.read_import(sample_file), sample_file.name)
            for qa in questions:
                t0 = time.perf_counter()
                answer = mnemo.ask(qa["question"], capture=False)
                category = qa["category"]
                gold = qa.get("answer", qa.get("adversarial_answer", ""))
                sentence = answer.text.split(": ", 1)[1] if answer.method == "quote" else answer.text
                rows.append({"conversation": conv["sample_id"], "category": category, "question": qa["question"],
                             "gold": str(gold), "answer": answer.text, "method": answer.method,
                             "support": len(answer.support),
                             "unsupported": unsupported(answer, qa["question"]),
                             "f1": None if category == 5 else round(score(category, answer.text, gold), 4),
                             "f1_sentence": None if category == 5 else round(score(category, sentence, gold), 4),
                             "abstained": abstains(answer.text), "seconds": round(time.perf_counter() - t0, 2)})
            mnemo.close()
        progress(f"  {conv['sample_id']}: {len(questions)} questions ({time.perf_counter() - started:.0f} s)")
    return summarise(rows, model.path.name, per_conversation, time.perf_counter() - started)


def summarise(rows: list[dict], model_name: str, per_conversation: int, seconds: float) -> dict:
    by = defaultdict(list)
    for row in rows:
        by[row["category"]].append(row)
    table = {}
    for category, name in CATEGORIES.items():
        items = by.get(category, [])
        if category == 5:
            table[name] = {"questions": len(items),
                           "abstained": round(sum(r["abstained"] for r in items) / len(items), 4) if items else None}
        else:
            table[name] = {"questions": len(items),
                           "f1": round(sum(r["f1"] for r in items) / len(items), 4) if items else None}
    scored = [r["f1"] for r in rows if r["f1"] is not None]
    sentences = [r["f1_sentence"] for r in rows if r.get("f1_sentence") is not None]
    methods = Counter(r.get("method", "model") for r in rows)
    return {"model": model_name, "per_conversation": per_conversation, "questions": len(rows),
            "f1_categories_1_4": round(sum(scored) / len(scored), 4) if scored else None,
            "f1_sentence_categories_1_4": round(sum(sentences) / len(sentences), 4) if sentences else None,
            "unsupported": round(sum(bool(r.get("unsupported")) for r in rows) / len(rows), 4) if rows else None,
            "methods": dict(methods),
            "by_category": table, "seconds": round(seconds, 1), "rows": rows}


def print_table(result: dict) -> None:
    print(f"\nLoCoMo QA with {result['model']}: {result['questions']} questions "
          f"({result['per_conversation'] or 'all'} per conversation), {result['seconds']} s")
    print(f"{'category':<14}{'questions':>10}{'F1':>8}{'abstained':>11}")
    for name, entry in result["by_category"].items():
        f1_text = f"{entry['f1']:.3f}" if entry.get("f1") is not None else "-"
        ab = f"{entry['abstained']:.1%}" if entry.get("abstained") is not None else "-"
        print(f"{name:<14}{entry['questions']:>10}{f1_text:>8}{ab:>11}")
    overall = result["f1_categories_1_4"]
    print(f"{'1-4 overall':<14}{'':>10}{overall if overall is None else f'{overall:.3f}':>8}")
    if result.get("f1_sentence_categories_1_4") is not None:
        print(f"F1 of the quoted sentence alone (1-4): {result['f1_sentence_categories_1_4']:.3f}")
    if result.get("unsupported") is not None:
        print(f"unsupported answers: {result['unsupported']:.1%}; how answered: {result['methods']}")


def main() -> int:
    from eval_locomo_recall import DEFAULT_DATA

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, help="any GGUF file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--per-conversation", type=int, default=25, help="questions per conversation (0: all)")
    parser.add_argument("--conversations", type=int, default=None)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = evaluate(args.data, args.model, args.per_conversation, args.conversations)
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
