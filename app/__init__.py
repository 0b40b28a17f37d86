"""Composition root: settings, paths, wiring, CLI and GUI entry points."""
