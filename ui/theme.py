"""Light and dark: the app's style sheet (resources/style.qss, written for light) in either
scheme, and the choice between them (Preferences ▸ Appearance): follow the system, light or
dark. Dark is the same sheet with each colour turned: backgrounds and text swap lightness,
accents keep their hue and stay vivid, on Qt's Fusion style with a dark palette."""
from __future__ import annotations

import colorsys
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from .assets import style_sheet

SYSTEM, LIGHT, DARK = "system", "light", "dark"
CHOICES = [("Follow the system", SYSTEM), ("Light", LIGHT), ("Dark", DARK)]
KEY = "appearance/theme"
_HEX = re.compile(r"#([0-9a-fA-F]{6})\b")


def dark_colour(hex6: str) -> str:
    """A light-scheme colour's dark counterpart: the same hue; a background or text colour with its
    lightness turned round (white -> near black, dark text -> light text), an accent a little lighter."""
    r, g, b = (int(hex6[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    if 0.35 <= lightness <= 0.65 and s > 0.3:  # an accent (links, the primary button, warnings)
        lightness = min(0.75, max(lightness + 0.1, 0.65))  # readable on a dark background
    else:
        if lightness > 0.8:
            s *= 0.6  # pastel backgrounds become quiet dark tints
        lightness = 0.1 + (1 - lightness) * 0.82
    r, g, b = colorsys.hls_to_rgb(h, lightness, s)
    return "#{:02x}{:02x}{:02x}".format(*(round(v * 255) for v in (r, g, b)))


def dark_sheet(sheet: str) -> str:
    return _HEX.sub(lambda m: dark_colour(m.group(1)), sheet)


def themed(colour: QColor) -> QColor:
    """A colour chosen for the light scheme (painted by hand: list rows, the forgetting curve), as
    the scheme in use shows it."""
    app = QApplication.instance()
    if app is not None and app.palette().window().color().lightness() < 128:
        return QColor(dark_colour(colour.name()[1:]))
    return colour


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#1c1d23", QPalette.ColorRole.WindowText: "#e4e6ef",
        QPalette.ColorRole.Base: "#16171c", QPalette.ColorRole.AlternateBase: "#22232b",
        QPalette.ColorRole.Text: "#e4e6ef", QPalette.ColorRole.Button: "#262833",
        QPalette.ColorRole.ButtonText: "#e4e6ef", QPalette.ColorRole.ToolTipBase: "#262833",
        QPalette.ColorRole.ToolTipText: "#e4e6ef", QPalette.ColorRole.Highlight: "#5c66e0",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: "#8a93f5",
        QPalette.ColorRole.PlaceholderText: "#8a8ea0", QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b6f80"))
    return palette


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def scheme(choice: str) -> str:
    """LIGHT or DARK for a choice (SYSTEM asks the desktop; light when it does not say)."""
    if choice == DARK or (choice == SYSTEM and system_is_dark()):
        return DARK
    return LIGHT


class Theme:
    """Applies the chosen scheme to the application, again when the system's changes (SYSTEM)."""

    def __init__(self, app: QApplication, choice: str = SYSTEM):
        self.app = app
        self.choice = choice if choice in (SYSTEM, LIGHT, DARK) else SYSTEM
        self._light_style = app.style().name()
        self.applied = ""
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _s: self.apply())

    def choose(self, choice: str) -> None:
        self.choice = choice if choice in (SYSTEM, LIGHT, DARK) else SYSTEM
        self.apply()

    def apply(self) -> None:
        wanted = scheme(self.choice)
        sheet = style_sheet()
        if wanted == DARK:
            self.app.setStyle("Fusion")
            self.app.setPalette(dark_palette())
            self.app.setStyleSheet(dark_sheet(sheet))
        else:
            self.app.setStyle(self._light_style)
            self.app.setPalette(self.app.style().standardPalette())
            self.app.setStyleSheet(sheet)
        self.applied = wanted
