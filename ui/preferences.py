"""Preferences (Ctrl+,): the language model that answers (and the model library), how long
memories are kept when they are not used, the programs connected to the memory, where the
memory lives, starting at login, and the keyboard shortcuts (F1 opens that page)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import autostart
from .connected_apps import ConnectedAppsPanel
from .theme import CHOICES as THEMES
from .theme import KEY as THEME_KEY
from .display import error_text

MODEL, FORGETTING, APPS, DATA, STARTUP, APPEARANCE, SHORTCUTS = range(7)
PAGES = ["Language Model", "Forgetting", "Connected Apps", "Data Folder", "Startup", "Appearance",
         "Keyboard Shortcuts"]
# Keys that are not on a menu (the chat's: ui/text_input.py, ui/chat_view.py; Memories': ui/memories_view.py)
CHAT_KEYS = [("Send the message", "Enter"), ("A new line in the message", "Shift+Enter"),
             ("Stop the answer being written", "Esc"), ("Start a new conversation", "Ctrl+N"),
             ("Memories: edit the selected memory", "F2"), ("Memories: delete the selected", "Del"),
             ("Memories: select all", "Ctrl+A"), ("Memories: undo the last delete, pin or edit", "Ctrl+Z"),
             ("Quick Capture from anywhere: bind this command to a key in your desktop's keyboard settings",
              "mnemo-gui --quick-capture")]


PACES = [("A quarter as long", 0.25), ("Half as long", 0.5), ("As designed", 1.0), ("Twice as long", 2.0),
         ("Four times as long", 4.0)]


def in_words(days: float) -> str:
    """About how long, as people say it: "about 9 days", "about 5 weeks", "about 8 months"."""
    if days < 14:
        return f"about {round(days)} day{'s' if round(days) != 1 else ''}"
    if days < 60:
        return f"about {round(days / 7)} weeks"
    if days < 730:
        return f"about {round(days / 30.4)} months"
    return f"about {days / 365:.1f} years".replace(".0 years", " years")


def page(title: str, *widgets: QWidget, grow: QWidget | None = None) -> QWidget:
    """A page: its title, then the widgets; `grow` takes the height left (else the space stays below)."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    layout.addWidget(heading)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is grow else 0)
    if grow is None:
        layout.addStretch(1)
    return holder


def label(text: str = "") -> QLabel:
    out = QLabel(text)
    out.setWordWrap(True)
    out.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return out


