"""Start Mnemo when the user logs in: an XDG autostart entry (`~/.config/autostart/mnemo.desktop`,
honouring $XDG_CONFIG_HOME), which desktops on Linux read at login. Mnemo then starts in the tray
(`--background`) on the same data folder."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

FILE_NAME = "mnemo.desktop"


def entry_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / FILE_NAME


def command(data_dir: Path | None) -> list[str]:
    """How to start this Mnemo: its `mnemo-gui` (beside this Python, else on PATH), else the module."""
    beside = Path(sys.executable).with_name("mnemo-gui")
    program = [str(beside)] if beside.exists() else (
        [found] if (found := shutil.which("mnemo-gui")) else [sys.executable, "-m", "app.gui"])
    folder = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return [*program, *folder, "--background"]


def quoted(arg: str) -> str:
    """An Exec argument as the Desktop Entry spec quotes it (double quotes; \\ " ` $ escaped)."""
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`%='):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    # the string type's escaping applies after the quoting: each backslash is written twice
    return f'"{escaped}"'.replace("%", "%%").replace("\\", "\\\\")


def is_enabled() -> bool:
    return entry_path().is_file()


def enable(data_dir: Path | None) -> Path:
    """Write the entry (atomically); OSError when the folder cannot be written."""
    path = entry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join([
        "[Desktop Entry]", "Type=Application", "Name=Mnemo", "Comment=Start Mnemo in the tray when you log in",
        f"Exec={' '.join(quoted(a) for a in command(data_dir))}", "Icon=mnemo", "Terminal=false",
        "X-GNOME-Autostart-enabled=true", ""])
    part = path.with_suffix(".desktop.part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)
    return path


def disable() -> None:
    entry_path().unlink(missing_ok=True)
