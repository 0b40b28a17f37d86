"""Preferences ▸ Keyboard Shortcuts, at the top: whether Quick Capture has a shortcut that works
everywhere on the desktop. Registered through the portal (ui/global_shortcut.py): it says as
what. Otherwise: on GNOME, a button that adds a custom shortcut (ui/gnome_keybinding.py);
anywhere, the command to bind by hand."""
from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from . import gnome_keybinding
from .global_shortcut import ASKING, REFUSED, REGISTERED
from .prefs_common import label, row

COMMAND = "mnemo-gui --quick-capture"
BY_HAND = (f"For Quick Capture from anywhere, bind the command “{COMMAND}” to a key yourself (GNOME: Settings ▸ "
           "Keyboard ▸ Custom Shortcuts; KDE: System Settings ▸ Shortcuts ▸ Custom Shortcuts).")


class DesktopShortcutPanel(QWidget):
    """`shortcut`: the app's GlobalShortcut (None: not asked, as in a test window); `data_dir`: the
    memory the GNOME shortcut opens; `gnome`: ui/gnome_keybinding (a stand-in in tests)."""

    def __init__(self, shortcut=None, data_dir=None, gnome=gnome_keybinding, parent: QWidget | None = None):
        super().__init__(parent)
        self.shortcut, self.data_dir, self.gnome = shortcut, data_dir, gnome
        self.status = label()
        self.status.setAccessibleName("Quick Capture from anywhere")
        self.gnome_button = QPushButton("Add to GNOME Shortcuts")
        self.gnome_button.setToolTip(f"Adds a custom shortcut, {gnome.BINDING_TEXT}, to GNOME Settings ▸ Keyboard")
        self.gnome_button.clicked.connect(self.add_to_gnome)
        self.note = label()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.status)
        box.addLayout(row(self.gnome_button))
        box.addWidget(self.note)
        self.note.hide()
        if shortcut is not None:
            shortcut.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        state = self.shortcut.state if self.shortcut is not None else None
        offer_gnome = False
        if state == REGISTERED:
            text = (f"Quick Capture from anywhere: registered with your desktop as {self.shortcut.trigger}. "
                    "Your desktop's keyboard settings can change it.")
        elif state == ASKING:
            text = "Asking your desktop for a Quick Capture shortcut…"
        elif self.gnome.added():
            text = (f"Quick Capture from anywhere: {self.gnome.BINDING_TEXT}, a custom shortcut in GNOME Settings ▸ "
                    "Keyboard ▸ Custom Shortcuts (change or remove it there).")
        else:
            why = (f"Your desktop did not register a Quick Capture shortcut ({self.shortcut.reason})."
                   if state == REFUSED else "Your desktop has no shortcut service Mnemo can register with.")
            offer_gnome = self.gnome.available()
            text = why + " " + (f"“Add to GNOME Shortcuts” binds {self.gnome.BINDING_TEXT} for you; or: "
                                if offer_gnome else "") + BY_HAND
        self.status.setText(text)
        self.gnome_button.setVisible(offer_gnome)

    def add_to_gnome(self) -> None:
        try:
            keys = self.gnome.add(self.gnome.command(self.data_dir))
        except OSError as exc:
            self.note.setText(f"GNOME's shortcuts could not be changed: {exc}")
        else:
            self.note.setText(f"Added: {keys} now opens Quick Capture, wherever you are.")
        self.note.show()
        self.refresh()
