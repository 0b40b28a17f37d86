"""`mnemo`: the command line. Global options work before or after the subcommand."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.clock import Clock, FixedClock, SystemClock, from_epoch, parse_instant
from core.errors import MnemoError, ModelError
from core.memory.decay import decays
from core.memory.records import Source

from . import cli_clients, cli_data, cli_encryption, cli_eval, cli_facts, cli_guard, cli_models, cli_store, cli_upkeep
from .cli_common import hit_json, lesson_json, memory_json, print_json, printable, short
from .paths import default_data_dir

ADD_SOURCES = ["user", "clipboard", "import", "assistant"]
DAMAGED = 3  # exit status: the command ran, but the memory store is damaged (read-only)


def _globals(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", type=Path, default=default,
                        help="the memory's folder (default: your user data folder, or $MNEMO_DATA_DIR)")
    parser.add_argument("--now", default=default, metavar="ISO-8601",
                        help="act as if the clock read this time (e.g. 2026-05-01T09:00)")
    parser.add_argument("--model", type=Path, default=default, metavar="PATH",
                        help="a GGUF language model file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS if suppress else False,
                        help="print machine-readable JSON")
    parser.add_argument("--wait", type=float, default=default, metavar="SECONDS",
                        help="when another Mnemo is using the memory, wait up to this long for it (default 0.5)")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _globals(common, suppress=True)
    parser = argparse.ArgumentParser(prog="mnemo", description="Mnemo: a private memory assistant.")
    _globals(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add = sub.add_parser("add", parents=[common], help="remember a note; prints its id")
    add.add_argument("text")
    add.add_argument("--source", type=_add_source, default="user",
                     help="user (default), clipboard, import, assistant, or agent:NAME (another program)")
    add.add_argument("--at", metavar="ISO-8601", help="when the noted event happened")

    ask = sub.add_parser("ask", parents=[common], help="answer a question from memory with the local model")
    ask.add_argument("question")
    ask.add_argument("--no-capture", action="store_true", help="do not remember this exchange")

    search = sub.add_parser("search", parents=[common], help="ranked memories for a query")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=10, help="how many (default 10)")

    sub.add_parser("list", parents=[common], help="memories with their kind, state, strength and retention")
    sub.add_parser("stats", parents=[common], help="counts by kind, source and state")
    cli_upkeep.add_parsers(sub, common)
    cli_facts.add_parsers(sub, common)
    cli_guard.add_parsers(sub, common)
    cli_data.add_parsers(sub, common)
    cli_eval.add_parsers(sub, common)
    cli_store.add_parsers(sub, common)
    cli_encryption.add_parsers(sub, common)
    cli_models.add_parsers(sub, common)
    cli_clients.add_parsers(sub, common)
    mcp = sub.add_parser("mcp", parents=[common], help="serve the memory to other programs over MCP (stdio)")
    mcp.add_argument("--http", action="store_true", help="a streamable-HTTP endpoint on this computer instead")
    mcp.add_argument("--port", type=int, default=8765, help="its port (default 8765; 127.0.0.1 only)")
    return parser


def _add_source(value: str) -> str:
    if value in ADD_SOURCES or (value.startswith("agent:") and value[6:].strip()):
        return value
    raise argparse.ArgumentTypeError(f"'{value}' is not a source; use {', '.join(ADD_SOURCES)} or agent:NAME")


def _clock(now: str | None) -> Clock:
    return FixedClock(parse_instant(now)) if now else SystemClock()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if needs_store(args):  # the desktop app may own the memory: then it runs the command
        from .owner.client import forward

        status = _guarded(lambda: forward(argv, args.data_dir or default_data_dir()))
        if status is not None:
            return status
    return _guarded(lambda: run(args))


def _guarded(work) -> int | None:
    try:
        return work()
    except MnemoError as exc:
        print(f"mnemo: {printable(str(exc))}", file=sys.stderr)
        return 1
    except ValueError as exc:  # bad --now / --at
        print(f"mnemo: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mnemo: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`mnemo list | head`): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def needs_store(args: argparse.Namespace) -> bool:
    """Does the command open the memory (rather than its own stores, the model library or the backups)?"""
    if args.command in ("eval", "models", "clients", "mcp"):
        return False
    return not (args.command in cli_data.COMMANDS and not cli_data.needs_store(args))


_PARSER: list[argparse.ArgumentParser] = []


def _parser() -> argparse.ArgumentParser:
    """The parser, built once for the commands the app runs for clients (parsing does not change it)."""
    if not _PARSER:
        _PARSER.append(build_parser())
    return _PARSER[0]


def run_for_client(argv: list[str], mnemo) -> int:
    """A command another program sent the app (app/owner/server.py), run on the app's open
    memory. Its printing goes back to that program."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse said what was wrong (to the client)
        return int(exc.code or 0)

    def checked() -> int:
        if args.now is not None:
            raise MnemoError("The app is using this memory with the real time; --now needs it closed (close the "
                             "app, or give another --data-dir).")
        if args.model is not None:
            raise MnemoError("The app is using this memory with its own model; --model needs it closed (or choose "
                             "the model in the app: File ▸ Language Models…).")
        if args.command == "encryption" and args.encryption_command != "status":
            raise MnemoError("Encryption cannot be turned on or off, or its passphrase changed, while the app has the "
                             "memory open; use Preferences ▸ Privacy in the app, or close it first.")
        if args.command == "backup" and args.backup_command in ("restore", "delete"):
            raise MnemoError("A backup cannot be restored or deleted while the app has the memory open; use "
                             "File ▸ Backups… in the app, or close it first.")
        return run(args, mnemo=mnemo)
    return _guarded(checked)


