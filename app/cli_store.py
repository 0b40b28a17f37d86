"""`mnemo check [--repair]`: is the memory store sound? Reads every table back from disk and
every record against its checksum; `--repair` keeps what is readable of a damaged store
(after copying it to backups/ as it is)."""
from __future__ import annotations

import argparse
import sys


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    check = sub.add_parser("check", parents=[common],
                           help="check the memory store against its checksums and ledger (--repair: keep what is readable)")
    check.add_argument("--repair", action="store_true",
                       help="keep what is readable of a damaged store (it is backed up as it is first)")


def check(mnemo, args, out) -> int:
    store = mnemo.store
    if args.repair:
        if not store.damage and not store.check():
            return _report(store, [], args, out)
        report = store.repair()
        if args.json:
            out({"repaired": True, "problems": report.problems, "kept": report.kept, "dropped": report.dropped,
                 "backup": str(report.backup)})
        else:
            print(f"Repaired: kept {report.kept:,} memories, left out {len(report.dropped):,}. The damaged store "
                  f"was saved as the backup {report.backup.name}.")
        return 0
    problems = store.damage or store.check()
    return _report(store, problems, args, out)


def _report(store, problems: list[str], args, out) -> int:
    if args.json:
        out({"sound": not problems, "problems": problems, "memories": len(store),
             "message": store.damage_message if problems else ""})
    elif problems:
        print(store.damage_message or ("The memory store is damaged: " + "; ".join(problems) + "."), file=sys.stderr)
    else:
        print(f"The memory store is sound: {len(store):,} memories, every checksum matches the saved state.")
    return 1 if problems else 0


COMMANDS = {"check": check}
