"""Backups of the memory store: a full copy of DATA_DIR/store in DATA_DIR/backups/NAME.
Taken before any schema migration (and, later, on a schedule)."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from .errors import StoreError

BACKUPS = "backups"


def backup_store(data_dir: Path, label: str, at: datetime) -> Path:
    """Copy the store folder to backups/<time>-<label>; returns the copy's folder.
    A partial copy (e.g. a full disk) is removed and reported, and the store is not touched."""
    data_dir = Path(data_dir)
    source = data_dir / "store"
    target = data_dir / BACKUPS / f"{at.strftime('%Y%m%dT%H%M%S')}-{label}"
    suffix = 1
    while target.exists():
        suffix += 1
        target = target.with_name(f"{target.name.rsplit('~', 1)[0]}~{suffix}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copytree(source, target / "store")
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise StoreError(
            f"Could not back up the memory store to {target} ({exc.strerror or exc}); nothing was changed. "
            "Free some disk space and open Mnemo again."
        ) from exc
    return target
