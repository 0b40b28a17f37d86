"""Encryption at rest in the app: Preferences ▸ Privacy encrypts the memory (a real store) and its
backups with a passphrase, the window locks (Lock Now, or idle) and unlocks only with the right
passphrase, other programs are refused meanwhile, the unlock dialog at start, and Decrypt…"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox

import app.privacy
from core.memory.keys import KEY_FILE
from ui.preferences import PRIVACY
from ui.prefs_privacy import PassphraseDialog
from ui.privacy_lock import PrivacyLock
from ui.unlock import UnlockDialog

SECRET = "correct horse battery"


def _accept_with(qtbot, monkeypatch, text: str, again: str | None = None) -> None:
    """The passphrase dialog, answered as a person would: the passphrase typed twice, then OK."""
    def exec_(dialog):
        qtbot.keyClicks(dialog.first, text)
        qtbot.keyClicks(dialog.second, text if again is None else again)
        dialog._accept()
        return dialog.result()
    monkeypatch.setattr(PassphraseDialog, "exec", exec_)


def test_encrypt_lock_unlock_and_decrypt_from_preferences(qtbot, make_window, tmp_path, monkeypatch):
    data = tmp_path / "memory"
    window = make_window(notes=["Zanzibarra moved to Lisbon"], data_dir=data)
    window.bridge.privacy_ops = app.privacy
    lock = window.privacy_lock = PrivacyLock(window, lambda text: app.privacy.check_unlock(window.bridge.mnemo, text),
                                             enabled=False)
    window.open_preferences(PRIVACY)
    dialog = window.findChild(QDialog, "preferencesDialog")
    page = dialog.page(PRIVACY)
    qtbot.waitUntil(lambda: page.encrypt_button.isEnabled(), timeout=5000)
    assert "not encrypted" in page.status_label.text() and not page.lock_now_button.isEnabled()

    _accept_with(qtbot, monkeypatch, SECRET, again="something else")  # a typo is caught
    page.start_encrypting()
    assert not (data / "store" / KEY_FILE).exists()
    _accept_with(qtbot, monkeypatch, SECRET)
    page.start_encrypting()
    qtbot.waitUntil(lambda: page.decrypt_button.isEnabled(), timeout=30_000)
    assert "encrypted (AES-256)" in page.status_label.text() and (data / "store" / KEY_FILE).exists()
    assert not any(b"Zanzibarra" in f.read_bytes() for f in data.rglob("*") if f.is_file())
    assert lock.enabled and page.lock_now_button.isEnabled()

    page.lock_now_button.click()
    assert lock.locked and lock.screen.isVisible() and not dialog.isVisible()
    assert not window.menuBar().isEnabled() and not window.centralWidget().isEnabled()
    opened = []
    lock.guarded(lambda: opened.append("quick capture"))  # waits for the unlock
    qtbot.keyClicks(lock.screen.panel.field, "wrong horse battery")
    lock.screen.panel.unlock_button.click()
    assert lock.locked and "The passphrase is wrong" in lock.screen.panel.error.text() and opened == []
    lock.screen.panel.field.clear()
    qtbot.keyClicks(lock.screen.panel.field, SECRET)
    lock.screen.panel.unlock_button.click()
    assert not lock.locked and not lock.screen.isVisible() and opened == ["quick capture"]

    lock.set_minutes(0.001)  # idle for 60 ms: locked again
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    lock.screen.panel.field.setText(SECRET)
    lock.screen.panel.attempt()
    lock.set_minutes(0)

    window.open_preferences(PRIVACY)
    dialog = [d for d in window.findChildren(QDialog, "preferencesDialog") if d.isVisible()][-1]
    page = dialog.page(PRIVACY)
    qtbot.waitUntil(lambda: page.decrypt_button.isEnabled(), timeout=5000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("wrong horse battery", True))
    page.start_decrypting()  # someone at the unlocked window who does not know the passphrase
    qtbot.waitUntil(lambda: "The passphrase is wrong" in page.note.text(), timeout=10_000)
    assert (data / "store" / KEY_FILE).exists()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (SECRET, True))
    page.start_decrypting()
    qtbot.waitUntil(lambda: page.encrypt_button.isEnabled(), timeout=30_000)
    assert not list(data.rglob(KEY_FILE)) and not lock.enabled
    assert "in the clear again" in page.note.text()


def test_the_unlock_dialog_keeps_asking_until_the_passphrase_is_right(qtbot, tmp_path):
    from core.memory.keys import Passphrase, new_data_key, wrap

    (tmp_path / "store").mkdir()
    key = new_data_key()
    wrap(key, Passphrase(SECRET)).save(tmp_path / "store", key)
    assert app.privacy.needs_passphrase(tmp_path)
    dialog = UnlockDialog(lambda text: app.privacy.check_passphrase(tmp_path, text), str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.panel.field, "nope")
    dialog.panel.unlock_button.click()
    assert dialog.isVisible() and "at least 8 characters" in dialog.panel.error.text()
    dialog.panel.field.setText("wrong horse battery")
    dialog.panel.attempt()
    assert dialog.isVisible() and "The passphrase is wrong" in dialog.panel.error.text()
    dialog.panel.field.setText(SECRET)
    dialog.panel.attempt()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.passphrase == Passphrase(SECRET)


def test_other_programs_are_refused_while_the_app_is_locked(tmp_path):
    """The app's owner server (a real Unix socket) and a real CLI client."""
    import io

    from app.owner.client import forward
    from app.owner.server import OwnerServer

    from app.owner.client import connect
    from app.owner.protocol import send

    asked = []
    server = OwnerServer(tmp_path, mnemo=None, locked=lambda: True, on_consent=asked.append).start()
    try:
        err = io.StringIO()
        assert forward(["list"], tmp_path, stdout=io.StringIO(), stderr=err) == 1
        assert "Mnemo is locked; unlock it in the app first" in err.getvalue()
        sock = connect(tmp_path)  # a program asking for access: no prompt appears over the lock screen
        send(sock, {"consent": "evil-agent"})
        sock.recv(4096)
        sock.close()
        assert asked == []
    finally:
        server.stop()


