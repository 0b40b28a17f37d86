"""Preferences (Ctrl+,): one page per subject, listed on the left. PAGES says which, in order:
(title, the page's class); a new page is one more entry (its class: ui/prefs_common.py Page).
The pages are in ui/prefs_general.py (model, forgetting, connected apps, startup, appearance,
shortcuts: F1 opens that one), ui/prefs_upkeep.py (importance, schedule, backups) and
ui/prefs_data.py (the data folder, and moving it)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QStackedWidget, QVBoxLayout, QWidget

from .prefs_common import in_words  # noqa: F401 - the welcome (ui/onboarding.py) says durations the same way
from .prefs_data import DataFolderPage
from .prefs_general import AppearancePage, AppsPage, ForgettingPage, ModelPage, ShortcutsPage, StartupPage
from .prefs_privacy import PrivacyPage
from .prefs_upkeep import BackupsPage, ImportancePage, SchedulePage

PAGES = [(page.title, page) for page in (ModelPage, ForgettingPage, ImportancePage, SchedulePage, BackupsPage,
                                         AppsPage, PrivacyPage, DataFolderPage, StartupPage, AppearancePage,
                                         ShortcutsPage)]
TITLES = [title for title, _page in PAGES]
MODEL, FORGETTING, IMPORTANCE, SCHEDULE, BACKUPS, APPS, PRIVACY, DATA, STARTUP, APPEARANCE, SHORTCUTS = (
    TITLES.index(t) for t in ("Language Model", "Forgetting", "Importance", "Schedule", "Backups", "Connected Apps",
                              "Privacy", "Data Folder", "Startup", "Appearance", "Keyboard Shortcuts"))


class PreferencesDialog(QDialog):
    def __init__(self, bridge, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.bridge = bridge
        self.window = window
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.resize(760, 480)
        self.pages = QListWidget()
        self.pages.addItems(TITLES)
        self.pages.setAccessibleName("Preferences pages")
        self.pages.setObjectName("preferencesPages")
        self.pages.setFixedWidth(max(170, self.pages.sizeHintForColumn(0) + 24))
        self.stack = QStackedWidget()
        self.page_widgets = [make(self) for _title, make in PAGES]
        for widget in self.page_widgets:
            self.stack.addWidget(widget)
        self.pages.currentRowChanged.connect(self.stack.setCurrentIndex)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.pages)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.finished.connect(lambda _result: [page.closing() for page in self.page_widgets])
        self.show_page(MODEL)

    def show_page(self, index: int) -> None:
        self.pages.setCurrentRow(index)
        self.stack.setCurrentIndex(index)

    def page(self, index: int) -> QWidget:
        return self.page_widgets[index]

    def __getattr__(self, name: str):
        """A page's control by its name (dialog.pace_box, dialog.offline_box, dialog.apps...)."""
        for page in self.__dict__.get("page_widgets", ()):
            if name in vars(page):
                return vars(page)[name]
        raise AttributeError(f"Preferences have no {name!r}")
