"""The ground floor: what a memory is and where it is kept.

Owns the record (`records`), the LanceDB store (`store`, with its tables and schema, the
in-memory mirror, the history log, the import journal, its opening and its compaction), its
integrity ledger and checks (`integrity`, `check`), the one writer thread (`writer`),
the Ebbinghaus curve (`decay`), the store's backups (`backup`) and its encryption at rest
(`keys`: the passphrase, the keyring and the store's key file; `sealing`: sealed rows;
`encryption`: unlocking, turning it on and off, changing the passphrase).

May import: the shared primitives at the top of core (clock, errors, text, days) and nothing
else of core."""
