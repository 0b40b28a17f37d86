"""docs/eval.md and docs/eval_recall.svg from the latest results files
(docs/locomo_recall.json, docs/locomo_qa.json).

    .venv/bin/python scripts/eval_report.py"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
METHODS = {"dense": "dense (MiniLM, text)", "dense+spk": "dense (Speaker: text)", "bm25": "BM25", "mnemo": "Mnemo"}
COLOURS = {"dense": "#9aa5b1", "dense+spk": "#6b7c93", "bm25": "#e0a458", "mnemo": "#2e7d5b"}


def chart(recall: dict) -> str:
    """Grouped bars: recall@10 per category (and overall) per method, as SVG text."""
    groups = ["overall", *recall["methods"]["mnemo"]["by_category"]]
    width, height, left, bottom, top = 800, 320, 50, 40, 30
    plot_w, plot_h = width - left - 190, height - top - bottom
    group_w = plot_w / len(groups)
    bar_w = group_w * 0.8 / len(METHODS)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           'font-size="12">', f'<text x="{left}" y="18" font-size="14">LoCoMo evidence recall@10 '
           f'({recall["questions"]:,} questions)</text>']
    for tick in range(0, 11, 2):
        y = top + plot_h * (1 - tick / 10)
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{tick / 10:.1f}</text>')
    for g, group in enumerate(groups):
        x0 = left + g * group_w + group_w * 0.1
        for m, method in enumerate(METHODS):
            entry = recall["methods"][method]
            value = entry["overall"]["recall@10"] if group == "overall" else entry["by_category"][group]["recall@10"]
            h = plot_h * value
            out.append(f'<rect x="{x0 + m * bar_w:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                       f'height="{h:.1f}" fill="{COLOURS[method]}"><title>{METHODS[method]}: {value:.3f}</title></rect>')
        out.append(f'<text x="{left + (g + 0.5) * group_w:.1f}" y="{height - 15}" text-anchor="middle">{group}</text>')
    for m, method in enumerate(METHODS):
        y = top + 10 + m * 20
        out.append(f'<rect x="{left + plot_w + 15}" y="{y - 10}" width="12" height="12" fill="{COLOURS[method]}"/>'
                   f'<text x="{left + plot_w + 32}" y="{y}">{METHODS[method]}</text>')
    out.append("</svg>")
    return "\n".join(out)


def page(recall: dict, qa: dict | None) -> str:
    lines = ["# Evaluation: does Mnemo find the right memory, and answer with it?", "",
             "Figures from the latest `make eval` on the 2-core reference machine. Raw results:",
             "`docs/locomo_recall.json`, `docs/locomo_qa.json`.", "",
             "## LoCoMo evidence recall", "",
             "`.venv/bin/python scripts/eval_locomo_recall.py --json docs/locomo_recall.json` (also `mnemo eval "
             "recall`). Each of the 10 conversations is imported into its own store through the normal import path "
             "(session dates as the turns' time); for each of the "
             f"{recall['questions']:,} questions of categories 1–4, recall@k = share of its evidence turns in the top k.",
             "", "![recall@10 by category](eval_recall.svg)", "",
             "| method | R@1 | R@5 | R@10 | R@20 |", "|---|---|---|---|---|"]
    for method, name in METHODS.items():
        o = recall["methods"][method]["overall"]
        cells = [f"{o[f'recall@{k}']:.3f}" for k in (1, 5, 10, 20)]
        if method == "mnemo":
            cells = [f"**{c}**" for c in cells]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| category | " + " | ".join(METHODS.values()) + " |", "|---|" + "---|" * len(METHODS)]
    for category in recall["methods"]["mnemo"]["by_category"]:
        lines.append(f"| {category} | " + " | ".join(
            f"{recall['methods'][m]['by_category'][category]['recall@10']:.3f}" for m in METHODS) + " |")
    lines += ["", f"Target: Mnemo recall@10 ≥ 0.70. Run time {recall.get('seconds', '?')} s.", ""]
    if qa:
        lines += ["## LoCoMo question answering with the local model", "",
                  f"`.venv/bin/python scripts/eval_locomo_qa.py --per-conversation {qa['per_conversation']} --json "
                  "docs/locomo_qa.json` (also `mnemo eval qa`; `--model PATH` takes any GGUF).",
                  f"Model: {qa['model']}. {qa['questions']} questions: {qa['per_conversation']} sampled per "
                  "conversation with a fixed seed (all 1,986 take hours with this model on 2 cores). Token F1 after "
                  "normalisation (lowercase, punctuation and articles removed, Porter stems); category 5 asks "
                  "about things the conversation does not say, and the figure is how often the model abstains.", "",
                  "| category | questions | F1 | abstained |", "|---|---|---|---|"]
        for name, entry in qa["by_category"].items():
            f1 = f"{entry['f1']:.3f}" if entry.get("f1") is not None else "–"
            ab = f"{entry['abstained']:.0%}" if entry.get("abstained") is not None else "–"
            lines.append(f"| {name} | {entry['questions']} | {f1} | {ab} |")
        lines += [f"| **1–4 overall** | | **{qa['f1_categories_1_4']:.3f}** | |", "",
                  f"Run time {qa['seconds']} s. How answered: "
                  + ", ".join(f"{k} {v}" for k, v in sorted((qa.get("methods") or {}).items()))
                  + (f"; unsupported {qa['unsupported']:.1%}" if qa.get("unsupported") is not None else "")
                  + ". With the small default model Mnemo quotes the memory's sentence (with its date) or says it "
                  "has nothing, rather than improvise: token F1 counts the quote's extra words against it. A larger "
                  "GGUF (File ▸ Language Models…) answers in its own words.", ""]
    return "\n".join(lines)


def main() -> int:
    recall = json.loads((DOCS / "locomo_recall.json").read_text())
    qa_path = DOCS / "locomo_qa.json"
    qa = json.loads(qa_path.read_text()) if qa_path.exists() else None
    (DOCS / "eval_recall.svg").write_text(chart(recall))
    (DOCS / "eval.md").write_text(page(recall, qa))
    print(f"wrote {DOCS / 'eval.md'} and {DOCS / 'eval_recall.svg'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
