"""The first run: a welcome that says what Mnemo does, where the memory is kept, which model
answers and how forgetting works, offers to import another assistant's history, and is shown once."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from app import data_io

from .helpers import click


def settings_at(path):
    return QSettings(str(path / "window.ini"), QSettings.Format.IniFormat)


def test_the_welcome_is_shown_once_and_leads_to_the_import(qtbot, make_window, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr("ui.import_flow.QFileDialog.getOpenFileName",
                        staticmethod(lambda *a, **k: asked.append(a[1]) or ("", "")))
    window = make_window(data_dir=tmp_path / "memory", settings=settings_at(tmp_path), data_ops=data_io)
    qtbot.waitUntil(lambda: getattr(window, "welcome_dialog", None) is not None
                    and window.welcome_dialog.isVisible(), timeout=5000)
    welcome = window.welcome_dialog
    text = " ".join(p.text() for p in welcome.points.values())
    assert str(tmp_path / "memory") in text and "Nothing is sent anywhere" in text
    qtbot.waitUntil(lambda: "a note you save is kept about 8 months" in welcome.points["forgetting"].text(),
                    timeout=5000)
    click(qtbot, welcome.import_button)
    assert not welcome.isVisible() and asked == ["Import into Mnemo"]  # File ▸ Import…'s own dialog
    window.close()

    again = make_window(data_dir=tmp_path / "memory2", settings=settings_at(tmp_path))
    qtbot.wait(300)
    assert getattr(again, "welcome_dialog", None) is None  # once is enough
    again.welcome_action.trigger()  # Help ▸ Welcome to Mnemo shows it again
    assert again.welcome_dialog.isVisible()
    click(qtbot, again.welcome_dialog.start_button)
    assert not again.welcome_dialog.isVisible()


def test_without_settings_no_welcome_interrupts(qtbot, make_window):
    window = make_window()
    qtbot.wait(200)
    assert getattr(window, "welcome_dialog", None) is None
