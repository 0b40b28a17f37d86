"""Mnemo's memory engine. Pure Python: never imports Qt, holds no global state and is
handed its data directory, clock and collaborators by the caller (see app/wiring.py)."""
