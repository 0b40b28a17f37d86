"""User settings kept beside the memory, in DATA_DIR/settings.json (written atomically)."""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from core.errors import MnemoError

FILE_NAME = "settings.json"


@dataclass
class Settings:
    model_path: str | None = None  # a GGUF file the user chose; None = the bundled model

    @classmethod
    def load(cls, data_dir: Path) -> "Settings":
        path = Path(data_dir) / FILE_NAME
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MnemoError(f"The settings file {path} cannot be read ({exc}); fix or delete it.") from exc
        if not isinstance(raw, dict):
            raise MnemoError(f"The settings file {path} does not hold settings; fix or delete it.")
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        model = known.get("model_path")
        return cls(model_path=str(model) if model else None)

    def save(self, data_dir: Path) -> None:
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".settings-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(asdict(self), handle, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, data_dir / FILE_NAME)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
