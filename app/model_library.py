"""The model library as the app and the CLI use it: the catalog shipped in resources/, the
models folder (DATA_DIR/models), the user's choices in settings.json (which model answers, the
per-model settings, files added from disk, the offline switch), and the one network access
Mnemo ever makes: a model download the user asked for."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from core.answering.llm import LlamaModel, check_model_file, physical_cores
from core.models import catalog, gguf_info
from core.models.catalog import Entry, Machine
from core.models.download import DownloadError, Progress, download
from core.models.library import PREFIX_CACHE, Installed, Library
from core.models.model_settings import ModelSettings

from .paths import default_model_path
from .settings import Settings

CATALOG = Path(__file__).resolve().parents[1] / "resources" / "models.json"
OFFLINE = ("Mnemo is set to work offline, so it downloads nothing. Turn that off in Preferences or with "
           "`mnemo models offline off` to download a model.")


def models_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "models"


def entries() -> list[Entry]:
    """The catalog shipped with Mnemo, or the one $MNEMO_MODEL_CATALOG names (an organisation's
    own list, or a test's)."""
    return catalog.load(Path(os.environ.get("MNEMO_MODEL_CATALOG") or CATALOG))


def library(data_dir: Path, settings: Settings | None = None) -> Library:
    settings = settings or Settings.load(data_dir)
    return Library(models_dir(data_dir), entries(), default_model_path(), settings.added_models)


def current_path(data_dir: Path, override: Path | None = None) -> Path:
    """--model wins; then the model chosen (settings); then the bundled one."""
    if override:
        return Path(override).expanduser()
    chosen = Settings.load(data_dir).model_path
    return Path(chosen) if chosen else default_model_path()


def build_model(data_dir: Path, path: Path) -> LlamaModel:
    """The model at `path` with the user's settings for it (the rest from its GGUF metadata)."""
    overrides = Settings.load(data_dir).models.get(Path(path).name, {})
    entry = next((e for e in entries() if e.file == Path(path).name), None)
    title = entry.title.split(" (")[0] if entry is not None else ""  # "SmolLM2 135M Instruct"
    from core.memory.keys import is_encrypted

    state_dir = None if is_encrypted(data_dir) else models_dir(data_dir) / PREFIX_CACHE  # the prompt state quotes memories
    return LlamaModel(path, overrides=overrides, state_dir=state_dir, title=title)


@dataclass(frozen=True)
class Offer:
    entry: Entry
    why: str


def recommendation(data_dir: Path, machine: Machine | None = None) -> Offer | None:
    """The model to suggest: better than what answers now, runs well here, not on disk yet;
    None when offline, declined before, or nothing better fits."""
    settings = Settings.load(data_dir)
    machine = machine or Machine.this_one()
    best = catalog.recommend(entries(), machine)
    if best is None:
        return None
    here = {m.path.name for m in library(data_dir, settings).installed()}
    if best.file in here:
        return None
    return Offer(best, catalog.runs_well(best, machine)[1])


def should_offer(data_dir: Path, machine: Machine | None = None) -> Offer | None:
    settings = Settings.load(data_dir)
    if settings.offline or settings.model_offer or settings.model_path:
        return None
    return recommendation(data_dir, machine)


def answer_offer(data_dir: Path, accepted: bool) -> None:
    settings = Settings.load(data_dir)
    settings.model_offer = "accepted" if accepted else "declined"
    settings.save(data_dir)


def fetch(data_dir: Path, name: str, on_progress: Callable[[Progress], None] | None = None,
          cancel: threading.Event | None = None) -> Path:
    """Download a catalog model (refused while offline). The source is the Hugging Face Hub, or
    $HF_ENDPOINT (a mirror)."""
    entry = catalog.find(entries(), name)
    if Settings.load(data_dir).offline:
        raise DownloadError(OFFLINE)
    return download(entry, models_dir(data_dir), endpoint=os.environ.get("HF_ENDPOINT") or None,
                    on_progress=on_progress, cancel=cancel)


def use(data_dir: Path, name: str) -> Installed:
    """Make a model on this computer the one that answers (loads its metadata to check it)."""
    model = library(data_dir).find(name)
    gguf_info.read(check_model_file(model.path))
    settings = Settings.load(data_dir)
    settings.model_path = None if model.kind == "bundled" else str(model.path.resolve())
    settings.save(data_dir)
    return model


def add(data_dir: Path, path: Path) -> Installed:
    """Add a GGUF file from disk to the library (it stays where it is)."""
    path = check_model_file(Path(path).expanduser())
    gguf_info.read(path)
    settings = Settings.load(data_dir)
    lib = library(data_dir, settings)
    added = lib.add(path)
    settings.added_models = lib.added
    settings.save(data_dir)
    return added


def remove(data_dir: Path, name: str) -> tuple[Installed, bool]:
    """Remove a model; returns it and whether the bundled one answers again because of it."""
    settings = Settings.load(data_dir)
    lib = library(data_dir, settings)
    model = lib.remove(name)
    was_current = bool(settings.model_path) and Path(settings.model_path).resolve() == model.path.resolve()
    settings.added_models = lib.added
    if was_current:
        settings.model_path = None
    settings.save(data_dir)
    return model, was_current


def settings_of(data_dir: Path, path: Path) -> tuple[ModelSettings, dict]:
    """A model's settings (its metadata's defaults with the user's changes) and the changes."""
    changes = Settings.load(data_dir).models.get(Path(path).name, {})
    info = gguf_info.read(check_model_file(path))
    return ModelSettings.defaults(info, physical_cores()).with_changes(changes), changes


def change_settings(data_dir: Path, path: Path, changes: dict, reset: bool = False) -> ModelSettings:
    settings = Settings.load(data_dir)
    current = {} if reset else dict(settings.models.get(Path(path).name, {}))
    current.update({k: v for k, v in changes.items() if v is not None})
    info = gguf_info.read(check_model_file(path))
    resolved = ModelSettings.defaults(info, physical_cores()).with_changes(current)  # refuses bad values
    if current:
        settings.models[Path(path).name] = current
    else:
        settings.models.pop(Path(path).name, None)
    settings.save(data_dir)
    return resolved


def set_offline(data_dir: Path, offline: bool) -> None:
    settings = Settings.load(data_dir)
    settings.offline = offline
    settings.save(data_dir)



@dataclass(frozen=True)
class Row:
    """One model as the library shows it: a catalog entry (on this computer or not) or a file
    added from disk."""
    name: str
    title: str
    file: str
    size_bytes: int | None
    ram_bytes: int | None
    licence: str
    quantisation: str
    notes: str
    kind: str  # "bundled", "catalog" (not here yet), "downloaded" or "added"
    path: str | None  # where it is on this computer
    in_use: bool  # it answers now
    runs_well: bool
    why: str  # why it does (not) run well here
    recommended: bool
    staged_bytes: int  # what an unfinished download left (the next one resumes from it)

    @property
    def installed(self) -> bool:
        return self.path is not None


@dataclass(frozen=True)
class Overview:
    rows: list[Row]
    machine: str
    offline: bool


def overview(data_dir: Path, current: Path, machine: Machine | None = None) -> Overview:
    """The catalog and the models on this computer, with which answers now and which fits."""
    from core.models.download import staged_bytes

    settings = Settings.load(data_dir)
    machine = machine or Machine.this_one()
    known = entries()
    here = {m.path.name: m for m in library(data_dir, settings).installed()}
    best = catalog.recommend(known, machine)
    current = Path(current).resolve()
    rows = []
    for e in known:
        model = here.pop(e.file, None)
        ok, why = catalog.runs_well(e, machine)
        kind = "bundled" if e.bundled else (model.kind if model is not None else "catalog")
        rows.append(Row(e.name, e.title, e.file, e.size_bytes, e.ram_bytes, e.licence, e.quantisation, e.notes, kind,
                        str(model.path) if model else None, bool(model) and model.path.resolve() == current, ok, why,
                        best is not None and e.name == best.name, staged_bytes(models_dir(data_dir), e)))
    for model in here.values():
        size = model.path.stat().st_size if model.path.is_file() else None
        rows.append(Row(model.name, model.title, model.path.name, size, None, "", "", "", model.kind,
                        str(model.path), model.path.resolve() == current, True, "a file you added", False, 0))
    return Overview(rows, machine.describe(), settings.offline)
