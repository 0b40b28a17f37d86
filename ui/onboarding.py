"""The first run: what Mnemo does, where the memory lives, which model answers, how forgetting
works, bringing in another assistant's history, and the capture shortcut, on one page. Shown once
per data folder (the window's settings remember it); Help ▸ Welcome to Mnemo shows it again."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from .prefs_common import in_words

SEEN = "onboarding/done"


class WelcomeDialog(QDialog):
    def __init__(self, bridge, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.bridge = bridge
        self.window = window
        self.setWindowTitle("Welcome to Mnemo")
        self.setObjectName("welcomeDialog")
        self.setMinimumWidth(520)
        title = QLabel("Mnemo remembers what you tell it, on this computer.")
        title.setObjectName("welcomeTitle")
        title.setWordWrap(True)
        self.points = {key: self._point(text) for key, text in [
            ("what", "Chat with it, jot a note with Quick Capture (Ctrl+Shift+N while Mnemo is open; from anywhere "
                     "with the shortcut your desktop registers, see Preferences ▸ Keyboard Shortcuts; or from the "
                     "tray), and ask later: it answers from your memories and shows which ones it used."),
            ("where", self._where()),
            ("model", self._model()),
            ("forgetting", "Like your own memory, details fade when they are not used, while the facts and the gist "
                           "stay. Memory Health shows what is fading and asks before anything important goes."),
            ("import", "Used ChatGPT, Claude, Gemini or another assistant before? Bring that history in: File ▸ "
                       "Import… reads their data exports, and WhatsApp or Telegram chats and Obsidian notes too."),
            ("encrypt", "Share this computer, or back it up somewhere? Encrypt your memory with a passphrase, so that "
                        "nobody can read it from the disk or a backup (File ▸ Preferences ▸ Privacy)."),
        ]}
        self.import_button = QPushButton("Import History…")
        self.import_button.setEnabled(window.importer.action.isEnabled())
        self.import_button.clicked.connect(self.import_history)
        self.encrypt_button = QPushButton("Encrypt…")
        self.encrypt_button.setToolTip("Encrypt your memory on disk (Preferences ▸ Privacy)")
        self.encrypt_button.setEnabled(getattr(bridge, "can_encrypt", False))
        self.encrypt_button.clicked.connect(self.encrypt)
        buttons = QDialogButtonBox()
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.encrypt_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button = buttons.addButton("Start Using Mnemo", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        for point in self.points.values():
            layout.addWidget(point)
        layout.addWidget(buttons)
        self.bridge.call(lambda mnemo: mnemo.keeping(), self._show_keeping, lambda exc: None)
        if getattr(bridge, "can_encrypt", False):
            bridge.encryption_status(self._show_encryption, lambda exc: None)

    @staticmethod
    def _point(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _where(self) -> str:
        folder = getattr(self.bridge, "data_dir", None)
        where = f"in {folder}" if folder is not None else "in a folder on this computer"
        return (f"Your memory is kept {where}. Nothing is sent anywhere; the only time Mnemo uses the network "
                "is when you ask it to download a language model.")

    def _model(self) -> str:
        if self.bridge.has_model_library:
            name = Path(self.bridge.current_model_path()).name
            return (f"Answers are written by {name}, a language model running here. File ▸ Language Models… "
                    "offers larger ones this computer runs well.")
        return "Answers are written by a language model running on this computer."

    def _show_keeping(self, rows: list[tuple[str, float]]) -> None:
        kept = dict(rows)
        note, chat = kept.get("A note you save"), kept.get("Something you say in the chat")
        if note is None or chat is None:
            return
        self.points["forgetting"].setText(
            f"Like your own memory, details fade when they are not used: a note you save is kept {in_words(note)}, "
            f"something said in the chat {in_words(chat)}, each time longer when it is used, while the facts and "
            "the gist stay. Memory Health shows what is fading and asks before anything important goes.")

    def _show_encryption(self, status) -> None:
        if status.on:
            self.points["encrypt"].setText("Your memory is encrypted on disk: nobody can read it from the disk or a "
                                           "backup without your key (File ▸ Preferences ▸ Privacy).")
            self.encrypt_button.hide()

    def import_history(self) -> None:
        self.accept()
        self.window.importer.choose()

    def encrypt(self) -> None:
        """Preferences ▸ Privacy, with its Encrypt… dialog open."""
        from .preferences import PRIVACY

        self.accept()
        dialog = self.window.open_preferences(PRIVACY)
        page = dialog.page(PRIVACY) if dialog is not None else None
        if page is not None:
            QTimer.singleShot(0, page.start_encrypting)


def show_once(bridge, window, settings) -> WelcomeDialog | None:
    """The welcome, the first time this data folder is opened in the app (`settings`: the
    window's; none: never)."""
    if settings is None or settings.value(SEEN) is not None:
        return None
    settings.setValue(SEEN, 1)
    settings.sync()
    dialog = WelcomeDialog(bridge, window)
    dialog.open()
    return dialog
