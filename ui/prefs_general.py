"""Preferences pages: the language model, how long memories are kept (Forgetting), the programs
connected to the memory, starting at login, the theme, and every keyboard shortcut."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QTreeWidget, QTreeWidgetItem

from . import autostart
from .connected_apps import ConnectedAppsPanel
from .desktop_shortcut_panel import DesktopShortcutPanel
from .display import error_text
from .prefs_common import Page, in_words, label, row
from .theme import CHOICES as THEMES
from .theme import KEY as THEME_KEY

# Keys that are not on a menu (the chat's: ui/text_input.py, ui/chat_view.py; Memories': ui/memories_view.py)
CHAT_KEYS = [("Send the message", "Enter"), ("A new line in the message", "Shift+Enter"),
             ("Stop the answer being written", "Esc"), ("Start a new conversation", "Ctrl+N"),
             ("Memories: edit the selected memory", "F2"), ("Memories: delete the selected", "Del"),
             ("Memories: select all", "Ctrl+A"), ("Memories: undo the last delete, pin or edit", "Ctrl+Z"),
             ("Move between controls (backwards with Shift)", "Tab")]
DESKTOP_KEY = ("Quick Capture from anywhere (a shortcut in your desktop's settings)", "mnemo-gui --quick-capture")  # or, registered with the desktop, its keys (ui/global_shortcut.py)
CHAT_KEYS.append(DESKTOP_KEY)
PACES = [("A quarter as long", 0.25), ("Half as long", 0.5), ("As designed", 1.0), ("Twice as long", 2.0),
         ("Four times as long", 4.0)]


class ModelPage(Page):
    title = "Language Model"

    def __init__(self, dialog):
        super().__init__(dialog)
        self.model_label = label()
        if self.bridge.has_model_library:
            path = self.bridge.current_model_path()
            self.model_label.setText(f"Answers are written by {Path(path).name}, on this computer.")
        else:
            self.model_label.setText("Answers are written by the language model chosen at start-up, on this computer.")
        chooser = self.window.model_chooser
        self.library_button = QPushButton(chooser.action.text())
        self.library_button.setEnabled(chooser.action.isEnabled())
        self.library_button.clicked.connect(lambda: (dialog.accept(), chooser.choose()))
        self.offline_box = QCheckBox("Work offline: never download (Mnemo then makes no network connection at all)")
        self.offline_box.setEnabled(False)  # until the library says how it is set
        self.add(self.model_label, row(self.library_button),
                 label("The model library lists the models this computer runs well, downloads one when you "
                       "ask (the only time Mnemo uses the network) and holds each model's settings."),
                 self.offline_box)
        self.end()
        if self.bridge.has_model_library:
            self.bridge.model_overview(self._show_offline, lambda exc: None)

    def _show_offline(self, overview) -> None:
        self.offline_box.setChecked(overview.offline)
        self.offline_box.setEnabled(True)
        self.offline_box.toggled.connect(lambda on: self.bridge.set_offline(on))


class ForgettingPage(Page):
    title = "Forgetting"

    def __init__(self, dialog):
        super().__init__(dialog)
        self.keeping = QTreeWidget()
        self.keeping.setHeaderLabels(["What", "Kept, if never used"])
        self.keeping.setRootIsDecorated(False)
        self.keeping.setAccessibleName("How long each kind of memory is kept")
        self.keeping.setMinimumHeight(150)
        intro = label("Details fade along a forgetting curve, as in human memory; the facts and the gist stay. "
                      "Each time a memory is used in an answer, it is kept longer. What matters more (health, "
                      "people, addresses, what you ask Mnemo to remember) is kept longer than this, and a pinned "
                      "memory is never forgotten. Before something of some importance is forgotten, Memory "
                      "Health asks whether to keep it.")
        self.pace_box = QComboBox()
        for title, value in PACES:
            self.pace_box.addItem(title, value)
        self.pace_box.setEnabled(False)  # until the memory says its pace
        self.pace_note = label()
        self.add(intro, row(label("Keep memories:", self.pace_box), self.pace_box), self.keeping, self.pace_note,
                 grow=self.keeping)
        self.bridge.call(lambda mnemo: (mnemo.policy.pace, mnemo.keeping()), self._show_keeping,
                         lambda exc: self.keeping.setHeaderLabels(["What", error_text(exc)]))

    def _show_keeping(self, result) -> None:
        pace, rows = result
        self.keeping.clear()
        for what, days in rows:
            QTreeWidgetItem(self.keeping, [what, in_words(days)])
        self.keeping.resizeColumnToContents(0)
        self.pace_box.blockSignals(True)
        found = self.pace_box.findData(pace)
        if found < 0:  # a pace set elsewhere (mnemo pace 1.5): shown as it is
            self.pace_box.addItem(f"{pace:g} times as long as designed", pace)
            found = self.pace_box.count() - 1
        self.pace_box.setCurrentIndex(found)
        self.pace_box.blockSignals(False)
        if not self.pace_box.isEnabled():
            self.pace_box.setEnabled(True)
            self.pace_box.currentIndexChanged.connect(self._set_pace)

    def _set_pace(self, _index: int) -> None:
        pace = self.pace_box.currentData()
        self.pace_box.setEnabled(False)
        self.pace_note.setText("Changing how long memories are kept…")

        def done(result) -> None:
            self.pace_box.setEnabled(True)
            n = result[0]
            self.pace_note.setText(f"Done: {n:,} memor{'y is' if n == 1 else 'ies are'} now kept {pace:g}x as long "
                                   "as designed, and so is what you save from now on.")
            self._show_keeping(result[1])
            self.bridge.memories_changed.emit()

        self.bridge.call(lambda mnemo: (mnemo.set_pace(pace), (mnemo.policy.pace, mnemo.keeping())), done,
                         lambda exc: (self.pace_box.setEnabled(True), self.pace_note.setText(error_text(exc))))


class AppsPage(Page):
    title = "Connected Apps"

    def __init__(self, dialog):
        super().__init__(dialog)
        self.apps = ConnectedAppsPanel(self.bridge)
        self.add(self.apps, grow=self.apps)


class StartupPage(Page):
    title = "Startup"

    def __init__(self, dialog):
        super().__init__(dialog)
        self.autostart_box = QCheckBox("Start Mnemo when I log in (in the tray, ready for Quick Capture)")
        self.autostart_box.setChecked(autostart.is_enabled())
        self.autostart_box.toggled.connect(self._set_autostart)
        self.autostart_note = label()
        self.add(self.autostart_box, self.autostart_note)
        self.end()

    def _set_autostart(self, on: bool) -> None:
        try:
            if on:
                where = autostart.enable(getattr(self.bridge, "data_dir", None))
                self.autostart_note.setText(f"Mnemo starts at login ({where}).")
            else:
                autostart.disable()
                self.autostart_note.setText("Mnemo no longer starts at login.")
        except OSError as exc:
            self.autostart_note.setText(f"The login setting could not be changed: {exc.strerror or exc}.")
            self.autostart_box.blockSignals(True)
            self.autostart_box.setChecked(autostart.is_enabled())
            self.autostart_box.blockSignals(False)


class AppearancePage(Page):
    title = "Appearance"

    def __init__(self, dialog):
        super().__init__(dialog)
        self.theme_box = QComboBox()
        theme = getattr(self.window, "theme", None)
        for title, value in THEMES:
            self.theme_box.addItem(title, value)
        if theme is not None:
            self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(theme.choice)))
        self.theme_box.setEnabled(theme is not None)
        self.theme_box.currentIndexChanged.connect(self._set_theme)
        self.add(label("Light, dark, or as the desktop is set (it follows when that changes)."),
                 row(label("Theme:", self.theme_box), self.theme_box))
        self.end()

    def _set_theme(self, _index: int) -> None:
        theme, choice = getattr(self.window, "theme", None), self.theme_box.currentData()
        if theme is None:
            return
        theme.choose(choice)
        if self.window.settings is not None:
            self.window.settings.setValue(THEME_KEY, choice)
            self.window.settings.sync()


class ShortcutsPage(Page):
    title = "Keyboard Shortcuts"

    def __init__(self, dialog):
        super().__init__(dialog)
        self.shortcuts = QTreeWidget()
        self.shortcuts.setHeaderLabels(["Action", "Keys"])
        self.shortcuts.setRootIsDecorated(False)
        self.shortcuts.setAccessibleName("Keyboard shortcuts")
        desktop = getattr(self.window, "global_shortcut", None)  # app/gui.py: registered with the desktop?
        for what, keys in shortcuts(self.window):
            if desktop is not None and desktop.registered and keys == DESKTOP_KEY[1]:
                what, keys = "Quick Capture from anywhere (registered with your desktop)", desktop.trigger
            QTreeWidgetItem(self.shortcuts, [what, keys])
        self.shortcuts.resizeColumnToContents(0)
        self.desktop = DesktopShortcutPanel(desktop, getattr(self.bridge, "data_dir", None))
        self.add(self.desktop, self.shortcuts, grow=self.shortcuts)


def shortcuts(window) -> list[tuple[str, str]]:
    """Every menu item with keys (as "File ▸ Import…"), then the chat's own keys."""
    out = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if menu is None:
            continue
        for action in menu.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys and action.text():
                out.append((f"{top.text().replace('&', '')} ▸ {action.text().replace('&', '')}", keys))
    return out + CHAT_KEYS
