"""`mnemo eval recall | qa | lifetime`: the LoCoMo evaluations (scripts/eval_locomo_*.py), from the
command line. They need the source checkout (the scripts and the shared data)."""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from core.errors import MnemoError

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = {"recall": "eval_locomo_recall.py", "qa": "eval_locomo_qa.py", "lifetime": "eval_lifetime.py",
           "memorybank": "eval_memorybank_recall.py"}


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("eval", parents=[common], help="evaluations: recall (LoCoMo retrieval), qa (answers), lifetime (months of forgetting) "
                                                          "or memorybank (retrieval on MemoryBank)")
    parser.add_argument("what", choices=sorted(SCRIPTS))
    parser.add_argument("--limit", type=int, help="recall: first N conversations; qa: questions per conversation")
    parser.add_argument("--out", type=Path, metavar="JSON", help="write the machine-readable results here")


def command(args: argparse.Namespace) -> list[str]:
    script = ROOT / "scripts" / SCRIPTS[args.what]
    if not script.exists():
        raise MnemoError(f"mnemo eval needs Mnemo's source checkout ({script} is missing).")
    cmd = [sys.executable, str(script)]
    if args.limit is not None and args.what != "memorybank":
        cmd += ["--per-conversation" if args.what == "qa" else "--limit", str(args.limit)]
    if args.out is not None:
        cmd += ["--json", str(args.out)]
    if args.what == "qa" and args.model:
        cmd += ["--model", str(args.model)]
    return cmd


def run(args: argparse.Namespace) -> int:
    return subprocess.call(command(args), cwd=ROOT)
