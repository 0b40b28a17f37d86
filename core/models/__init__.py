"""The model library: the catalog of well-known GGUF models Mnemo can fetch, what this machine
can run well, the download (the only network access Mnemo ever makes, and only on the user's
request), the models on disk, and each model's settings read from its GGUF metadata.

May import: nothing of core but the shared primitives (clock, errors, text, days, bounded)."""
