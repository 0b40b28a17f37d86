"""Checking a store folder (the live store or a backup) without writing to it: are its tables
there, do they match the ledger, do the records match their checksums, are the vectors sound?
And the sentence a person reads when something is wrong."""
from __future__ import annotations

import logging
import re
from pathlib import Path

from .integrity import DamageFound, Ledger, compare
from .schema import HISTORY, MEMORIES, SCHEMA_VERSION
from .tables import Tables, file_problem

log = logging.getLogger(__name__)


def inspect(db_dir: Path, dim: int = 384, cipher=None) -> list[str]:
    """What is wrong with the store in `db_dir`, as phrases (an empty list: nothing). Sealed
    records are checked with `cipher`; without it, only what is in the clear is."""
    db_dir = Path(db_dir)
    if not db_dir.is_dir():
        return ["its folder is missing"]
    ledger = Ledger(db_dir)
    problems: list[str] = []
    try:
        state = ledger.load()
    except (ValueError, KeyError, TypeError):
        state = None
        problems.append("its integrity record (integrity.json) cannot be read")
    tables = Tables(db_dir, dim)
    tables.cipher = cipher
    try:
        version, _ = tables.open(has_ledger=ledger.exists(), create=False)
        if tables.memories is None:
            return problems
        actual = tables.states(history_rows=None if tables.history is not None else 0)
        if state is not None:
            problems += compare(state, actual)
        elif version >= SCHEMA_VERSION and not problems and holds_records(actual):
            problems.append("its integrity record (integrity.json) is missing")
        _, _, broken, unsigned = tables.read_memories(require_key=False)
        problems += record_problems(broken, unsigned)
        for name, table in (("history", tables.history), ("meta", tables.meta)):
            try:
                if table is not None:
                    table.to_arrow()
            except Exception as exc:
                problems.append(file_problem(name, exc))
        if cipher is not None and tables.history is not None:
            from .history import unreadable_entries

            bad = unreadable_entries(tables.history, cipher)
            if bad:
                problems.append(f"{bad:,} sealed history {'entry was' if bad == 1 else 'entries were'} changed on "
                                "disk (they cannot be decrypted)")
    except DamageFound as found:
        problems += found.problems
    except Exception as exc:  # lance's own errors: name the file, not the library
        log.debug("checking %s failed", db_dir, exc_info=True)
        problems.append(unreadable(db_dir, exc))
    return problems


def holds_records(states: dict) -> bool:
    """Has anything been saved in these tables (the meta table of a new store has its schema version)?"""
    return any(states[name].rows for name in (MEMORIES, HISTORY) if name in states)


def record_problems(broken: list[str], unsigned: list[str]) -> list[str]:
    """Phrases for the records left out by `Tables.read_memories`."""
    problems = [damaged_rows(broken)] if broken else []
    if unsigned:
        one = len(unsigned) == 1
        problems.append(f"{len(unsigned):,} {'memory has' if one else 'memories have'} no checksum, although every "
                        f"record of this version carries one ({'it' if one else 'they'} may have been changed on "
                        f"disk): {_shown(unsigned)}")
    return problems


def _shown(ids: list[str]) -> str:
    return ", ".join(i[:8] for i in ids[:3]) + (" …" if len(ids) > 3 else "")


def damaged_rows(ids: list[str]) -> str:
    shown = _shown(ids)
    one = len(ids) == 1
    return (f"{len(ids):,} {'memory was' if one else 'memories were'} changed on disk ({'its' if one else 'their'} "
            f"checksum does not match, or {'its' if one else 'their'} vector is impossible): {shown}")


def unreadable(db_dir: Path, exc: BaseException) -> str:
    """A phrase for a read error, naming the damaged file when the error gives it."""
    text = str(exc)
    match = re.search(r"((?:memories|history|meta)\.lance/[\w./-]+)", text)
    if match:
        return f"its file {match.group(1).rstrip('.')} is missing or damaged"
    table = next((name for name in ("memories", "history", "meta") if name in text), None)
    if table:
        return f"a file of the {table} table is missing or damaged"
    if isinstance(exc, OSError) and exc.strerror:
        return f"it cannot be read ({exc.strerror.lower()})"
    return "one of its files is missing or damaged"


def damage_message(data_dir: Path, problems: list[str], fatal: bool, good_backup: str | None,
                   readable: bool = True) -> str:
    """The sentence shown when the store is damaged: what is wrong, what Mnemo did, what to do."""
    what = "; ".join(problems)
    if fatal:
        head = f"The memory store in {data_dir} could not be read: {what}."
    else:
        head = (f"The memory store in {data_dir} is damaged: {what}. It is open read-only: what can be read "
                "is shown, and nothing new is saved on top of it.")
    if good_backup:
        fix = (f" The newest good backup is {good_backup}: restore it with `mnemo backup restore {good_backup}` "
               "(or File ▸ Backups…); the damaged store is kept as a backup first.")
    else:
        fix = " No good backup was found (`mnemo backup list` shows them all)."
    if readable:
        fix += " Or keep what is readable with `mnemo check --repair`."
    return head + fix
