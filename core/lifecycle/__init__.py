"""How memories live on: forgetting and reinforcement (`forgetting`, the sweep over the
curve in core.memory.decay), day summaries and the overview (`summaries`, `extractive`),
the user portrait (`portrait`), the facts (`facts`), the user's edits of a memory's words and
what follows them (`editing`) and the upkeep jobs that run them (`maintenance`).

May import: core.memory, core.recall and the shared primitives."""
