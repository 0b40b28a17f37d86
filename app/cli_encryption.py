"""`mnemo encryption on|off|status|passphrase`: the memory encrypted at rest (core/memory/encryption.py),
and unlocking it for any command: $MNEMO_PASSPHRASE, else the passphrase typed at a prompt."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from core.errors import InvalidInputError
from core.memory.keys import LockedError, Passphrase

from . import data_io, privacy

NEW_PASSPHRASE_ENV = "MNEMO_NEW_PASSPHRASE"


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    enc = sub.add_parser("encryption", parents=[common],
                         help="encrypt the memory on disk: on, off, status, passphrase (change it)")
    what = enc.add_subparsers(dest="encryption_command", metavar="on|off|status|passphrase", required=True)
    for name, text in (("on", "encrypt the memory and its backups (after a backup)"),
                       ("passphrase", "unlock with a new passphrase (or the keyring) from now on")):
        parser = what.add_parser(name, parents=[common], help=text)
        parser.add_argument("--keyring", action="store_true",
                            help="keep the key in the system keyring: no passphrase to type")
        parser.add_argument("--new-passphrase-file", type=Path, metavar="FILE",
                            help=f"the new passphrase is this file's first line (else ${NEW_PASSPHRASE_ENV}, "
                                 "else it is asked twice)")
    what.add_parser("off", parents=[common], help="decrypt the memory and its backups")
    what.add_parser("status", parents=[common], help="is the memory encrypted, and how is it unlocked")


def unlocker():
    """How a command unlocks an encrypted memory: $MNEMO_PASSPHRASE, else a prompt in a terminal."""
    def ask() -> Passphrase:
        given = data_io.passphrase_from(None)
        if given is not None:
            return given
        if not sys.stdin.isatty():
            raise LockedError(f"The memory is encrypted with a passphrase: set ${data_io.PASSPHRASE_ENV} (or run the "
                              "command in a terminal to type it).")
        return Passphrase(getpass.getpass("Passphrase to unlock the memory: "))
    return ask


def _new_passphrase(args, first_time: bool) -> Passphrase | None:
    """The passphrase to lock with from now on (None: the keyring)."""
    if args.keyring:
        return None
    if args.new_passphrase_file is not None:
        return data_io.passphrase_from(args.new_passphrase_file)
    for name in (NEW_PASSPHRASE_ENV, *((data_io.PASSPHRASE_ENV,) if first_time else ())):
        if os.environ.get(name):
            return Passphrase(os.environ[name])
    if not sys.stdin.isatty():
        raise InvalidInputError(f"A new passphrase is needed: give --new-passphrase-file FILE, set ${NEW_PASSPHRASE_ENV}, "
                                "or use --keyring; nothing was changed.")
    first = getpass.getpass("New passphrase (8 characters or more): ")
    if getpass.getpass("New passphrase again: ") != first:
        raise InvalidInputError("The two passphrases differ; nothing was changed.")
    return Passphrase(first)


def _progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty() and stage == "memories":
        print(f"\r  {done:,} of {total:,} memories", end="", file=sys.stderr, flush=True)


def run(mnemo, args, out) -> int:
    store = mnemo.store
    command = args.encryption_command
    if command == "on":
        status = privacy.encrypt(mnemo, _new_passphrase(args, first_time=True), _progress)
        said = ("Encrypted the memory and its backups; "
                + ("it unlocks with your passphrase." if status.method == "passphrase"
                   else "the key is in your system keyring."))
    elif command == "off":
        status = store.decrypt(_progress)
        said = "Decrypted the memory and its backups: they are stored in the clear again."
    elif command == "passphrase":
        status = store.change_secret(_new_passphrase(args, first_time=False))
        said = ("The memory now unlocks with the new passphrase." if status.method == "passphrase"
                else "The memory now unlocks with the key in your system keyring.")
    else:
        status = store.encryption()
        said = (f"The memory is encrypted ({'passphrase' if status.method == 'passphrase' else 'key in the keyring'})."
                if status.on else "The memory is not encrypted." if status.state == "off"
                else f"The memory is being converted ({status.state}); it finishes the next time it is opened.")
    if sys.stderr.isatty() and command in ("on", "off"):
        print(file=sys.stderr)
    if args.json:
        out({**status.as_json(), "backup": str(store.last_backup) if command in ("on", "off") else None})
    else:
        print(said)
    if status.warning():
        print(f"mnemo: warning: {status.warning()}", file=sys.stderr)
    return 0


COMMANDS = {"encryption": run}
