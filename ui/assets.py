"""The app's icon and style sheet, shipped in the `resources` package."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import resources


def resource_path(name: str) -> Path:
    return Path(resources.__file__).resolve().parent / name


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons/mnemo.svg")))


def style_sheet() -> str:
    path = resource_path("style.qss")
    return path.read_text(encoding="utf-8") if path.exists() else ""


def apply_style(app: QApplication) -> None:
    app.setWindowIcon(app_icon())
    app.setStyleSheet(style_sheet())