def run(args: argparse.Namespace, mnemo=None) -> int:
    """`mnemo`: an open memory to use (the app's, for a client's command), else one is opened."""
    from .wiring import build_mnemo

    clock = mnemo.clock if mnemo is not None else _clock(args.now)
    at = parse_instant(args.at) if getattr(args, "at", None) else None
    args.clock, args.data_dir_resolved = clock, args.data_dir or default_data_dir()
    if args.command == "eval":  # its own stores, not the user's memory
        return cli_eval.run(args)
    if args.command in ("clients", "mcp"):  # who may use the memory; the MCP server (it opens the memory per call)
        from .paths import ensure_private_dir

        ensure_private_dir(args.data_dir_resolved)
        if args.command == "clients":
            return cli_clients.run(args, print_json)
        from .mcp_server import serve

        return serve(args.data_dir_resolved, main, http=args.http, port=args.port)
    if args.command == "models":  # the model library: the store stays closed (usable while the app runs)
        from .paths import ensure_private_dir
        from .wiring import offline_environment

        offline_environment()
        ensure_private_dir(args.data_dir_resolved)
        return cli_models.run(args, print_json)
    if args.command in cli_data.COMMANDS and not cli_data.needs_store(args):
        return cli_data.COMMANDS[args.command](None, args, print_json)
    wait = args.wait if args.wait is not None else 0.5
    if wait < 0:
        raise ValueError("--wait must be 0 seconds or more")
    owned = mnemo is None
    if owned:
        mnemo = build_mnemo(args.data_dir_resolved, clock, args.model, wait=wait, passphrase=cli_encryption.unlocker())
    try:
        if args.command in cli_store.COMMANDS:
            return cli_store.COMMANDS[args.command](mnemo, args, print_json)
        if args.command in cli_encryption.COMMANDS:
            return cli_encryption.COMMANDS[args.command](mnemo, args, print_json)
        if mnemo.store.damage:
            print(f"mnemo: warning: {mnemo.store.damage_message}", file=sys.stderr)
        if args.command in cli_data.COMMANDS:
            status = cli_data.COMMANDS[args.command](mnemo, args, print_json)
        elif args.command in cli_upkeep.COMMANDS:
            status = cli_upkeep.COMMANDS[args.command](mnemo, args, print_json)
        elif args.command in cli_facts.COMMANDS:
            status = cli_facts.COMMANDS[args.command](mnemo, args, print_json)
        elif args.command in cli_guard.COMMANDS:
            status = cli_guard.COMMANDS[args.command](mnemo, args, print_json)
        else:
            status = COMMANDS[args.command](mnemo, args, at)
        return DAMAGED if mnemo.store.damage and status == 0 else status
    finally:
        if owned:
            mnemo.close()


