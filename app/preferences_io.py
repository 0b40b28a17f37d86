"""What Preferences reads and changes in the settings (DATA_DIR/settings.json, app/settings.py):
the importance defaults and the upkeep schedule with its backups. Each change is saved, then
applied to the open memory at once (the running scheduler follows through the bridge's
schedule_changed signal, see app/gui.py). Injected into the bridge as `prefs_ops`.

Changes are read, changed and written under one lock, so two pages saving at the same moment
cannot undo each other."""
from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from core.intake.importance import ImportanceDefaults

from .settings import Schedule, Settings

_LOCK = threading.Lock()


def importance_defaults(data_dir: Path) -> ImportanceDefaults:
    return Settings.load(data_dir).importance


def set_importance_defaults(mnemo, changes: dict) -> ImportanceDefaults:
    """Save `changes` (e.g. {"chat_at_least": 0.5}) and weigh what is captured from now on by them;
    out-of-range values raise ValueError and change nothing."""
    with _LOCK:
        settings = Settings.load(mnemo.data_dir)
        settings.importance = dataclasses.replace(settings.importance, **changes)
        settings.save(mnemo.data_dir)
    mnemo.judge.defaults = settings.importance
    return settings.importance


def schedule(data_dir: Path) -> Schedule:
    return Settings.load(data_dir).schedule


def set_schedule(mnemo, changes: dict) -> Schedule:
    """Save `changes` (e.g. {"backups_kept": 3}) and let the open memory judge what is due by them;
    returns the whole schedule (for the running scheduler)."""
    with _LOCK:
        settings = Settings.load(mnemo.data_dir)
        settings.schedule = dataclasses.replace(settings.schedule, **changes)
        settings.save(mnemo.data_dir)
    new = settings.schedule
    mnemo.maintenance.set_timing(new.sweep_every_hours, new.backup_every_hours, new.backups_kept)
    return new
