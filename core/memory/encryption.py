"""Encryption at rest: unlocking an encrypted store, turning encryption on and off, changing the
passphrase (core/memory/keys.py holds the keys, core/memory/sealing.py seals the rows).

Turning it on or off converts the store, crash-safe at every step:
1. (on) the store is backed up, then the key file is written with state "turning-on"
   ("turning-off" for off); from then on new rows are written as the target state wants.
2. Every memory row and history reason is rewritten sealed (or opened) as one write under the
   ledger: a crash half-way rolls back to the rows as they were.
3. The tables are compacted: the old versions, which held the words in the clear (or sealed
   with a key that is about to go), leave the disk.
4. Every backup is converted the same way (the backup taken in step 1 included).
5. The key file says "on" (or is deleted, with its keyring entry).
A conversion cut short at any step is finished when the store is opened next (the key file
still says "turning-…"; every step can run again); each row says whether it is sealed, so a
store half-way is read correctly meanwhile."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyarrow as pa

from ..errors import InvalidInputError, MnemoError, StoreError
from .backup import backup_store, list_backups, settle
from .integrity import record_checksum
from .keys import KEY_FILE, KeyFile, KeyringKey, Passphrase, key_id, new_data_key, secure_keyring, store_keyring_key, \
    unwrap, wrap
from .schema import SCHEMA_VERSION
from .sealing import SEALED_META, RowCipher, is_sealed_text

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (stage, done, total)
BATCH = 5000
BROKEN = "0" * 32  # the checksum written for a record that did not match its own: it stays damaged


@dataclass
class EncryptionStatus:
    on: bool
    method: str  # "passphrase", "keyring" or ""
    state: str  # "on", "off", "turning-on", "turning-off"
    backups: int
    unconverted: list[str] = field(default_factory=list)  # backups that could not be read, left as they were

    def as_json(self) -> dict:
        return {"encrypted": self.on, "method": self.method or None, "state": self.state, "backups": self.backups,
                "unconverted_backups": self.unconverted}

    def warning(self) -> str:
        """What to do about the backups left as they were ("" when there are none)."""
        if not self.unconverted:
            return ""
        names = ", ".join(self.unconverted)
        return (f"The backup{'s' if len(self.unconverted) > 1 else ''} {names} could not be read (damaged), so "
                f"{'they were' if len(self.unconverted) > 1 else 'it was'} left as before"
                + (" — in the clear" if self.on else "") + f". Delete {'them' if len(self.unconverted) > 1 else 'it'}"
                f" with `mnemo backup delete NAME` (or File ▸ Backups…).")


class StoreEncryption:
    """Mixed into MemoryStore (core/memory/store.py)."""

    _keys: KeyFile | None = None

    # ---------------------------------------------------------------- opening
    def _unlock(self, passphrase: Callable[[], Passphrase] | None) -> None:
        """Before anything is read or written: with a key file, the data key is unwrapped (the
        keyring silently, else `passphrase()`); a wrong one is refused and nothing is changed."""
        self._keys = KeyFile.load(self._tables.db_dir)
        if self._keys is None:
            return
        self._tables.cipher = RowCipher(unwrap(self._keys, passphrase))
        self._tables.sealing = self._keys.state in ("on", "turning-on")

    def _resume_conversion(self, progress: Progress | None = None) -> None:
        """A conversion cut short (the key file still says turning-on/off): finish it now."""
        if self._keys is not None and self._keys.state in ("turning-on", "turning-off") and not self.damage:
            log.info("finishing a conversion of the store that was cut short (%s)", self._keys.state)
            self._convert(self._keys.state == "turning-on", progress)

    def verify_passphrase(self, passphrase: Passphrase) -> bool:
        """Does `passphrase` unlock the key this open memory uses? Checked against the key file read
        when it was unlocked (held in memory), never the one on disk now, which anyone could swap."""
        import hmac

        if self._keys is None or self._tables.cipher is None or self._keys.method != "passphrase":
            return False
        try:
            data_key = unwrap(self._keys, lambda: passphrase)
        except MnemoError:
            return False
        return hmac.compare_digest(key_id(data_key), self._tables.cipher.key_id)

    @property
    def cipher(self) -> RowCipher | None:
        return self._tables.cipher

    def encryption(self) -> EncryptionStatus:
        keys = self._keys
        backups = len(list_backups(self.data_dir))
        skipped = list(getattr(self, "unconverted_backups", []))
        if keys is None:
            return EncryptionStatus(False, "", "off", backups, skipped)
        return EncryptionStatus(keys.state == "on", keys.method, keys.state, backups, skipped)

    # ---------------------------------------------------------------- on, off, passphrase
    def encrypt(self, secret: Passphrase | KeyringKey | None, progress: Progress | None = None) -> EncryptionStatus:
        """Turn encryption on: `secret` a Passphrase, or None for a key kept in the OS keyring."""
        self._refuse_if_damaged()
        if self._keys is not None and self._keys.state == "turning-on":  # cut short (a full disk): finish it
            self._convert(True, progress)
            return self.encryption()
        if self._keys is not None:
            raise InvalidInputError("The memory is already encrypted (`mnemo encryption passphrase` changes how it is "
                                    "unlocked)." if self._keys.state == "on" else "The memory is being decrypted; "
                                    "run `mnemo encryption off` again to finish, then turn it on.")
        if secret is None:
            secure_keyring()  # NoKeyringError before anything is written: never a silent fall back
        data_key = new_data_key()
        cipher = RowCipher(data_key)
        if secret is None:
            secret = store_keyring_key(cipher.key_id)

        def start() -> None:
            self.last_backup = backup_store(self.data_dir, "before-encryption", self.clock.now())
            keys = wrap(data_key, secret, state="turning-on")
            keys.save(self._tables.db_dir, data_key)
            self._keys = keys
            self._tables.cipher, self._tables.sealing = cipher, True
        self._writer.run(start)
        self._convert(True, progress)
        return self.encryption()

    def decrypt(self, progress: Progress | None = None) -> EncryptionStatus:
        """Turn encryption off: the store (and its backups) back in the clear."""
        self._refuse_if_damaged()
        if self._keys is None:
            raise InvalidInputError("The memory is not encrypted.")
        if self._keys.state != "turning-off":  # (else a conversion cut short: finish it)
            def start() -> None:
                self.last_backup = backup_store(self.data_dir, "before-decryption", self.clock.now())
                self._keys.state = "turning-off"
                self._keys.save(self._tables.db_dir, self._tables.cipher.data_key)
                self._tables.sealing = False
            self._writer.run(start)
        self._convert(False, progress)
        return self.encryption()

    def change_secret(self, secret: Passphrase | None) -> EncryptionStatus:
        """Unlock with a new passphrase (or the keyring, `secret` None) from now on: the data key is
        wrapped again, here and in every backup made with it; no row is rewritten."""
        if self._keys is None or self._tables.cipher is None:
            raise InvalidInputError("The memory is not encrypted; turn encryption on first.")
        old = self._keys

        def rewrap() -> None:
            data_key = self._tables.cipher.data_key
            new = wrap(data_key, secret if secret is not None else store_keyring_key(old.key_id), state=old.state)
            for backup in list_backups(self.data_dir):
                theirs = _key_file(backup.path / "store")
                if theirs is not None and theirs.key_id == old.key_id:
                    KeyFile(**{**new.__dict__, "state": theirs.state}).save(backup.path / "store", data_key)
            new.save(self._tables.db_dir, data_key)
            self._keys = new
            if old.method == "keyring" and new.method != "keyring":
                _forget_keyring_entry(old)
        if secret is None:
            secure_keyring()
        self._writer.run(rewrap)
        return self.encryption()

    # ---------------------------------------------------------------- converting
    def _convert(self, seal: bool, progress: Progress | None) -> None:
        self._write(lambda: convert_rows(self._tables, seal, progress), "the conversion")
        self._writer.run(self._compact_now)  # the old versions held the rows as they were: gone
        self.unconverted_backups = []
        for backup in list_backups(self.data_dir):
            if progress is not None:
                progress("backups", 0, 1)
            try:
                convert_backup(backup.path / "store", self._tables, seal, self._keys, self.clock.now().timestamp())
            except StoreError:  # a damaged backup: the rest go on, and the user is told which one it was
                self.unconverted_backups.append(backup.name)

        def finish() -> None:
            if seal:
                self._keys.state = "on"
                self._keys.save(self._tables.db_dir, self._tables.cipher.data_key)
            else:
                (self._tables.db_dir / KEY_FILE).unlink(missing_ok=True)
                _forget_keyring_entry(self._keys)
                self._keys = None
                self._tables.cipher, self._tables.sealing = None, False
        self._writer.run(finish)


def convert_rows(tables, seal: bool, progress: Progress | None = None) -> int:
    """Rewrite every memory row and history reason sealed (or in the clear); returns the rows
    changed. Writer thread, within one write (the caller's ledger unit)."""
    cipher = tables.cipher
    table = tables.memories.to_arrow()
    n = table.num_rows
    columns, vectors, sealed, undecryptable = tables.decode(table)
    sums = table.column("checksum").to_pylist() if "checksum" in table.schema.names else [None] * n
    todo = [i for i in range(n) if sealed[i] != seal and i not in undecryptable]
    schema = tables.memories.schema
    for start in range(0, len(todo), BATCH):
        rows = []
        for i in todo[start:start + BATCH]:
            row = {name: columns[name][i] for name in columns}
            row["checksum"] = sums[i]
            was = record_checksum(row, vectors[i], cipher.checksum_key if sealed[i] and cipher else b"")
            sound = sums[i] == was
            if seal:
                row["checksum"] = record_checksum(row, vectors[i], cipher.checksum_key) if sound else BROKEN
                rows.append(cipher.seal_row(row, vectors[i]))
            else:
                row["checksum"] = record_checksum(row, vectors[i]) if sound else BROKEN
                rows.append({**row, "vector": vectors[i].tolist(), "sealed": None})
        tables.memories.merge_insert("id").when_matched_update_all().execute(
            pa.Table.from_pylist(rows, schema=schema), on_bad_vectors="null")
        if progress is not None:
            progress("memories", min(start + BATCH, len(todo)), len(todo))
    changed = len(todo)
    if tables.history is not None:
        changed += _convert_history(tables, seal)
    for key in SEALED_META:
        value = tables.meta_value(key)
        if value is not None:
            tables.set_meta(key, value)  # sealed, or in the clear, as tables.sealing now says
            changed += 1
    if seal:  # which key sealed it: a key file from another memory is told apart on open
        tables.set_meta(KEY_ID_META, cipher.key_id)
    elif tables.meta_value(KEY_ID_META) is not None:
        tables.delete_meta(KEY_ID_META)
    return changed


KEY_ID_META = "encryption_key_id"


def check_key_file(tables, db_dir) -> None:
    """On open: the key file unlocked a key, but is it this memory's? (One copied from another data
    folder, with the same passphrase, would make every record look damaged.)"""
    from .keys import DecryptError

    sealed_with = tables.meta_value(KEY_ID_META) if tables.cipher is not None else None
    if sealed_with is not None and sealed_with != tables.cipher.key_id:
        raise DecryptError(f"The key file {db_dir / KEY_FILE} belongs to another memory (its key is not the one this "
                           "memory was sealed with); put this memory's own key file back (each backup holds a copy). "
                           "Nothing was changed.")


def _convert_history(tables, seal: bool) -> int:
    table = tables.history.to_arrow().select(["id", "reason"])
    cipher = tables.cipher
    rows = []
    for row_id, reason in zip(table.column("id").to_pylist(), table.column("reason").to_pylist()):
        if not reason or is_sealed_text(reason) == seal:
            continue
        opened = cipher.open_text(reason, row_id) if is_sealed_text(reason) else reason
        rows.append({"id": row_id, "reason": cipher.seal_text(opened, row_id) if seal else opened})
    schema = pa.schema([("id", pa.string()), ("reason", pa.string())])
    for start in range(0, len(rows), 10 * BATCH):
        tables.history.merge_insert("id").when_matched_update_all().execute(
            pa.Table.from_pylist(rows[start:start + 10 * BATCH], schema=schema))
    return len(rows)


def convert_backup(db_dir: Path, live, seal: bool, keys: KeyFile | None, now: float) -> None:
    """Convert one backup's store like the live one (`live`: its Tables, holding the cipher),
    then drop its old versions and record it in its ledger. A backup sealed with another key,
    or one that cannot be read, is left as it is (and logged)."""
    from .tables import Tables

    theirs = _key_file(db_dir)
    cipher = live.cipher
    if theirs is not None and cipher is not None and theirs.key_id != cipher.key_id:
        log.warning("the backup %s is sealed with another key; left as it is", db_dir.parent.name)
        return
    try:
        tables = Tables(db_dir, live.dim)
        tables.open(has_ledger=(db_dir / "integrity.json").exists(), create=False)
        if tables.memories is None:
            return
        if tables.schema_version < SCHEMA_VERSION:  # taken before an upgrade: brought up to date first, as a
            tables.migrate(tables.schema_version, now)  # restore would (an old migration cannot read sealed rows)
        tables.cipher, tables.sealing = cipher, seal
        convert_rows(tables, seal)
        settle(tables, db_dir)
    except (StoreError, OSError, ValueError, RuntimeError) as exc:
        log.warning("could not convert the backup %s: %s", db_dir.parent.name, exc)
        raise StoreError(f"The backup {db_dir.parent.name} could not be converted: it is damaged.") from None
    if seal and keys is not None:
        KeyFile(**{**keys.__dict__, "state": "on"}).save(db_dir, live.cipher.data_key)
    elif not seal:
        (db_dir / KEY_FILE).unlink(missing_ok=True)


def _key_file(db_dir: Path) -> KeyFile | None:
    try:
        return KeyFile.load(db_dir)
    except Exception:  # a damaged key file in a backup: it is left alone
        return None


def _forget_keyring_entry(keys: KeyFile) -> None:
    if keys.method != "keyring" or not keys.keyring_user:
        return
    try:
        secure_keyring().delete_password("Mnemo", keys.keyring_user)
    except Exception as exc:  # the entry stays; it unlocks nothing any more
        log.info("could not remove the keyring entry %s: %s", keys.keyring_user, exc)


__all__ = ["EncryptionStatus", "StoreEncryption", "convert_rows", "convert_backup"]
