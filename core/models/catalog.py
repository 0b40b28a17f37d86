"""The curated catalog (resources/models.json): well-known instruction GGUFs with their file,
size, the memory they need, licence, quantisation, sha256 and source repository; and which of
them this machine runs well."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import MnemoError

GIB = 1024 ** 3
# A model may take at most this share of the machine's memory (the rest is the system's,
# the other apps' and Mnemo's own).
RAM_SHARE = 0.5
# Weights a machine answers with at a readable speed, by physical cores (llama.cpp on the CPU:
# a question's memories are read at roughly 25 tokens/s per core per billion weights at Q4,
# so two cores read five notes of a 1B model in a few seconds).
BILLIONS_BY_CORES = ((1, 0.6), (2, 1.3), (4, 1.8), (6, 3.2), (8, 4.5))


@dataclass(frozen=True)
class Entry:
    name: str  # short, unique, typed in `mnemo models download NAME`
    title: str
    repo: str  # the Hugging Face repository it comes from
    file: str
    revision: str  # the commit the sha256 was taken at
    size_bytes: int
    ram_bytes: int  # memory to run it with Mnemo's context
    parameters_b: float  # billions of weights
    quantisation: str
    licence: str
    sha256: str
    chat_template: bool  # the GGUF carries its chat template
    notes: str = ""
    bundled: bool = False  # ships with Mnemo (never downloaded or removed)

    @property
    def size_label(self) -> str:
        return size_label(self.size_bytes)


def size_label(size: int) -> str:
    if size >= GIB:
        return f"{size / GIB:.1f} GB"
    return f"{size / 1024 ** 2:.0f} MB"


def load(path: Path) -> list[Entry]:
    """The catalog's entries, in order of preference (a bad catalog is a sentence)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        names = {f.name for f in fields(Entry)}
        entries = [Entry(**{k: v for k, v in item.items() if k in names}) for item in raw["models"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MnemoError(f"The model catalog {path} cannot be read ({exc}); reinstall Mnemo.") from None
    return entries


def find(entries: list[Entry], name: str) -> Entry:
    wanted = name.strip().casefold()
    for entry in entries:
        if wanted in (entry.name.casefold(), entry.file.casefold()):
            return entry
    known = ", ".join(e.name for e in entries)
    raise MnemoError(f"There is no model called '{name}' in the catalog. Known models: {known}.")


@dataclass(frozen=True)
class Machine:
    ram_bytes: int
    physical_cores: int

    @classmethod
    def this_one(cls) -> "Machine":
        import psutil

        cores = psutil.cpu_count(logical=False) or os.cpu_count() or 1
        return cls(int(psutil.virtual_memory().total), int(cores))

    def describe(self) -> str:
        return f"{self.ram_bytes / GIB:.0f} GB of memory and {self.physical_cores} cores"


def max_billions(cores: int) -> float:
    allowed = 0.2
    for needed, billions in BILLIONS_BY_CORES:
        if cores >= needed:
            allowed = billions
    return allowed


def runs_well(entry: Entry, machine: Machine) -> tuple[bool, str]:
    """Can this machine run `entry` at a readable speed, and why (not)?"""
    if entry.ram_bytes > machine.ram_bytes * RAM_SHARE:
        return False, f"needs {size_label(entry.ram_bytes)} of memory; this computer has {machine.describe()}"
    if entry.parameters_b > max_billions(machine.physical_cores):
        return False, f"would answer slowly on {machine.physical_cores} cores"
    return True, f"fits in {machine.describe()}"


def recommend(entries: list[Entry], machine: Machine) -> Entry | None:
    """The most capable model to fetch that this machine runs well (the largest; catalog order
    breaks ties), or None when only the bundled one does."""
    good = [e for e in entries if not e.bundled and runs_well(e, machine)[0]]
    if not good:
        return None
    return max(good, key=lambda e: (e.parameters_b, -entries.index(e)))
