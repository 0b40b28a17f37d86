"""Import, export and backups as the CLI and the GUI both use them: the passphrase and
keyring choices, and the archive's settings (applied only to a new, empty memory)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import MnemoError
from core.transfer.crypto import KeyringKey, NoKeyringError, Passphrase, secure_keyring

from .settings import FILE_NAME, Settings

if TYPE_CHECKING:  # imported by the GUI at start: the heavy modules only when used
    from core.intake.importer import ImportReport
    from core.intake.readers import ParsedImport

PASSPHRASE_ENV = "MNEMO_PASSPHRASE"


def passphrase_from(file: Path | None) -> Passphrase | None:
    """--passphrase-file FILE (first line), else $MNEMO_PASSPHRASE, else None."""
    if file is not None:
        try:
            lines = Path(file).expanduser().read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise MnemoError(f"The passphrase file {file} cannot be read ({exc.strerror or exc}).") from exc
        return Passphrase(lines[0] if lines else "")
    if os.environ.get(PASSPHRASE_ENV):
        return Passphrase(os.environ[PASSPHRASE_ENV])
    return None


def keyring_ready() -> str | None:
    """None when a secure keyring can hold the archive key, else why not."""
    try:
        secure_keyring()
    except NoKeyringError as exc:
        return str(exc)
    return None


def export_secret(given: Passphrase | None) -> Passphrase | KeyringKey:
    """The passphrase when one was given; else the keyring's key (NoKeyringError if none)."""
    if given is not None:
        return given
    secure_keyring()
    return KeyringKey()


def read_for_import(mnemo, path: Path, format: str | None, passphrase, me: str | None = None) -> "ParsedImport":
    """Read and validate the file, the settings of an archive included; nothing is written.
    `me`: in a chat app's export, which speaker is the user ("none": nobody); asked when needed
    (WhoIsMe)."""
    from core.intake.readers import settle_me

    parsed = settle_me(mnemo.read_import(Path(path), format, passphrase), Path(path).name, me)
    if parsed.archive is not None:
        Settings.from_dict(parsed.archive.settings, f"{Path(path).name} (its settings.json)")
    return parsed


def run_import(mnemo, parsed: "ParsedImport", file_name: str, progress=None, cancel=None) -> "ImportReport":
    """Import; an archive's settings are taken over when the memory was new and had none."""
    was_new = len(mnemo.store) == 0 and not (mnemo.data_dir / FILE_NAME).exists()
    report = mnemo.import_parsed(parsed, file_name, progress, cancel)
    if parsed.archive is not None and was_new and report.settings:
        taken = Settings.from_dict(report.settings, "the archive's settings")
        taken.model_path = Settings.load(mnemo.data_dir).model_path
        taken.save(mnemo.data_dir)
        report.settings_applied = True
    return report


def export_to(mnemo, path: Path, secret=None):
    return mnemo.export(Path(path), Settings.load(mnemo.data_dir).memory_settings(), secret)


RESTORE_MARK = "restore-on-start.txt"


def request_restore(data_dir: Path, name: str) -> None:
    """Restore the backup `name` the next time the memory is opened (the app cannot swap the
    store it has open); the choice is checked now."""
    from core.memory.backup import find_backup

    chosen = find_backup(Path(data_dir), name)
    mark = Path(data_dir) / RESTORE_MARK
    partial = mark.with_name(mark.name + ".part")
    try:
        partial.write_text(chosen.name + "\n", encoding="utf-8")
        os.replace(partial, mark)  # a reader sees the old mark or the whole new one
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise MnemoError(f"The restore could not be planned ({exc.strerror or exc}); nothing was changed.") from None


def delete_backup(data_dir: Path, name: str) -> str:
    """Delete one backup for good (e.g. a damaged one that still holds a purged memory).
    Returns its name; a backup waiting to be restored is refused."""
    import shutil

    from core.memory.backup import find_backup

    chosen = find_backup(Path(data_dir), name)
    if pending_restore(data_dir) == chosen.name:
        raise MnemoError(f"The backup {chosen.name} is to be restored when Mnemo next starts; choose Do Not Restore "
                         "first.")
    try:
        shutil.rmtree(chosen.path)
    except OSError as exc:
        raise MnemoError(f"The backup {chosen.name} could not be deleted ({exc.strerror or exc}).") from None
    return chosen.name


def cancel_restore(data_dir: Path) -> None:
    (Path(data_dir) / RESTORE_MARK).unlink(missing_ok=True)


def pending_restore(data_dir: Path) -> str | None:
    try:  # the mark may be withdrawn (Undo, on a worker thread) while it is read
        return (Path(data_dir) / RESTORE_MARK).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def apply_pending_restore(data_dir: Path, clock) -> str | None:
    """Before the store opens: carry out a restore the user asked for. Returns its name."""
    from core.memory.backup import find_backup, restore_store

    name = pending_restore(data_dir)
    if name is None:
        return None
    restore_store(Path(data_dir), find_backup(Path(data_dir), name), clock.now())
    cancel_restore(data_dir)
    return name


def restore_now(data_dir: Path, name: str, clock) -> str:
    """Put backup `name` in place of the store at once (the store must not be open; the
    current one is backed up first). Returns the name of that safety backup."""
    from core.memory.backup import find_backup, restore_store

    cancel_restore(data_dir)
    safety = restore_store(Path(data_dir), find_backup(Path(data_dir), name), clock.now())
    return safety.name if safety is not None else ""  # "": the store folder was missing, nothing to keep


def allowed_clients(data_dir: Path) -> list:
    """The programs allowed to use the memory over MCP (app/clients.py), by name."""
    from .clients import Clients

    return sorted(Clients(data_dir).all().values(), key=lambda c: c.name.casefold())


def allow_client(data_dir: Path, name: str, write: bool) -> None:
    from .clients import Clients

    Clients(data_dir).allow(name, write=write)


def revoke_client(data_dir: Path, name: str) -> None:
    from .clients import Clients

    Clients(data_dir).revoke(name)


def check_move(data_dir: Path, target: Path) -> int:
    """Preferences ▸ Data Folder ▸ Move… (app/data_move.py): the bytes to copy, or why not."""
    from .data_move import check_move as check

    return check(data_dir, target)


def move_memory(mnemo, target: Path, progress=None, cancel=None) -> Path:
    from .data_move import move_memory as move

    return move(mnemo, target, progress, cancel)
