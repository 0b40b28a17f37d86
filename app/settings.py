"""User settings kept beside the memory, in DATA_DIR/settings.json (written atomically).

{
  "model_path": null,                       # a GGUF file the user chose; null = the bundled model
  "offline": false,                         # true: never download a model (Mnemo makes no other connection)
  "models": {"Qwen2.5-1.5B-Instruct-Q4_K_M.gguf": {"context": 4096}},  # per-model settings (file name)
  "added_models": [],                       # GGUF files added from elsewhere on disk
  "model_offer": "",                        # "declined" once the user said no to the recommended model
  "decay": {                                # how memories fade (see core/memory/decay.py)
    "min_strength_days": 1.0,               #   strength of a memory of importance 0
    "max_strength_days": 730.0,             #   strength of a memory of importance 1 (log-linear between)
    "recall_growth": 2.0,                   #   a recall multiplies strength by up to this (the full factor when almost forgotten)
    "fading_below": 0.5, "forget_below": 0.1, "retention_weight": 0.3
  },
  "schedule": {                             # background upkeep intervals
    "sweep_every_hours": 6, "summaries_every_minutes": 60, "overview_every_hours": 24,
    "backup_every_hours": 24, "backups_kept": 7,      # a copy of the store in DATA_DIR/backups
    "compact_every_writes": 200             # merge the tables' files after this many writes (or on closing)
  },
  "summaries": {"use_model": "auto"},       # auto: only models of 1B weights and up write summaries
  "importance": {                           # how much a new memory matters at first (0..1), per way it
    "notes_at_least": 0.75,                 #   arrives: notes (typed, Quick Capture), chat, imports, apps
    "imports_at_most": 0.9                  #   (connected programs); <way>_at_least / <way>_at_most
  }                                         #   (see core/intake/importance.py)
}
Only values that differ from the defaults need to be present."""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from core.errors import MnemoError
from core.intake.importance import ImportanceDefaults
from core.lifecycle.summaries import SummaryOptions
from core.memory.decay import DecayPolicy

FILE_NAME = "settings.json"


@dataclass(frozen=True)
class Schedule:
    sweep_every_hours: float = 6.0
    summaries_every_minutes: float = 60.0
    overview_every_hours: float = 24.0
    backup_every_hours: float = 24.0
    backups_kept: int = 7
    compact_every_writes: int = 200

    def __post_init__(self) -> None:
        for f in fields(self):
            if not getattr(self, f.name) > 0:
                raise ValueError(f"{f.name} must be a positive number")
        for name in ("backups_kept", "compact_every_writes"):
            if not isinstance(getattr(self, name), int) or isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be a whole number")


@dataclass
class Settings:
    model_path: str | None = None
    offline: bool = False
    models: dict = field(default_factory=dict)  # file name -> {context, threads, temperature, answer_tokens}
    added_models: list = field(default_factory=list)
    model_offer: str = ""
    decay: DecayPolicy = field(default_factory=DecayPolicy)
    schedule: Schedule = field(default_factory=Schedule)
    summaries: SummaryOptions = field(default_factory=SummaryOptions)
    importance: ImportanceDefaults = field(default_factory=ImportanceDefaults)

    @classmethod
    def load(cls, data_dir: Path) -> "Settings":
        path = Path(data_dir) / FILE_NAME
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except RecursionError:
            raise MnemoError(f"The settings file {path} nests too deeply to be Mnemo's; fix or delete it.") from None
        except (OSError, ValueError) as exc:
            raise MnemoError(f"The settings file {path} cannot be read ({exc}); fix or delete it.") from exc
        return cls.from_dict(raw, path)

    @classmethod
    def from_dict(cls, raw, path) -> "Settings":
        """`path` names where the values came from, in error messages."""
        if not isinstance(raw, dict):
            raise MnemoError(f"The settings file {path} does not hold settings; fix or delete it.")
        model = raw.get("model_path")
        return cls(
            model_path=str(model) if model else None,
            **_model_choices(path, raw),
            decay=_section(path, raw, "decay", DecayPolicy),
            schedule=_section(path, raw, "schedule", Schedule),
            summaries=_section(path, raw, "summaries", SummaryOptions),
            importance=_section(path, raw, "importance", ImportanceDefaults),
        )

    def memory_settings(self) -> dict:
        """The settings that shape the memory (what an archive carries): all but the model
        file, which belongs to this computer."""
        content = {}
        for name, default in (("decay", DecayPolicy()), ("schedule", Schedule()), ("summaries", SummaryOptions()),
                              ("importance", ImportanceDefaults())):
            changed = {k: v for k, v in asdict(getattr(self, name)).items() if v != getattr(default, k)}
            if changed:
                content[name] = changed
        return content

    def save(self, data_dir: Path) -> None:
        """Written whole or not at all (a temporary file renamed); a full disk is a sentence."""
        data_dir = Path(data_dir)
        content = {"model_path": self.model_path, **self.memory_settings()}
        for name, default in (("offline", False), ("models", {}), ("added_models", []), ("model_offer", "")):
            if getattr(self, name) != default:
                content[name] = getattr(self, name)
        tmp = None
        try:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".settings-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(content, handle, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, data_dir / FILE_NAME)
        except OSError as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise MnemoError(f"The settings could not be saved in {data_dir} ({exc.strerror or exc}); they are "
                             "as they were.") from None


def _model_choices(path: Path, raw: dict) -> dict:
    offline, models = raw.get("offline", False), raw.get("models", {})
    added, offer = raw.get("added_models", []), raw.get("model_offer", "")
    if not isinstance(offline, bool):
        raise MnemoError(f"In the settings file {path}, 'offline' must be true or false; fix or delete it.")
    if not isinstance(models, dict) or not all(isinstance(v, dict) for v in models.values()):
        raise MnemoError(f"In the settings file {path}, 'models' must map model files to their settings; fix or delete it.")
    if not isinstance(added, list) or not all(isinstance(p, str) for p in added):
        raise MnemoError(f"In the settings file {path}, 'added_models' must be a list of paths; fix or delete it.")
    if offer not in ("", "declined", "accepted"):
        raise MnemoError(f"In the settings file {path}, 'model_offer' must be \"\", \"declined\" or \"accepted\".")
    return {"offline": offline, "models": models, "added_models": added, "model_offer": offer}


def _section(path: Path, raw: dict, name: str, kind):
    values = raw.get(name, {})
    if not isinstance(values, dict):
        raise MnemoError(f"In the settings file {path}, '{name}' must be an object of settings; fix or delete it.")
    known = {f.name: f for f in fields(kind)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise MnemoError(f"In the settings file {path}, '{name}' has unknown settings: {', '.join(unknown)}.")
    try:
        for key, value in values.items():
            if known[key].type in ("float", float) and not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{key} must be a number, not {value!r}")
            if known[key].type in ("int", int) and not isinstance(value, int):
                raise ValueError(f"{key} must be a whole number, not {value!r}")
        if name == "summaries" and values.get("use_model", "auto") not in ("auto", "always", "never"):
            raise ValueError("use_model must be auto, always or never")
        return kind(**values)
    except (TypeError, ValueError) as exc:
        raise MnemoError(f"In the settings file {path}, '{name}': {exc}. Fix or delete it.") from exc