def _add(mnemo, args, at) -> int:
    source = Source.IMPORT if args.source == "import" else args.source
    result = mnemo.add_note(args.text, source=source, at=at)
    memory = result.memory
    if args.json:
        print_json({"id": memory.id, "duplicate": result.duplicate, "state": memory.state,
                     "quarantine_reason": memory.guard_reason if memory.state == "quarantined" else None})
    else:
        note = " (already remembered)" if result.duplicate else ""
        print(f"{memory.id}{note}")
        if memory.state == "quarantined":
            print(f"Quarantined: {printable(memory.guard_reason)} It stays out of answers until you release it "
                  f"(mnemo guard release {memory.id[:8]}).", file=sys.stderr)
    return 0


def _ask(mnemo, args, at) -> int:
    streaming = not args.json

    def show(piece: str) -> None:
        sys.stdout.write(printable(piece))
        sys.stdout.flush()

    try:
        getattr(mnemo.model, "load", lambda: None)()
    except ModelError as exc:  # the memory still answers, in its own words
        print(f"{exc}\nAnswering from your memory's own words without a model.", file=sys.stderr)
    answer = mnemo.ask(args.question, on_token=show if streaming else None, capture=not args.no_capture,
                       conversation_id="cli")
    support = set(answer.support)
    if args.json:
        print_json({"answer": answer.text, "support": "memories" if answer.support else "none",
                    "support_ids": list(answer.support), "method": answer.method,
                    "unsupported_draft": answer.replaced or None,
                    "memories": [dict(hit_json(h), supports=h.memory.id in support) for h in answer.memories],
                     "flagged": [{"id": f.memory.id, "text": f.memory.text, "reason": f.reason,
                                  "conflicts": list(f.conflicts)} for f in answer.flagged],
                     "lessons": [lesson_json(lesson) for lesson in answer.lessons]})
        return 0
    if answer.replaced and streaming:  # what was streamed is taken back
        print(f"\n\n(That answer named something no memory holds. What your memory says:)\n{printable(answer.text)}",
              end="")
    print()
    for flag in answer.flagged:
        print(f"\nKept out [{flag.memory.id[:8]}] {printable(flag.memory.text)}\n  why: {printable(flag.reason)}")
    if answer.memories:
        print("\nMemories used (* the answer comes from it):")
        for h in answer.memories:
            mark = "*" if h.memory.id in support else " "
            print(f" {mark}[{h.memory.id[:8]}] {printable(h.memory.text)}")
    else:
        print("\n(No memory matched this question.)")
    return 0


def _search(mnemo, args, at) -> int:
    if args.k < 1:
        raise ValueError("--k must be at least 1")
    hits = mnemo.search(args.query, k=args.k)
    if args.json:
        print_json([hit_json(h) for h in hits])
    elif not hits:
        print("No memory matches.")
    for i, h in enumerate(hits if not args.json else [], start=1):
        print(f"{i:>2}. {h.score:.4f}  [{h.memory.id[:8]}] {printable(h.memory.text)}\n      {printable(h.reason)}")
    return 0


def _list(mnemo, args, at) -> int:
    records = mnemo.memories()
    if args.json:
        print_json([memory_json(m, mnemo.retention(m)) for m in records])
        return 0
    if not records:
        print("No memories yet. Add one with: mnemo add \"...\"")
    for m in records:
        when = from_epoch(m.created_at).astimezone().strftime("%Y-%m-%d %H:%M")
        fades = decays(m)
        kept = f"{mnemo.retention(m):>4.0%}" if fades else "   -"
        strength = f"{m.strength:>5.1f}d" if fades else "     -"
        print(f"{m.id[:8]}  {when}  {m.state:<11} {m.kind:<14} {kept}  {strength}  {short(m.text, 60)}")
    return 0


def _stats(mnemo, args, at) -> int:
    stats = mnemo.stats()
    if args.json:
        print_json(stats)
        return 0
    print(f"{stats['memories']} memories and {stats['facts']} facts ({stats['retrievable']} retrievable; "
          f"{stats['total']} records in all, with deleted ones and the guard's lessons)")
    for title, key in (("by kind", "by_kind"), ("by source", "by_source"), ("by state", "by_state")):
        print(f"{title}: " + (", ".join(f"{k} {v}" for k, v in sorted(stats[key].items())) or "-"))
    return 0


COMMANDS = {"add": _add, "ask": _ask, "search": _search, "list": _list, "stats": _stats}

if __name__ == "__main__":
    sys.exit(main())
