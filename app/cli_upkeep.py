"""`mnemo decay | summarize | portrait | pin | unpin | restore | purge`: the memory's upkeep
from the command line. With `--now`, ten days of life can be replayed in seconds."""
from __future__ import annotations

import argparse
import sys
from datetime import date

from core.errors import InvalidInputError

from .cli_common import memory_json, printable, resolve_id

ID_ACTIONS = {
    "pin": "keep a memory from ever fading",
    "unpin": "let a pinned memory fade again",
    "restore": "bring back a forgotten memory",
    "purge": "remove a forgotten or deleted memory for good",
    "delete": "delete a memory (it can be restored with undelete, or purged)",
    "undelete": "undo a delete",
}


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    sub.add_parser("decay", parents=[common], help="run the decay sweep now: fade and forget by retention")
    summarize = sub.add_parser("summarize", parents=[common],
                               help="write day summaries for past days that need one, and the overview")
    summarize.add_argument("--day", metavar="YYYY-MM-DD", help="summarise this day only (today is allowed)")
    sub.add_parser("portrait", parents=[common], help="refresh and print the user portrait")
    pace = sub.add_parser("pace", parents=[common],
                          help="how long memories are kept when unused, and change it (2: twice as long)")
    pace.add_argument("factor", nargs="?", type=float, help="0.25 to 4 times as long as designed (1: as designed)")
    for action, text in ID_ACTIONS.items():
        parser = sub.add_parser(action, parents=[common], help=text)
        parser.add_argument("id", help="the memory's id (or the first 6+ characters of it)")


def decay(mnemo, args, out) -> int:
    result = mnemo.sweep()
    changes = {state: len(ids) for state, ids in result.changes.items()}
    away = mnemo.away_message(result)
    due = mnemo.review()
    if args.json:
        out({"checked": result.checked, "changes": result.changes, "counts": changes,
             "seconds": round(result.seconds, 4), "away_days": round(result.away_days, 1) if result.away_days else None,
             "message": away, "to_review": len(due.due)})
    else:
        moved = ", ".join(f"{n} now {state}" for state, n in changes.items()) or "nothing changed"
        print(f"Checked {result.checked} memories in {result.seconds * 1000:.0f} ms: {moved}.")
        if away:
            hint = " They stay listed (mnemo list); mnemo restore ID brings one back." if "forgotten" in changes else ""
            print(away + hint)
        if due.due:
            print(f"{due.message} See them with: mnemo review")
    return 0


def summarize(mnemo, args, out) -> int:
    if args.day:
        try:
            day = date.fromisoformat(args.day)
        except ValueError:
            raise InvalidInputError(f"'{args.day}' is not a day; use YYYY-MM-DD, e.g. 2026-05-01.") from None
        written = mnemo.summarize(day)
        if not written:
            raise InvalidInputError(f"Nothing happened on {day.isoformat()}: there is nothing to summarise.")
    else:
        written = mnemo.summarize()
    overview = mnemo.summarize_global()
    if args.json:
        out({"days": [memory_json(m) for m in written], "overview": memory_json(overview) if overview else None})
        return 0
    for m in written:
        print(printable(m.text) + "\n")
    if not written:
        print("Every past day already has an up-to-date summary.\n")
    if overview is not None:
        print(printable(overview.text))
    return 0


def portrait(mnemo, args, out) -> int:
    result = mnemo.refresh_portrait()
    if args.json:
        out(memory_json(result) if result else None)
    else:
        print(printable(result.text) if result else "Nothing is known about you yet: tell Mnemo about yourself first.")
    return 0


def by_id(action: str):
    def run(mnemo, args, out) -> int:
        memory_id = resolve_id(mnemo, args.id)
        result = getattr(mnemo, action)(memory_id)
        after = mnemo.store.find(memory_id)
        state = after.state if after is not None else "purged"
        kept_in = list(result) if action == "purge" and result else []  # backups that could not be rewritten
        if args.json:
            out({"id": memory_id, "state": state, **({"backups_not_rewritten": kept_in} if action == "purge" else {})})
        else:
            print(f"{memory_id} {state}")
        if kept_in:
            print(purge_warning(mnemo.data_dir, kept_in), file=sys.stderr)
            return 1
        return 0
    return run


def purge_warning(data_dir, backups: list[str]) -> str:
    """Purged from the memory, but not from every backup: say which still hold it, and how to remove them."""
    from pathlib import Path

    names = ", ".join(backups)
    folder = Path(data_dir) / "backups"
    return (f"Purged from the memory, but {len(backups)} backup{'s' if len(backups) != 1 else ''} could not be "
            f"rewritten and still hold{'s' if len(backups) == 1 else ''} it: {names}. They may be damaged; "
            f"delete {'them' if len(backups) != 1 else 'it'} (mnemo backup delete NAME, or in {folder}) to forget "
            f"it for good.")


def pace(mnemo, args, out) -> int:
    changed = mnemo.set_pace(args.factor) if args.factor is not None else 0
    kept = mnemo.keeping()
    if args.json:
        out({"pace": mnemo.policy.pace, "changed": changed, "kept_days": {what: round(days, 1) for what, days in kept}})
        return 0
    print(f"Memories are kept {mnemo.policy.pace:g}x as long as designed"
          + (f" ({changed} memories changed)." if args.factor is not None else "."))
    for what, days in kept:
        print(f"  {what}: about {days:.0f} days if never used")
    return 0


COMMANDS = {"decay": decay, "summarize": summarize, "portrait": portrait, "pace": pace,
            **{action: by_id(action) for action in ID_ACTIONS}}
