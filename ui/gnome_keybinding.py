"""The fallback on GNOME when the desktop has no GlobalShortcuts portal: a custom keyboard
shortcut in GNOME Settings (org.gnome.settings-daemon.plugins.media-keys custom-keybindings) that
runs `mnemo-gui --quick-capture`, added through `gsettings` only when the user clicks
Preferences ▸ Keyboard Shortcuts ▸ Add to GNOME Shortcuts. No Qt here."""
from __future__ import annotations

import ast
import os
import shlex
import shutil
import subprocess
import sys

SCHEMA = "org.gnome.settings-daemon.plugins.media-keys"
LIST_KEY = "custom-keybindings"
ENTRY_SCHEMA = "org.gnome.settings-daemon.plugins.media-keys.custom-keybinding"
ENTRY_PATH = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/mnemo-quick-capture/"
NAME = "Mnemo Quick Capture"
BINDING = "<Control><Shift>space"
BINDING_TEXT = "Ctrl+Shift+Space"
GNOME_DESKTOPS = {"gnome", "gnome-flashback", "gnome-classic", "ubuntu", "unity", "pop", "budgie", "zorin"}


def _gsettings(*args: str) -> str:
    done = subprocess.run(["gsettings", *args], capture_output=True, text=True, timeout=10)
    if done.returncode != 0:
        raise OSError(done.stderr.strip() or f"gsettings {' '.join(args)} failed")
    return done.stdout.strip()


def on_gnome(env=os.environ) -> bool:
    desktops = {d.strip().lower() for d in env.get("XDG_CURRENT_DESKTOP", "").split(":")}
    return bool(desktops & GNOME_DESKTOPS)


def available(env=os.environ) -> bool:
    """GNOME is the desktop, gsettings is there and knows GNOME's custom shortcuts."""
    if not on_gnome(env) or shutil.which("gsettings") is None:
        return False
    try:
        return SCHEMA in _gsettings("list-schemas").split()
    except (OSError, subprocess.SubprocessError):
        return False


def command(data_dir=None) -> str:
    """What the shortcut runs: this mnemo-gui by its full path (GNOME's PATH may not have a venv's
    bin/), with the memory's folder (GNOME does not see $MNEMO_DATA_DIR)."""
    if getattr(sys, "frozen", False):
        program = [sys.executable]
    else:
        found = shutil.which("mnemo-gui") or os.path.join(os.path.dirname(sys.executable), "mnemo-gui")
        program = [found] if os.path.exists(found) else [sys.executable, "-m", "app.gui"]
    return shlex.join(program + ["--quick-capture"] + (["--data-dir", str(data_dir)] if data_dir else []))


def _entries() -> list[str]:
    return list(ast.literal_eval(_gsettings("get", SCHEMA, LIST_KEY).removeprefix("@as ")))


def added() -> bool:
    try:
        return ENTRY_PATH in _entries()
    except (OSError, ValueError, SyntaxError, subprocess.SubprocessError):
        return False


def add(run: str) -> str:
    """Adds (or updates) Mnemo's entry; returns the keys, as the user reads them. OSError when
    gsettings refuses."""
    entry = f"{ENTRY_SCHEMA}:{ENTRY_PATH}"
    _gsettings("set", entry, "name", NAME)
    _gsettings("set", entry, "command", run)
    _gsettings("set", entry, "binding", BINDING)
    entries = _entries()
    if ENTRY_PATH not in entries:
        _gsettings("set", SCHEMA, LIST_KEY, str(entries + [ENTRY_PATH]))
    return BINDING_TEXT


def remove() -> None:
    entries = _entries()
    if ENTRY_PATH in entries:
        entries.remove(ENTRY_PATH)
        _gsettings("set", SCHEMA, LIST_KEY, str(entries) if entries else "@as []")
    _gsettings("reset-recursively", f"{ENTRY_SCHEMA}:{ENTRY_PATH}")
