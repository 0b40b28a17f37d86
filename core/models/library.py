"""The models on this computer: the bundled one, those downloaded into the models folder, and
GGUF files the user added from elsewhere on disk (referenced where they are, never copied)."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import MnemoError
from .catalog import Entry
from .download import STAGING

PREFIX_CACHE = ".prefix-cache"  # models_dir/.prefix-cache: each model's saved prompt state


@dataclass(frozen=True)
class Installed:
    name: str  # the catalog's name, or the file's name for a model not in the catalog
    path: Path
    entry: Entry | None
    kind: str  # "bundled", "downloaded" or "added"

    @property
    def title(self) -> str:
        return self.entry.title if self.entry is not None else self.path.stem


class Library:
    def __init__(self, models_dir: Path, entries: list[Entry], bundled_path: Path, added: list[str] = ()):
        self.models_dir = Path(models_dir)
        self.entries = entries
        self.bundled_path = Path(bundled_path)
        self.added = [str(p) for p in added]

    def _entry_for(self, path: Path) -> Entry | None:
        return next((e for e in self.entries if e.file == path.name and not e.bundled), None)

    def installed(self) -> list[Installed]:
        found: list[Installed] = []
        bundled = next((e for e in self.entries if e.bundled), None)
        if self.bundled_path.is_file():
            found.append(Installed(bundled.name if bundled else self.bundled_path.stem, self.bundled_path,
                                   bundled, "bundled"))
        if self.models_dir.is_dir():
            for path in sorted(self.models_dir.glob("*.gguf")):
                entry = self._entry_for(path)
                found.append(Installed(entry.name if entry else path.name, path, entry, "downloaded"))
        for raw in self.added:
            path = Path(raw)
            if path.is_file() and all(i.path.resolve() != path.resolve() for i in found):
                found.append(Installed(path.name, path, self._entry_for(path), "added"))
        return found

    def find(self, name: str) -> Installed:
        """A model on this computer by its name, its file name or its path."""
        wanted = name.strip()
        for model in self.installed():
            if wanted.casefold() in (model.name.casefold(), model.path.name.casefold()) or \
                    Path(wanted).expanduser().resolve() == model.path.resolve():
                return model
        entry = next((e for e in self.entries if e.name.casefold() == wanted.casefold()), None)
        if entry is not None:
            raise MnemoError(f"{entry.title} is not on this computer yet: `mnemo models download {entry.name}` "
                             f"fetches it ({entry.size_label}).")
        known = ", ".join(m.name for m in self.installed()) or "none"
        raise MnemoError(f"There is no model called '{name}' on this computer. Models here: {known}.")

    def remove(self, name: str) -> Installed:
        """Delete a downloaded model's file (and any unfinished download of it); an added file is
        only forgotten (it is the user's); the bundled model stays."""
        model = self.find(name)
        if model.kind == "bundled":
            raise MnemoError(f"{model.title} comes with Mnemo and cannot be removed.")
        if model.kind == "downloaded":
            try:
                model.path.unlink()
            except OSError as exc:
                raise MnemoError(f"{model.path} could not be deleted ({exc.strerror}).") from None
            if model.entry is not None:
                shutil.rmtree(self.models_dir / STAGING / model.entry.name, ignore_errors=True)
            for saved in (self.models_dir / PREFIX_CACHE).glob(f"{model.path.stem[:40]}-*.prefix"):
                saved.unlink(missing_ok=True)  # its prompt state (core/answering/prefix_cache.py)
        else:
            self.added = [p for p in self.added if Path(p).resolve() != model.path.resolve()]
        return model

    def add(self, path: Path) -> Installed:
        """Add a GGUF file from disk (checked by the caller to be a readable model)."""
        path = Path(path).expanduser().resolve()
        if str(path) not in self.added:
            self.added.append(str(path))
        return next(m for m in self.installed() if m.path.resolve() == path)
