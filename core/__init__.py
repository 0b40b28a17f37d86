"""Mnemo's memory engine. Pure Python: never imports Qt, holds no global state and is
handed its data directory, clock and collaborators by the caller (see app/wiring.py).

    core/mnemo.py     the facade the app and the UI talk to
    core/clock.py, errors.py, text.py, days.py, bounded.py   shared primitives (import only
                      each other)
    core/memory/      records, the store, the writer, the decay curve, backups (ground floor)
    core/recall/      embedder, vector index, retrieval
    core/transfer/    archives, their encryption, exporting
    core/intake/      capture, imports, readers of every format
    core/lifecycle/   forgetting, summaries, portrait, upkeep
    core/guard/       screening, consensus, lessons
    core/answering/   prompt, model, answers

Imports run downward only, in the order above (tests/test_architecture.py checks it)."""