class PreferencesDialog(QDialog):
    def __init__(self, bridge, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.bridge = bridge
        self.window = window
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.resize(720, 460)
        self.pages = QListWidget()
        self.pages.addItems(PAGES)
        self.pages.setAccessibleName("Preferences pages")
        self.pages.setObjectName("preferencesPages")
        self.pages.setFixedWidth(max(170, self.pages.sizeHintForColumn(0) + 24))
        self.stack = QStackedWidget()
        self.stack.addWidget(self._model_page())
        self.stack.addWidget(self._forgetting_page())
        self.apps = ConnectedAppsPanel(bridge)
        self.stack.addWidget(page("Connected Apps", self.apps, grow=self.apps))
        self.stack.addWidget(self._data_page())
        self.stack.addWidget(self._startup_page())
        self.stack.addWidget(self._appearance_page())
        self.stack.addWidget(self._shortcuts_page())
        self.pages.currentRowChanged.connect(self.stack.setCurrentIndex)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.pages)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.show_page(MODEL)

    def show_page(self, index: int) -> None:
        self.pages.setCurrentRow(index)
        self.stack.setCurrentIndex(index)

    # ------------------------------------------------------------------ pages
    def _model_page(self) -> QWidget:
        self.model_label = label()
        if self.bridge.has_model_library:
            path = self.bridge.current_model_path()
            self.model_label.setText(f"Answers are written by {Path(path).name}, on this computer.")
        else:
            self.model_label.setText("Answers are written by the language model chosen at start-up, on this computer.")
        self.library_button = QPushButton(self.window.model_chooser.action.text())
        self.library_button.setEnabled(self.window.model_chooser.action.isEnabled())
        self.library_button.clicked.connect(lambda: (self.accept(), self.window.model_chooser.choose()))
        row = QHBoxLayout()
        row.addWidget(self.library_button)
        row.addStretch(1)
        self.offline_box = QCheckBox("Work offline: never download (Mnemo then makes no network connection at all)")
        self.offline_box.setEnabled(False)  # until the library says how it is set
        holder = page("Language Model", self.model_label,
                      label("The model library lists the models this computer runs well, downloads one when you "
                            "ask (the only time Mnemo uses the network) and holds each model's settings."),
                      self.offline_box)
        holder.layout().insertLayout(3, row)
        if self.bridge.has_model_library:
            self.bridge.model_overview(self._show_offline, lambda exc: None)
        return holder

    def _show_offline(self, overview) -> None:
        self.offline_box.setChecked(overview.offline)
        self.offline_box.setEnabled(True)
        self.offline_box.toggled.connect(lambda on: self.bridge.set_offline(on))

    def _forgetting_page(self) -> QWidget:
        self.keeping = QTreeWidget()
        self.keeping.setHeaderLabels(["What", "Kept, if never used"])
        self.keeping.setRootIsDecorated(False)
        self.keeping.setAccessibleName("How long memories are kept")
        self.keeping.setMinimumHeight(150)
        intro = label("Details fade along a forgetting curve, as in human memory; the facts and the gist stay. "
                      "Each time a memory is used in an answer, it is kept longer. What matters more (health, "
                      "people, addresses, what you ask Mnemo to remember) is kept longer than this, and a pinned "
                      "memory is never forgotten. Before something of some importance is forgotten, Memory "
                      "Health asks whether to keep it.")
        self.pace_box = QComboBox()
        self.pace_box.setAccessibleName("How long memories are kept")
        for title, value in PACES:
            self.pace_box.addItem(title, value)
        self.pace_box.setEnabled(False)  # until the memory says its pace
        self.pace_note = label()
        row = QHBoxLayout()
        row.addWidget(QLabel("Keep memories:"))
        row.addWidget(self.pace_box)
        row.addStretch(1)
        self.bridge.call(lambda mnemo: (mnemo.policy.pace, mnemo.keeping()), self._show_keeping,
                         lambda exc: self.keeping.setHeaderLabels(["What", error_text(exc)]))
        holder = page("Forgetting", intro, self.keeping, self.pace_note, grow=self.keeping)
        holder.layout().insertLayout(2, row)
        return holder

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

    def _data_page(self) -> QWidget:
        folder = getattr(self.bridge, "data_dir", None)
        self.folder_label = label(f"Your memory is kept in {folder}. It never leaves this computer unless you "
                                  "export it." if folder is not None else "Your memory is kept on this computer.")
        self.show_folder_button = QPushButton("Show in Folder")
        self.show_folder_button.setEnabled(folder is not None)
        self.show_folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        row = QHBoxLayout()
        row.addWidget(self.show_folder_button)
        row.addStretch(1)
        holder = page("Data Folder", self.folder_label,
                      label("Backups are under File ▸ Backups…; File ▸ Export… writes everything to one "
                            "archive, encrypted if you like."))
        holder.layout().insertLayout(3, row)
        return holder

    def _startup_page(self) -> QWidget:
        self.autostart_box = QCheckBox("Start Mnemo when I log in (in the tray, ready for Quick Capture)")
        self.autostart_box.setChecked(autostart.is_enabled())
        self.autostart_box.toggled.connect(self._set_autostart)
        self.autostart_note = label()
        return page("Startup", self.autostart_box, self.autostart_note)

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

    def _appearance_page(self) -> QWidget:
        self.theme_box = QComboBox()
        self.theme_box.setAccessibleName("Theme")
        theme = getattr(self.window, "theme", None)
        for title, value in THEMES:
            self.theme_box.addItem(title, value)
        if theme is not None:
            self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(theme.choice)))
        self.theme_box.setEnabled(theme is not None)
        self.theme_box.currentIndexChanged.connect(self._set_theme)
        row = QHBoxLayout()
        row.addWidget(QLabel("Theme:"))
        row.addWidget(self.theme_box)
        row.addStretch(1)
        holder = page("Appearance", label("Light, dark, or as the desktop is set (it follows when that changes)."))
        holder.layout().insertLayout(2, row)
        return holder

    def _set_theme(self, _index: int) -> None:
        theme, choice = getattr(self.window, "theme", None), self.theme_box.currentData()
        if theme is None:
            return
        theme.choose(choice)
        if self.window.settings is not None:
            self.window.settings.setValue(THEME_KEY, choice)
            self.window.settings.sync()

    def _shortcuts_page(self) -> QWidget:
        self.shortcuts = QTreeWidget()
        self.shortcuts.setHeaderLabels(["Action", "Keys"])
        self.shortcuts.setRootIsDecorated(False)
        self.shortcuts.setAccessibleName("Keyboard shortcuts")
        for what, keys in shortcuts(self.window):
            QTreeWidgetItem(self.shortcuts, [what, keys])
        self.shortcuts.resizeColumnToContents(0)
        return page("Keyboard Shortcuts", self.shortcuts, grow=self.shortcuts)


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
