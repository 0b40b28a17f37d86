"""Preferences (Ctrl+,) as a user reads it: how long memories are kept, every shortcut (F1), the
data folder, and the connected apps page (tests/ui/test_connected_apps.py drives that one)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog

from ui.preferences import APPEARANCE, APPS, FORGETTING, SHORTCUTS, STARTUP, in_words


def rows(tree):
    return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())] for i in range(tree.topLevelItemCount())]


def test_preferences_say_how_long_memories_are_kept_and_list_every_shortcut(qtbot, make_window, tmp_path):
    window = make_window(notes=["My sister Anna lives in Lisbon"], data_dir=tmp_path / "memory")
    window.bridge.data_dir = tmp_path / "memory"
    assert window.preferences_action.shortcut().toString() == "Ctrl+,"
    window.preferences_action.trigger()
    dialog = window.findChild(QDialog, "preferencesDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.show_page(FORGETTING)
    qtbot.waitUntil(lambda: dialog.keeping.topLevelItemCount() == 5, timeout=5000)
    kept = dict(rows(dialog.keeping))
    assert kept["A note you save"] == "about 8 months"  # not the ~25 days of the first version
    assert kept["What the assistant said"] == "about 2 weeks"
    assert kept["A fact of your life (who, where, what)"] == "about 2.4 years"
    assert str(tmp_path / "memory") in dialog.folder_label.text()
    dialog.reject()

    assert window.shortcuts_action.shortcut().toString() == "F1"
    window.shortcuts_action.trigger()
    dialog = [d for d in window.findChildren(QDialog, "preferencesDialog") if d.isVisible()][-1]
    assert dialog.stack.currentIndex() == SHORTCUTS and dialog.pages.currentRow() == SHORTCUTS
    keys = dict(rows(dialog.shortcuts))
    assert keys["File ▸ Import…"] == "Ctrl+I" and keys["File ▸ Preferences…"] == "Ctrl+,"
    assert keys["Help ▸ Keyboard Shortcuts"] == "F1" and keys["Send the message"] == "Enter"


def test_connected_apps_is_a_page_of_preferences(make_window):
    window = make_window()
    panel = window.open_connected_apps()
    dialog = panel.window()
    assert dialog.objectName() == "preferencesDialog" and dialog.stack.currentIndex() == APPS


def test_durations_read_as_people_say_them():
    assert [in_words(d) for d in (1, 9.4, 17, 62, 233, 869)] == [
        "about 1 day", "about 9 days", "about 2 weeks", "about 2 months", "about 8 months", "about 2.4 years"]


def test_about_names_the_version_and_the_data_folder(make_window, tmp_path):
    window = make_window(data_dir=tmp_path / "memory")
    window.bridge.data_dir = tmp_path / "memory"
    box = window.about()
    assert box.isVisible() and "Version 0." in box.informativeText()
    assert f"Your memory is kept in {tmp_path / 'memory'}." in box.informativeText()
    box.accept()


def test_start_at_login_writes_and_removes_the_autostart_entry(qtbot, make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    window = make_window(data_dir=tmp_path / "my memory")
    dialog = window.open_preferences(STARTUP)
    assert not dialog.autostart_box.isChecked()
    dialog.autostart_box.click()
    entry = tmp_path / "config" / "autostart" / "mnemo.desktop"
    text = entry.read_text()
    assert "Exec=" in text and f'--data-dir "{tmp_path / "my memory"}" --background' in text
    assert "Mnemo starts at login" in dialog.autostart_note.text()
    assert window.open_preferences(STARTUP).autostart_box.isChecked()  # read back when Preferences opens again
    dialog.autostart_box.click()
    assert not entry.exists() and "no longer starts" in dialog.autostart_note.text()


def test_an_autostart_folder_that_cannot_be_written_is_said_and_the_box_stays_off(qtbot, make_window, tmp_path,
                                                                                   monkeypatch):
    (tmp_path / "config").write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    dialog = make_window().open_preferences(STARTUP)
    dialog.autostart_box.click()
    assert not dialog.autostart_box.isChecked() and "could not be changed" in dialog.autostart_note.text()


def test_a_dark_theme_is_chosen_applied_at_once_and_remembered(qtbot, make_window, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.theme import DARK, LIGHT, Theme, dark_colour

    app = QApplication.instance()
    before = (app.styleSheet(), app.style().name(), app.palette())
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    theme = Theme(app, LIGHT)
    theme.apply()
    try:
        window = make_window(settings=settings)
        window.theme = theme
        dialog = window.open_preferences(APPEARANCE)
        dialog.theme_box.setCurrentIndex(dialog.theme_box.findData(DARK))
        assert theme.applied == DARK and app.palette().window().color().lightness() < 60
        assert "#ffffff" not in app.styleSheet() and dark_colour("ffffff") in app.styleSheet()
        assert settings.value("appearance/theme") == DARK  # the next start opens dark
        dialog.theme_box.setCurrentIndex(dialog.theme_box.findData(LIGHT))
        assert theme.applied == LIGHT and app.palette().window().color().lightness() > 180
    finally:
        app.setStyleSheet(before[0])
        app.setStyle(before[1])
        app.setPalette(before[2])


def test_dark_colours_turn_lightness_round_and_keep_accents_vivid():
    from ui.theme import dark_colour

    assert dark_colour("ffffff") < "#30"  # white background -> near black
    assert dark_colour("2b2e3a") > "#b0"  # dark text -> light text
    accent = dark_colour("4b55d6")
    assert int(accent[5:7], 16) > int(accent[1:3], 16)  # the blue accent stays blue


def test_memories_are_kept_twice_as_long_from_the_forgetting_page(qtbot, make_window):
    window = make_window(notes=["The bike lock code is 4417"])
    dialog = window.open_preferences(FORGETTING)
    qtbot.waitUntil(dialog.pace_box.isEnabled, timeout=5000)
    assert dialog.pace_box.currentText() == "As designed"
    dialog.pace_box.setCurrentIndex(dialog.pace_box.findText("Twice as long"))
    qtbot.waitUntil(lambda: dialog.pace_note.text().startswith("Done"), timeout=10_000)
    assert dialog.pace_note.text().startswith("Done: 2 memories are now kept 2x as long")  # the note and its fact
    assert dict(rows(dialog.keeping))["A note you save"] == "about 15 months"
    assert window.bridge.mnemo.policy.pace == 2.0
    again = window.open_preferences(FORGETTING)
    qtbot.waitUntil(again.pace_box.isEnabled, timeout=5000)
    assert again.pace_box.currentText() == "Twice as long"
