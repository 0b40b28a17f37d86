"""`mnemo facts | importance | review | edit`: what Mnemo holds as facts of your life, how much a
memory matters, the memories of some importance about to be forgotten, and new words for a
memory (its facts follow)."""
from __future__ import annotations

import argparse

from core.days import day_of
from core.intake.importance import level

from .cli_common import memory_json, printable, resolve_id, short


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    facts = sub.add_parser("facts", parents=[common],
                           help="the facts distilled from what you said, with their sources and validity")
    facts.add_argument("--current", action="store_true", help="leave out facts a newer statement superseded")
    importance = sub.add_parser("importance", parents=[common],
                                help="say how much a memory matters (its strength follows)")
    importance.add_argument("id", help="the memory's id (or the first 6+ characters of it)")
    importance.add_argument("level", help="low, normal, high, highest, or a number from 0 to 1")
    review = sub.add_parser("review", parents=[common],
                            help="memories of some importance that will be forgotten soon; keep them")
    review.add_argument("--days", type=float, default=7.0, help="how far ahead to look (default 7 days)")
    review.add_argument("--keep", nargs="*", metavar="ID", help="keep these (no ids: keep every one listed)")
    edit = sub.add_parser("edit", parents=[common],
                          help="change what a note or chat turn says (its history keeps the old words)")
    edit.add_argument("id", help="the memory's id (or the first 6+ characters of it)")
    edit.add_argument("text", help="what it should say")


def _day(seconds: float | None) -> str:
    return day_of(seconds).isoformat() if seconds is not None else "?"


def validity(m) -> str:
    """'since 2026-05-01' or '2026-01-10 until 2026-02-01'."""
    if m.valid_until is not None:
        return f"{_day(m.valid_from)} until {_day(m.valid_until)}"
    return f"since {_day(m.valid_from)}"


def facts(mnemo, args, out) -> int:
    records = mnemo.facts_list(include_superseded=not args.current)
    if args.json:
        out([memory_json(m, mnemo.retention(m)) for m in records])
        return 0
    if not records:
        print("No facts yet. Facts are drawn from what you tell Mnemo: names, places, work, health, dates.")
    for m in records:
        subject, _, attribute = printable(m.fact_key).partition("|")
        sources = f"{len(m.links)} source{'s' if len(m.links) != 1 else ''}"
        print(f"{m.id[:8]}  {subject} · {attribute}: {printable(m.fact_value)}  ({validity(m)}; {sources})\n"
              f"          \u201c{short(m.text, 90)}\u201d")
    return 0


def importance(mnemo, args, out) -> int:
    try:
        value = level(args.level)
    except ValueError:
        raise ValueError(f"'{args.level}' is not an importance: use low, normal, high, highest "
                         "or a number from 0 to 1") from None
    changed = mnemo.set_importance(resolve_id(mnemo, args.id), value)
    if args.json:
        out(memory_json(changed, mnemo.retention(changed)))
    else:
        print(f"{changed.id} importance {changed.importance:.2f}: strength now {changed.strength:.0f} days")
    return 0


def review(mnemo, args, out) -> int:
    if args.days <= 0:
        raise ValueError("--days must be more than 0")
    due = mnemo.review(args.days)
    kept: list[str] = []
    if args.keep is not None:
        kept = [resolve_id(mnemo, i) for i in args.keep] if args.keep else [f.memory.id for f in due.due]
        mnemo.keep_many(kept)
    if args.json:
        out({"message": due.message, "kept": kept,
             "due": [{**memory_json(f.memory, f.retention), "days_left": round(f.days_left, 2)} for f in due.due]})
        return 0
    print(due.message if not kept else f"Kept {len(kept)}: each is stronger and its forgetting clock restarted.")
    if not kept:
        for f in due.due:
            print(f"{f.memory.id[:8]}  in {f.days_left:4.1f} days  {short(f.memory.text, 70)}"
                  f"  ({printable(f.memory.importance_reason)})")
        if due.due:
            print("Keep them all with: mnemo review --keep")
    return 0


def edit(mnemo, args, out) -> int:
    memory_id = resolve_id(mnemo, args.id)
    before = mnemo.store.get(memory_id).text
    edited = mnemo.edit(memory_id, args.text)
    if args.json:
        out({**memory_json(edited, mnemo.retention(edited)), "previous_text": before,
             "changed": edited.text != before})
    elif edited.text == before:
        print(f"{edited.id} unchanged: it says that already")
    else:
        print(f"{edited.id} edited; it said before: {short(before, 70)}")
    return 0


COMMANDS = {"facts": facts, "importance": importance, "review": review, "edit": edit}
