"""The main window: Chat, Memories, Summaries, Health and Guard tabs (Ctrl+1..5), menus with the
app's shortcuts, and a status bar that says what Mnemo is doing (opening, loading models, ready)."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QWidget

from .assets import app_icon
from .backups_dialog import BackupsDialog
from .chat_view import PLACEHOLDER, ChatView
from .damage_dialog import DamageDialog, in_app_words
from .export_flow import ExportFlow
from .guard_view import GuardView
from .health_view import HealthView
from .import_flow import ImportFlow
from .memories_view import MemoriesView
from .model_chooser import NO_MODEL_PLACEHOLDER, ModelChooser
from .onboarding import WelcomeDialog, show_once
from .preferences import APPS, MODEL, SHORTCUTS, PreferencesDialog
from .quick_capture import QuickCaptureDialog
from .summaries_view import SummariesView
from .workers import MnemoBridge

CHAT_TAB, MEMORIES_TAB, SUMMARIES_TAB, HEALTH_TAB, GUARD_TAB = 0, 1, 2, 3, 4
NOTICE_MS = 5000


class MainWindow(QMainWindow):
    quit_requested = Signal()
    hidden_to_tray = Signal()
    capture_paused_changed = Signal(bool)  # Pause Remembering Chats turned on or off (the tray follows)
    desktop_notice = Signal(str)  # worth a desktop notification (the tray shows it where there is one)
    data_moved = Signal(str, str)  # (old folder, new folder): the memory was copied there; the app restarts in it

    def __init__(self, bridge: MnemoBridge, conversation_id: str, has_tray: bool = False,
                 parent: QWidget | None = None, settings: QSettings | None = None, theme=None):
        """`settings`: where the window's size and place are remembered between runs (none: not);
        `theme`: the app's light/dark scheme (ui/theme.py), chosen in Preferences ▸ Appearance."""
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.theme = theme
        self.has_tray = has_tray
        self._quitting = False
        self.setWindowTitle("Mnemo")
        self.setWindowIcon(app_icon())
        self.resize(900, 640)
        self.setMinimumSize(560, 420)

        self.chat = ChatView(bridge, conversation_id)
        self.memories = MemoriesView(bridge)
        self.summaries = SummariesView(bridge)
        self.health = HealthView(bridge)
        self.guard = GuardView(bridge)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setAccessibleName("Views")
        self.tabs.addTab(self.chat, "Chat")
        self.tabs.addTab(self.memories, "Memories")
        self.tabs.addTab(self.summaries, "Summaries")
        self.tabs.addTab(self.health, "Health")
        self.tabs.addTab(self.guard, "Guard")
        self.tabs.setTabToolTip(CHAT_TAB, "Ask Mnemo (Ctrl+1)")
        self.tabs.setTabToolTip(MEMORIES_TAB, "Browse, search, pin and delete memories (Ctrl+2)")
        self.tabs.setTabToolTip(SUMMARIES_TAB, "Day summaries, the overview and your portrait (Ctrl+3)")
        self.tabs.setTabToolTip(HEALTH_TAB, "Memory health: what is fading, what is forgotten, and why (Ctrl+4)")
        self.tabs.setTabToolTip(GUARD_TAB, "Memory guard: what was held back from answers, and why (Ctrl+5)")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)

        self.quick_capture = QuickCaptureDialog(bridge, self)
        self.quick_capture.saved.connect(
            lambda r: self.notify("Already remembered" if r.duplicate else "Saved to memory"))

        self.state_label = QLabel(bridge.status_text or "Starting…")
        self.state_label.setObjectName("stateLabel")
        self.paused_label = QLabel("Not remembering chats")
        self.paused_label.setObjectName("pausedLabel")
        self.paused_label.setToolTip("Memory ▸ Pause Remembering Chats is on: questions and answers are not saved")
        self.paused_label.hide()
        self.statusBar().addPermanentWidget(self.paused_label)
        self.statusBar().addPermanentWidget(self.state_label)
        self.statusBar().setSizeGripEnabled(False)

        self.model_chooser = ModelChooser(bridge, self)
        self.importer = ImportFlow(bridge, self)
        self.exporter = ExportFlow(bridge, self)
        self._build_menus()
        self.chat.notice.connect(self.notify)
        self.chat.memory_opened.connect(self.open_memory)
        self.memories.notice.connect(self.notify)
        self.summaries.notice.connect(self.notify)
        self.health.notice.connect(self.notify)
        self.guard.notice.connect(self.notify)
        bridge.status.connect(self._status)
        bridge.open_failed.connect(self._open_failed)
        bridge.damaged.connect(self.show_damage)
        bridge.warning.connect(lambda text: QMessageBox.warning(self, "Mnemo", text))
        bridge.consent_requested.connect(self.ask_consent)
        bridge.embedder_failed.connect(self._part_failed)
        bridge.model_failed.connect(lambda message: self._part_failed(message, offer_model=True))
        bridge.ready.connect(self._ready)
        bridge.opened.connect(lambda: setattr(self, "welcome_dialog", show_once(bridge, self, settings)))
        bridge.maintenance_finished.connect(self._job_notice)
        self.chat.input.setPlaceholderText(
            "Mnemo is loading… you can already type your question." if not bridge.is_ready
            else self.chat.input.placeholderText())
        if settings is not None and settings.value("window/geometry") is not None:
            self.restoreGeometry(settings.value("window/geometry"))
            self.show_tab(int(settings.value("window/tab", CHAT_TAB)))
            for i, splitter in enumerate(self.findChildren(QSplitter)):  # (in the order they were made)
                state = settings.value(f"window/splitter{i}")
                if state is not None:
                    splitter.restoreState(state)

    # ------------------------------------------------------------------ menus and shortcuts
    def _action(self, text: str, shortcut, slot, tip: str) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.capture_action = self._action("Quick Capture…", "Ctrl+Shift+N", self.open_quick_capture,
                                           "Jot down a note to remember")
        self.search_action = self._action("Search Memories", "Ctrl+F", self.focus_search,
                                          "Search your memories")
        self.quit_action = self._action("Quit", "Ctrl+Q", self.quit, "Quit Mnemo")
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.chat_action = self._action("Chat", "Ctrl+1", lambda: self.show_tab(CHAT_TAB), "Show the chat")
        self.memories_action = self._action("Memories", "Ctrl+2", lambda: self.show_tab(MEMORIES_TAB),
                                            "Show your memories")
        self.summaries_action = self._action("Summaries", "Ctrl+3", lambda: self.show_tab(SUMMARIES_TAB),
                                             "Show the day summaries, the overview and your portrait")
        self.health_action = self._action("Memory Health", "Ctrl+4", lambda: self.show_tab(HEALTH_TAB),
                                          "Show what is fading and what is forgotten")
        self.guard_action = self._action("Memory Guard", "Ctrl+5", lambda: self.show_tab(GUARD_TAB),
                                         "Show what the guard held back from answers, and why")
        self.pause_action = self._action("Pause Remembering Chats", None, self.set_capture_paused,
                                         "Answer questions without remembering them or their answers, until "
                                         "you turn this off")
        self.pause_action.setCheckable(True)
        self.sweep_action = self._action("Run Decay Sweep Now", None, self.run_sweep,
                                         "Move memories between active, fading and forgotten by their retention now")
        self.stop_action = self._action("Stop Answer", None, self.chat.stop, "Stop the answer being written (Esc)")
        self.about_action = self._action("About Mnemo", None, self.about, "About Mnemo")
        self.backups_action = self._action("Backups…", None, self.open_backups,
                                           "Back up the memory now, or restore an earlier copy")
        self.backups_action.setEnabled(self.bridge.can_move_data)
        self.apps_action = self._action("Connected Apps…", None, self.open_connected_apps,
                                        "Programs that may use your memory over MCP, and their access")
        self.apps_action.setEnabled(self.bridge.can_move_data)
        self.preferences_action = self._action("Preferences…", "Ctrl+,", lambda: self.open_preferences(),
                                               "The language model, forgetting, connected apps, the data folder "
                                               "and the keyboard shortcuts")
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.welcome_action = self._action("Welcome to Mnemo", None, self.open_welcome,
                                           "What Mnemo does, where your memory is kept and how forgetting works")
        self.shortcuts_action = self._action("Keyboard Shortcuts", "F1", lambda: self.open_preferences(SHORTCUTS),
                                             "Every keyboard shortcut")

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.importer.action)
        file_menu.addAction(self.importer.folder_action)
        file_menu.addAction(self.exporter.action)
        file_menu.addAction(self.exporter.markdown_action)
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        file_menu.addAction(self.model_chooser.action)
        file_menu.addAction(self.preferences_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        memory_menu = self.memory_menu = bar.addMenu("&Memory")
        memory_menu.addAction(self.capture_action)
        memory_menu.addAction(self.search_action)
        memory_menu.addAction(self.pause_action)
        memory_menu.addAction(self.sweep_action)
        memory_menu.addAction(self.apps_action)
        memory_menu.addSeparator()
        memory_menu.addAction(self.stop_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.chat_action)
        view_menu.addAction(self.memories_action)
        view_menu.addAction(self.summaries_action)
        view_menu.addAction(self.health_action)
        view_menu.addAction(self.guard_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.welcome_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        if index == CHAT_TAB:
            self.chat.input.setFocus()

    def focus_search(self) -> None:
        self.activate()
        self.tabs.setCurrentIndex(MEMORIES_TAB)
        self.memories.focus_search()

    def open_memory(self, memory) -> None:
        """Show a memory (e.g. an answer's citation) in the Memories tab: selected in the list
        when it is listed, else in the detail pane alone."""
        self.tabs.setCurrentIndex(MEMORIES_TAB)
        if not self.memories.select(memory.id):
            self.memories.list.clearSelection()
            self.memories.detail.show_memory(memory)

    def run_sweep(self) -> None:
        self.show_tab(HEALTH_TAB)
        self.health.run_sweep()

    def _tab_changed(self, index: int) -> None:
        if index == MEMORIES_TAB and not self.memories.loaded and self.bridge.is_open:
            self.memories.refresh()

    # ------------------------------------------------------------------ actions
    def open_backups(self) -> BackupsDialog:
        dialog = BackupsDialog(self.bridge, self)
        dialog.open()
        return dialog

    def open_preferences(self, page: int = MODEL):
        dialog = PreferencesDialog(self.bridge, self)
        dialog.show_page(page)
        dialog.open()
        return dialog

    def open_welcome(self):
        self.welcome_dialog = WelcomeDialog(self.bridge, self)
        self.welcome_dialog.open()
        return self.welcome_dialog

    def open_connected_apps(self):
        """Preferences at its Connected Apps page (returned)."""
        return self.open_preferences(APPS).apps

    def ask_consent(self, name: str):
        from .connected_apps import ask_consent

        self.activate()
        self.consent_box = ask_consent(self, self.bridge, name)
        return self.consent_box

    def set_capture_paused(self, paused: bool) -> None:
        """Chats are answered but not remembered while paused (notes you save still are)."""
        self.bridge.capture_paused = bool(paused)
        self.pause_action.setChecked(bool(paused))
        self.paused_label.setVisible(bool(paused))
        self.notify("Chats are not remembered until you resume" if paused else "Chats are remembered again")
        self.capture_paused_changed.emit(bool(paused))

    def open_quick_capture(self) -> None:
        self.quick_capture.open_capture()

    def activate(self) -> None:
        """Bring the window to the front (tray click, second start)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def about(self) -> QMessageBox:
        from pathlib import Path

        from core.transfer.archive import app_version

        lines = [f"Version {app_version()}"]
        if self.bridge.has_model_library:
            lines.append(f"Answers are written by {Path(self.bridge.current_model_path()).name}.")
        folder = getattr(self.bridge, "data_dir", None)
        if folder is not None:
            lines.append(f"Your memory is kept in {folder}.")
        box = QMessageBox(QMessageBox.Icon.Information, "About Mnemo",
                          "Mnemo remembers what you tell it and answers with a language model that runs on this "
                          "computer. Nothing leaves the machine.", QMessageBox.StandardButton.Ok, self)
        box.setObjectName("aboutBox")
        box.setInformativeText("\n".join(lines))
        box.open()
        return box

    def quit(self) -> None:
        self._quitting = True
        self.close()
        self.quit_requested.emit()

    def notify(self, text: str) -> None:
        self.statusBar().showMessage(text, NOTICE_MS)

    def _job_notice(self, result) -> None:
        """After an absence, or when memories of some importance are about to be forgotten: in the
        status bar, and on the desktop when the user is not looking at this window."""
        if getattr(result, "notice", None):
            self.statusBar().showMessage(result.notice)  # stays until the next notice
            if not self.isActiveWindow():
                self.desktop_notice.emit(result.notice)
                QApplication.alert(self)  # the taskbar entry asks for attention too

    def show_review(self) -> None:
        """The desktop notice was clicked: Memory Health, where what is due for review is listed."""
        self.activate()
        self.show_tab(HEALTH_TAB)
        self.health.lists.setCurrentWidget(self.health.review)

    # ------------------------------------------------------------------ bridge state
    def _status(self, text: str) -> None:
        self.state_label.setText(text)

    def _open_failed(self, message: str) -> None:
        self.chat.show_error(message)
        self.state_label.setToolTip(message)
        self.notify(message)
        if self.bridge.open_damaged:
            self.show_damage(message)

    def show_damage(self, message: str) -> DamageDialog:
        """The memory is damaged: say what is wrong and offer the ways out."""
        self.chat.show_error(in_app_words(message, self.bridge.mnemo is not None))
        self.state_label.setText("Memory is read-only (damaged)" if self.bridge.mnemo is not None
                                 else "Memory could not be opened")
        self.state_label.setToolTip(message)
        self.damage_dialog = DamageDialog(self.bridge, message, self.open_backups, self)
        self.damage_dialog.open()
        return self.damage_dialog

    def _part_failed(self, message: str, offer_model: bool = False) -> None:
        self.chat.show_error(message, offer_model=offer_model)
        self.state_label.setToolTip(message)
        self.statusBar().showMessage(message)  # stays until the next notice

    # ------------------------------------------------------------------ the Shell the flows see (ui/shell.py)
    def show_problem(self, message: str, offer_model: bool = False) -> None:
        self.tabs.setCurrentWidget(self.chat)
        self.chat.show_error(message, offer_model=offer_model)
        self.statusBar().showMessage(message)  # stays until the next notice

    def set_state_tip(self, text: str) -> None:
        self.state_label.setToolTip(text)

    def _ready(self) -> None:
        self.model_chooser.offer()
        if self.bridge.model_error:
            self.chat.input.setPlaceholderText(
                NO_MODEL_PLACEHOLDER if self.bridge.can_switch_model else
                "No language model (see the message above): answers quote your memories as they are.")
        else:
            self.chat.input.setPlaceholderText(PLACEHOLDER)

    # ------------------------------------------------------------------ window events
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.tabs.currentIndex() == CHAT_TAB:
            QTimer.singleShot(0, self.chat.input.setFocus)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.settings is not None:
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.setValue("window/tab", self.tabs.currentIndex())
            for i, splitter in enumerate(self.findChildren(QSplitter)):
                self.settings.setValue(f"window/splitter{i}", splitter.saveState())
            self.settings.sync()
        if self.has_tray and not self._quitting:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        self.quick_capture.close()
        event.accept()
        if not self._quitting:
            self._quitting = True
            self.quit_requested.emit()
