"""`mnemo export | import | backup`: taking the memory out, bringing history in, and the
store's backups."""
from __future__ import annotations

import argparse
import getpass
import sys
import threading
from pathlib import Path

from core.errors import InvalidInputError, MnemoError
from core.intake.readers import FORMATS
from core.memory.backup import find_backup, list_backups, restore_store
from core.transfer.crypto import NoKeyringError, Passphrase

from . import data_io
from .cli_common import printable

NO_STORE = {("backup", "list"), ("backup", "restore"), ("backup", "delete")}  # run without opening the memory


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    export = sub.add_parser("export", parents=[common], help="write everything to one archive (or Markdown)")
    export.add_argument("file", nargs="?", type=Path, help="the archive to write (e.g. memory.mnemo)")
    export.add_argument("--markdown", type=Path, metavar="DIR", help="write one readable Markdown file per day instead")
    export.add_argument("--encrypt", action="store_true",
                        help="encrypt (AES-256-GCM) with the key in your keyring, or the passphrase given")
    _passphrase_options(export)
    export.add_argument("--ask-passphrase", action="store_true", help="type a passphrase instead of using the keyring")

    imp = sub.add_parser("import", parents=[common], help="bring in a Mnemo archive or another assistant's export")
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=FORMATS, help="skip detection: " + ", ".join(FORMATS))
    imp.add_argument("--me", metavar="NAME", help="in a chat app's export (WhatsApp, Telegram...): which speaker is "
                                                  "you ('none': nobody)")
    _passphrase_options(imp)

    backup = sub.add_parser("backup", parents=[common], help="the store's backups: list, now, restore NAME, delete NAME")
    actions = backup.add_subparsers(dest="backup_command", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="backups, newest first")
    actions.add_parser("now", parents=[common], help="back up the store now")
    restore = actions.add_parser("restore", parents=[common],
                                 help="put a backup in place of the store (the current one is backed up first)")
    restore.add_argument("name", help="the backup's name (or its first characters)")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete = actions.add_parser("delete", parents=[common], help="delete a backup for good")
    delete.add_argument("name", help="the backup's name (or its first characters)")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def _passphrase_options(parser) -> None:
    parser.add_argument("--passphrase-file", type=Path, metavar="FILE",
                        help=f"read the passphrase from FILE's first line (or set ${data_io.PASSPHRASE_ENV})")


def needs_store(args) -> bool:
    return (args.command, getattr(args, "backup_command", None)) not in NO_STORE


def _prompt(confirm: bool) -> Passphrase:
    if not sys.stdin.isatty():
        raise InvalidInputError(f"A passphrase is needed: give --passphrase-file FILE or set "
                                f"${data_io.PASSPHRASE_ENV}.")
    first = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Passphrase again: ") != first:
        raise InvalidInputError("The two passphrases differ; nothing was exported.")
    return Passphrase(first)


def export(mnemo, args, out) -> int:
    if (args.file is None) == (args.markdown is None):
        raise InvalidInputError("Give either an archive FILE or --markdown DIR.")
    if args.markdown is not None:
        files = mnemo.export_markdown(args.markdown)
        if args.json:
            out({"folder": str(args.markdown), "files": [str(f) for f in files]})
        else:
            print(f"Wrote {len(files) - 1} day files and index.md to {args.markdown}.")
        return 0
    secret = None
    given = data_io.passphrase_from(args.passphrase_file)
    if args.encrypt or given is not None or args.ask_passphrase:
        if given is None and args.ask_passphrase:
            given = _prompt(confirm=True)
        try:
            secret = data_io.export_secret(given)
        except NoKeyringError as exc:
            print(f"mnemo: {exc}", file=sys.stderr)
            secret = _prompt(confirm=True)  # never a silent fall back to plaintext
    summary = data_io.export_to(mnemo, args.file, secret)
    how = ("encrypted with your passphrase" if isinstance(secret, Passphrase) else
           "encrypted with the key in your keyring" if secret is not None else "not encrypted")
    if args.json:
        out({"file": str(summary.path), "memories": summary.memories, "history": summary.history,
             "encrypted": summary.encrypted, "bytes": summary.bytes})
    else:
        print(f"Exported {summary.memories:,} memories and {summary.history:,} history entries to {summary.path} "
              f"({summary.bytes:,} bytes, {how}).")
    return 0


def import_(mnemo, args, out) -> int:
    given = data_io.passphrase_from(args.passphrase_file)
    parsed = data_io.read_for_import(mnemo, args.file, args.format,
                                     (lambda: given) if given is not None else (lambda: _prompt(confirm=False)),
                                     me=args.me)
    report = data_io.run_import(mnemo, parsed, args.file.name, _progress_printer(), threading.Event())
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        out({**report.as_json(), "settings_applied": report.settings_applied})
    else:
        print(printable("\n".join(report.lines())))
    return 0


def _progress_printer():
    shown = {"stage": None, "tenth": -1}
    live = sys.stderr.isatty()

    def progress(stage: str, done: int, total: int) -> None:
        if not total:
            return
        tenth = done * 10 // total
        if live:
            print(f"\r{stage}: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)
        elif stage != shown["stage"] or tenth != shown["tenth"]:
            print(f"{stage}: {done:,}/{total:,}", file=sys.stderr, flush=True)
        shown.update(stage=stage, tenth=tenth)
    return progress


def backup(mnemo, args, out) -> int:
    data_dir = args.data_dir_resolved
    if args.backup_command == "now":
        path = mnemo.backup("manual")
        out({"backup": path.name}) if args.json else print(f"Backed up to {path}.")
        return 0
    if args.backup_command == "list":
        backups = list_backups(data_dir)
        if args.json:
            out([{"name": b.name, "taken_at": b.taken_at.isoformat(), "label": b.label, "bytes": b.bytes}
                 for b in backups])
            return 0
        if not backups:
            print("No backups yet (mnemo backup now makes one).")
        for b in backups:
            print(f"{b.name:<40} {b.taken_at.astimezone():%Y-%m-%d %H:%M}  {b.bytes / 1e6:8.1f} MB  {b.label}")
        return 0
    chosen = find_backup(data_dir, args.name)
    if args.backup_command == "delete":
        if not args.yes and not _confirm(f"Delete the backup {chosen.name} for good? [y/N] "):
            print("Nothing was changed.")
            return 1
        name = data_io.delete_backup(data_dir, chosen.name)
        out({"deleted": name}) if args.json else print(f"Deleted the backup {name}.")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInputError("Restoring replaces the memory; add --yes to confirm.")
        answer = input(f"Replace the memory with the backup {chosen.name}? The current one is backed up first. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    safety = restore_store(data_dir, chosen, args.clock.now())  # None: there was no store folder to keep
    kept = f" The memory as it was is kept as backup {safety.name}." if safety is not None else ""
    out({"restored": chosen.name, "previous": safety.name if safety is not None else None}) if args.json else print(
        f"Restored {chosen.name}.{kept}")
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise InvalidInputError("Deleting a backup cannot be undone; add --yes to confirm.")
    return input(question).strip().lower() in ("y", "yes")


COMMANDS = {"export": export, "import": import_, "backup": backup}
__all__ = ["COMMANDS", "MnemoError", "add_parsers", "needs_store"]
