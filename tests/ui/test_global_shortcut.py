"""Quick Capture from anywhere on the desktop: registered through the GlobalShortcuts portal on a
real (private) D-Bus session, with a stand-in portal (tests/ui/portal_standin.py); without the
portal, Preferences ▸ Keyboard Shortcuts says how to bind it, and on GNOME adds it with gsettings."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from ui import gnome_keybinding
from ui.global_shortcut import REGISTERED, UNAVAILABLE, GlobalShortcut
from ui.preferences import SHORTCUTS

STANDIN = Path(__file__).with_name("portal_standin.py")


@pytest.fixture
def bus():
    """A private D-Bus session bus: its address."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    yield daemon.stdout.readline().strip()
    daemon.kill()
    daemon.wait(timeout=10)


class Portal:
    """The stand-in portal on `bus`: `calls` (what it was asked), `press(id)`."""

    def __init__(self, address: str, *flags: str):
        self.address, self.calls = address, []
        self.process = subprocess.Popen([sys.executable, str(STANDIN), address, *flags], stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout.readline().strip() == "ready"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.calls.append(json.loads(line))

    def called(self, member: str) -> list[dict]:
        return [c for c in self.calls if c["call"] == member]

    def press(self, shortcut_id: str) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        with open_dbus_connection(self.address) as conn:
            conn.send_and_get_reply(new_method_call(DBusAddress(
                "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Desktop", "org.mnemo.Test"), "Press", "s",
                (shortcut_id,)), timeout=10)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def portal(bus):
    made = []

    def start(*flags: str) -> Portal:
        made.append(Portal(bus, *flags))
        return made[-1]

    yield start
    for one in made:
        one.stop()


@pytest.fixture
def desktop_shortcut(bus):
    """desktop_shortcut(window, address): the window's GlobalShortcut, wired as app/gui.py wires it
    and asking at once; stopped before the bus goes."""
    made = []

    def make(window, address: str) -> GlobalShortcut:
        shortcut = window.global_shortcut = GlobalShortcut(window, bus=address)
        shortcut.activated.connect(window.open_quick_capture)
        shortcut.start()
        made.append(shortcut)
        return shortcut

    yield make
    for shortcut in made:
        shortcut.stop()


def shortcuts_page(window):
    window.shortcuts_action.trigger()
    dialog = [d for d in window.findChildren(QDialog, "preferencesDialog") if d.isVisible()][-1]
    assert dialog.stack.currentIndex() == SHORTCUTS
    return dialog, dialog.stack.currentWidget()


def test_the_app_registers_quick_capture_with_the_desktop_and_a_press_opens_it(qtbot, make_window, bus, portal,
                                                                              desktop_shortcut):
    standin = portal()
    window = make_window()
    shortcut = desktop_shortcut(window, bus)
    qtbot.waitUntil(lambda: shortcut.state == REGISTERED, timeout=10_000)
    assert shortcut.trigger == "Ctrl+Shift+Space"  # as the desktop describes the trigger
    assert len(standin.called("CreateSession")) == 1
    (bind,) = standin.called("BindShortcuts")
    session, shortcuts, _parent, _options = bind["body"]
    assert session.startswith("/org/freedesktop/portal/desktop/session/")
    assert shortcuts == [["quick-capture", {"description": "Open Mnemo's Quick Capture",
                                             "preferred_trigger": "CTRL+SHIFT+space"}]]

    dialog, page = shortcuts_page(window)
    assert "registered with your desktop as Ctrl+Shift+Space" in page.desktop.status.text()
    assert not page.desktop.gnome_button.isVisible()
    keys = {page.shortcuts.topLevelItem(i).text(0): page.shortcuts.topLevelItem(i).text(1)
            for i in range(page.shortcuts.topLevelItemCount())}
    assert keys["Quick Capture from anywhere (registered with your desktop)"] == "Ctrl+Shift+Space"
    dialog.reject()

    assert not window.quick_capture.isVisible()
    standin.press("quick-capture")
    qtbot.waitUntil(window.quick_capture.isVisible, timeout=5000)

    shortcut.stop()  # on quit: the session is closed
    assert standin.called("Close") and standin.called("Close")[0]["path"] == session


def test_a_desktop_without_the_shortcut_portal_gets_the_bind_it_yourself_text(qtbot, make_window, bus, portal,
                                                                              monkeypatch, desktop_shortcut):
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    standin = portal("--without-shortcuts")
    window = make_window()
    shortcut = desktop_shortcut(window, bus)
    qtbot.waitUntil(lambda: shortcut.state == UNAVAILABLE, timeout=10_000)
    assert standin.called("Get") and not standin.called("CreateSession")

    dialog, page = shortcuts_page(window)
    text = page.desktop.status.text()
    assert text.startswith("Your desktop has no shortcut service Mnemo can register with.")
    assert "bind the command “mnemo-gui --quick-capture” to a key yourself" in text
    assert not page.desktop.gnome_button.isVisible()  # not GNOME
    dialog.reject()


def test_no_session_bus_at_all_is_the_same_fallback(qtbot, make_window, tmp_path, desktop_shortcut):
    window = make_window()
    shortcut = desktop_shortcut(window, f"unix:path={tmp_path / 'no-bus'}")
    qtbot.waitUntil(lambda: shortcut.state == UNAVAILABLE, timeout=10_000)
    assert "no desktop session bus" in shortcut.reason
    dialog, page = shortcuts_page(window)
    assert "Your desktop has no shortcut service" in page.desktop.status.text()
    dialog.reject()


def test_the_gnome_command_runs_this_mnemo_gui_on_this_memory(tmp_path):
    command = gnome_keybinding.command(tmp_path / "my memory")
    assert command.endswith(f"--quick-capture --data-dir '{tmp_path / 'my memory'}'")
    assert Path(command.split()[0]).name in ("mnemo-gui", Path(sys.executable).name)


@pytest.fixture
def gnome(tmp_path, monkeypatch):
    """GNOME with its settings in a keyfile under tmp_path, not the user's."""
    monkeypatch.setenv("GSETTINGS_BACKEND", "keyfile")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    if shutil.which("gsettings") is None or not gnome_keybinding.available():
        pytest.skip("gsettings or GNOME's media-keys schema (gnome-settings-daemon-common) is not installed")
    return tmp_path / "config" / "glib-2.0" / "settings" / "keyfile"


def test_add_to_gnome_shortcuts_writes_a_custom_keybinding(qtbot, make_window, bus, portal, gnome, tmp_path,
                                                            desktop_shortcut):
    portal("--without-shortcuts")
    window = make_window(data_dir=tmp_path / "memory")
    window.bridge.data_dir = tmp_path / "memory"
    shortcut = desktop_shortcut(window, bus)
    qtbot.waitUntil(lambda: shortcut.state == UNAVAILABLE, timeout=10_000)
    dialog, page = shortcuts_page(window)
    assert page.desktop.gnome_button.isVisible()
    assert "“Add to GNOME Shortcuts” binds Ctrl+Shift+Space for you" in page.desktop.status.text()
    assert not gnome.exists()  # nothing is written before the click

    page.desktop.gnome_button.click()
    assert page.desktop.note.text() == "Added: Ctrl+Shift+Space now opens Quick Capture, wherever you are."
    assert "a custom shortcut in GNOME Settings" in page.desktop.status.text()
    assert not page.desktop.gnome_button.isVisible()
    path = gnome_keybinding.ENTRY_PATH

    def get(schema: str, key: str) -> str:
        return subprocess.run(["gsettings", "get", schema, key], capture_output=True, text=True, check=True).stdout
    assert get(gnome_keybinding.SCHEMA, "custom-keybindings").strip() == f"['{path}']"
    entry = f"{gnome_keybinding.ENTRY_SCHEMA}:{path}"
    assert get(entry, "binding").strip() == "'<Control><Shift>space'"
    assert get(entry, "name").strip() == "'Mnemo Quick Capture'"
    assert f"--quick-capture --data-dir {tmp_path / 'memory'}" in get(entry, "command")
    dialog.reject()


def test_adding_keeps_the_users_other_gnome_shortcuts_and_removing_leaves_them(gnome):
    theirs = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom0/"
    subprocess.run(["gsettings", "set", gnome_keybinding.SCHEMA, "custom-keybindings", f"['{theirs}']"], check=True)
    gnome_keybinding.add("mnemo-gui --quick-capture")
    gnome_keybinding.add("mnemo-gui --quick-capture")  # twice: still one entry
    assert gnome_keybinding._entries() == [theirs, gnome_keybinding.ENTRY_PATH]
    gnome_keybinding.remove()
    assert gnome_keybinding._entries() == [theirs] and not gnome_keybinding.added()