def test_the_welcome_offers_encryption(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(data_dir=tmp_path / "memory")
    window.bridge.privacy_ops = app.privacy
    asked = []
    monkeypatch.setattr(PassphraseDialog, "exec", lambda dialog: asked.append(dialog.windowTitle()) or 0)
    welcome = window.open_welcome()
    assert "Encrypt your memory with a passphrase" in welcome.points["encrypt"].text()
    assert welcome.encrypt_button.isEnabled()
    welcome.encrypt_button.click()
    qtbot.waitUntil(lambda: asked == ["Encrypt Your Memory"], timeout=5000)
    dialog = [d for d in window.findChildren(QDialog, "preferencesDialog") if d.isVisible()][-1]
    assert dialog.stack.currentIndex() == PRIVACY and not (tmp_path / "memory" / "store" / KEY_FILE).exists()


def test_the_tray_offers_lock_and_shows_the_state(qtbot):
    from ui.tray import Tray

    tray = Tray()
    assert not tray.lock_action.isVisible()
    tray.set_lockable(True)
    assert tray.lock_action.isVisible() and tray.icon.toolTip().endswith("encrypted")
    with qtbot.waitSignal(tray.lock_requested):
        tray.lock_action.trigger()
    tray.set_locked(True)
    assert "locked" in tray.icon.toolTip() and not tray.lock_action.isEnabled()


def test_the_app_opens_an_encrypted_memory_with_the_passphrase_from_the_environment(tmp_path):
    """A real `mnemo-gui` process (offscreen) on an encrypted store: no dialog, the memory opens."""
    import os
    import subprocess
    import sys
    from datetime import datetime, timezone
    from pathlib import Path

    from core.clock import FixedClock
    from core.memory.keys import Passphrase
    from core.memory.store import MemoryStore

    import io

    import numpy as np

    from app.owner.client import forward
    from core.memory.records import Kind, Memory, new_id

    clock = FixedClock(datetime(2026, 5, 1, tzinfo=timezone.utc))
    store = MemoryStore.open(tmp_path / "data", clock)
    vector = np.zeros(384, np.float32)
    vector[0] = 1.0
    store.add([Memory(new_id(), "Zanzibarra moved to Lisbon", Kind.NOTE, "user", clock.now().timestamp(),
                      vector=vector)], "user", "typed")
    store.encrypt(Passphrase(SECRET))
    store.close()
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen([sys.executable, "-m", "app.gui", "--data-dir", str(tmp_path / "data"),
                                "--model", str(tmp_path / "missing.gguf")], cwd=root, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, QT_QPA_PLATFORM="offscreen", MNEMO_REPORT_STARTUP="1",
                                        MNEMO_PASSPHRASE=SECRET, PYTHONPATH=str(root)))
    try:
        seen = []
        while len(seen) < 40:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith("ready after"):
                break
        assert any(s.startswith("window shown after") for s in seen), seen
        assert seen[-1].startswith("ready after"), seen
        assert not any("could not be opened" in s or "locked" in s for s in seen), seen
        out = io.StringIO()  # the app has the memory open: a command runs there, on the unlocked memory
        assert forward(["list"], tmp_path / "data", stdout=out, stderr=io.StringIO()) == 0
        assert "Zanzibarra moved to Lisbon" in out.getvalue()
    finally:
        process.kill()
        process.wait(timeout=30)


def test_the_welcome_says_so_when_the_memory_is_already_encrypted(qtbot, make_window, tmp_path):
    from core.memory.keys import Passphrase

    window = make_window(data_dir=tmp_path / "memory", setup=lambda mnemo: mnemo.store.encrypt(Passphrase(SECRET)))
    window.bridge.privacy_ops = app.privacy
    welcome = window.open_welcome()
    qtbot.waitUntil(lambda: "is encrypted on disk" in welcome.points["encrypt"].text(), timeout=5000)
    assert welcome.encrypt_button.isHidden()
