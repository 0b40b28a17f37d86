"""What goes out, and comes back whole: Mnemo archives (`archive`: a checksummed zip of every
record and its history; `archive_read`: reading one back without trusting it), their
encryption (`crypto`: AES-GCM from `cryptography`, keys from scrypt or the keyring) and
exporting (`exporting`: archives and Markdown).

May import: core.memory and the shared primitives."""
