"""`mnemo guard list | release ID`: what the guard kept out, the lessons it learnt, and the
user's say over it."""
from __future__ import annotations

import argparse

from .cli_common import flagged_json, lesson_json, printable, resolve_id


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    guard = sub.add_parser("guard", parents=[common], help="quarantined and excluded memories, and lessons")
    actions = guard.add_subparsers(dest="guard_command", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="quarantined and excluded memories, and the lessons learnt")
    release = actions.add_parser("release", parents=[common],
                                 help="the guard was wrong about this memory: let it take part again")
    release.add_argument("id", help="the memory's id (or the first 6+ characters of it)")


def guard(mnemo, args, out) -> int:
    if args.guard_command == "release":
        memory = mnemo.release(resolve_id(mnemo, args.id))
        if args.json:
            out(flagged_json(memory))
        else:
            print(f"Released {memory.id[:8]}: it takes part again, and records like it will not be flagged.")
        return 0
    quarantined, excluded, lessons = mnemo.quarantined(), mnemo.excluded(), mnemo.lessons()
    if args.json:
        out({"quarantined": [flagged_json(m) for m in quarantined], "excluded": [flagged_json(m) for m in excluded],
             "lessons": [lesson_json(lesson) for lesson in lessons]})
        return 0
    for title, items in (("Quarantined", quarantined), ("Kept out of answers", excluded)):
        print(f"{title} ({len(items)}):" if items else f"{title}: none")
        for m in items:
            print(f"  [{m.id[:8]}] {printable(m.source)}: {printable(m.text)}\n      why: {printable(m.guard_reason)}")
    print(f"Lessons ({len(lessons)}):" if lessons else "Lessons: none")
    for lesson in lessons:
        print(f"  - {printable(lesson.text)}")
    return 0


COMMANDS = {"guard": guard}
