"""File ▸ Import…, Export…, Export as Markdown… and Backups…, driven as a user would."""
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from app import data_io
from core.transfer.crypto import MAGIC, Passphrase

ROOT = Path(__file__).resolve().parents[2]
LINES = [{"conversation": "porto", "role": "user", "content": "We land in Porto at 9 on Friday",
          "timestamp": "2024-03-01T08:00:00Z"},
         {"conversation": "porto", "role": "assistant", "content": "Have a good flight!",
          "timestamp": "2024-03-01T08:00:05Z"}]


def jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def window(make_window):
    return make_window(notes=["My sister Anna lives in Lisbon"], data_ops=data_io)


def box(window, name):
    found = window.findChild(QMessageBox, name)
    return found if found is not None and found.isVisible() else None


def test_import_shows_progress_then_a_report_and_the_new_memories(qtbot, window, tmp_path):
    path = jsonl(tmp_path / "chats.jsonl", LINES)
    assert window.importer.action.isEnabled() and window.importer.action.shortcut().toString() == "Ctrl+I"
    assert window.importer.start(path)
    qtbot.waitUntil(lambda: box(window, "importReport") is not None, timeout=10_000)
    report = box(window, "importReport")
    assert report.text().startswith("Imported 2 of 2 messages from chats.jsonl")
    assert "Skipped as already remembered: 0." in report.informativeText()
    report.accept()
    texts = {m.text for m in window.bridge.mnemo.store.all()}
    assert "We land in Porto at 9 on Friday" in texts
    window.show_tab(1)
    qtbot.waitUntil(lambda: "Porto" in " ".join(
        window.memories.list.item(i).text() for i in range(window.memories.list.count())), timeout=5000)


def test_cancelling_an_import_changes_nothing(qtbot, window, tmp_path):
    path = jsonl(tmp_path / "many.jsonl", [{"role": "user", "content": f"fact {i} about things"} for i in range(4000)])
    before = len(window.bridge.mnemo.store)
    window.importer.start(path)
    qtbot.waitUntil(lambda: window.importer.progress is not None and window.importer.progress.isVisible())
    qtbot.mouseClick(window.importer.progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.importer.handle is None, timeout=20_000)
    assert box(window, "importReport") is None
    assert len(window.bridge.mnemo.store) == before
    assert "nothing was changed" in window.statusBar().currentMessage()


def test_a_malformed_file_is_explained_and_changes_nothing(qtbot, window, tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"role": "user", "content": "ok"}\n{"role": "boss", "content": "x"}\n')
    window.importer.start(path)
    qtbot.waitUntil(lambda: box(window, "importError") is not None, timeout=10_000)
    error = box(window, "importError")
    assert "Line 2: 'role' must be" in error.informativeText() and "not changed" in error.informativeText()
    before = len(window.bridge.mnemo.store)  # the window's note (and any fact it states)
    assert before >= 1 and len(window.bridge.mnemo.store.all(kinds=["note"])) == 1


def test_export_with_a_passphrase_then_import_it_elsewhere(qtbot, window, make_window, tmp_path, monkeypatch):
    out = tmp_path / "mine.mnemo"
    window.exporter.export(out, Passphrase("a long passphrase"))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "exportDone") is not None, timeout=10_000)
    assert out.read_bytes().startswith(MAGIC)
    other = make_window(data_ops=data_io)
    asked = []
    monkeypatch.setattr("ui.import_flow.QInputDialog.getText",
                        lambda *a, **k: (asked.append(a[2]) or "a long passphrase", True))
    other.importer.start(out)
    qtbot.waitUntil(lambda: box(other, "importReport") is not None, timeout=10_000)
    assert "is encrypted with a passphrase" in asked[0]
    assert "My sister Anna lives in Lisbon" in {m.text for m in other.bridge.mnemo.store.all()}


def test_a_wrong_passphrase_asks_again(qtbot, window, make_window, tmp_path, monkeypatch):
    out = tmp_path / "mine.mnemo"
    window.exporter.export(out, Passphrase("a long passphrase"))
    qtbot.waitUntil(lambda: out.exists(), timeout=10_000)
    other = make_window(data_ops=data_io)
    answers = iter([("wrong passphrase!", True), ("a long passphrase", True)])
    prompts = []
    monkeypatch.setattr("ui.import_flow.QInputDialog.getText",
                        lambda *a, **k: (prompts.append(a[2]), next(answers))[1])
    other.importer.start(out)
    qtbot.waitUntil(lambda: box(other, "importReport") is not None, timeout=15_000)
    assert prompts[1].startswith("That passphrase did not open it")


def test_export_dialog_choices(qtbot):
    from ui.export_flow import ExportDialog

    dialog = ExportDialog("This system has no secure keyring (found fail.Keyring)")
    qtbot.addWidget(dialog)
    assert not dialog.keyring.isEnabled() and dialog.passphrase.isChecked()
    assert "no secure keyring" in dialog.keyring_note.text()
    assert not dialog.export_button.isEnabled()  # no passphrase yet
    dialog.first.setText("a long passphrase")
    dialog.second.setText("a long passphrasf")
    assert not dialog.export_button.isEnabled() and "differ" in dialog.problem.text()
    dialog.second.setText("a long passphrase")
    assert dialog.export_button.isEnabled() and dialog.secret() == Passphrase("a long passphrase")
    dialog.plain.setChecked(True)
    assert dialog.export_button.isEnabled() and dialog.secret() is None
    with_keyring = ExportDialog(None)
    qtbot.addWidget(with_keyring)
    assert with_keyring.keyring.isChecked() and with_keyring.secret() == "keyring"


def test_markdown_export(qtbot, window, tmp_path, monkeypatch):
    window.exporter.export_markdown(tmp_path / "md")
    qtbot.waitUntil(lambda: (tmp_path / "md" / "index.md").exists(), timeout=10_000)
    days = [p for p in (tmp_path / "md").iterdir() if p.name != "index.md"]
    assert len(days) == 1 and "My sister Anna lives in Lisbon" in days[0].read_text()
    opened = []
    monkeypatch.setattr("ui.export_flow.QDesktopServices.openUrl", staticmethod(opened.append))
    qtbot.waitUntil(lambda: box(window, "exportDone") is not None, timeout=5000)
    box(window, "exportDone").show_button.click()  # "Show in Folder" opens the folder in the file manager
    assert [url.toLocalFile() for url in opened] == [str(tmp_path / "md")]


def test_backups_dialog_backs_up_and_schedules_a_restore(qtbot, window, monkeypatch):
    dialog = window.open_backups()
    qtbot.waitUntil(lambda: "No backups yet" in dialog.pending.text(), timeout=5000)
    dialog.back_up_now()
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 1, timeout=10_000)
    assert dialog.list.topLevelItem(0).text(2) == "made by you"
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    monkeypatch.setattr("ui.backups_dialog.QMessageBox.question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: "will be restored when Mnemo next starts" in dialog.pending.text(), timeout=5000)
    assert data_io.pending_restore(window.bridge.mnemo.data_dir) == dialog.names[0]
    dialog.undo_button.click()
    qtbot.waitUntil(lambda: data_io.pending_restore(window.bridge.mnemo.data_dir) is None, timeout=5000)

    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))  # Delete…: gone for good, after asking
    dialog.delete_selected()
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 0, timeout=5000)
    assert "Deleted the backup" in dialog.pending.text()
    assert not any((window.bridge.mnemo.data_dir / "backups").iterdir())


def test_without_data_operations_the_menu_items_are_disabled(make_window):
    window = make_window()
    assert not window.importer.action.isEnabled() and not window.exporter.action.isEnabled()
    assert not window.importer.folder_action.isEnabled()
    assert not window.backups_action.isEnabled()


def test_a_chat_between_people_asks_who_you_are_and_a_two_way_date_asks_the_order(qtbot, window, monkeypatch):
    """File ▸ Import… of WhatsApp exports: the app asks which speaker is the user (their words become
    theirs), and for a file whose dates read both ways, which order the phone writes."""
    samples = ROOT / "tests" / "data" / "import_samples" / "whatsapp"
    asked = []

    def choose(parent, title, label, items, current=0, editable=False):
        asked.append((title, list(items)))
        return (items[0], True)  # the first speaker; "Day first"

    monkeypatch.setattr("ui.import_flow.QInputDialog.getItem", staticmethod(choose))
    window.importer.start(samples / "WhatsApp Chat with Rui.txt")
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=20_000)
    assert asked[0][0] == "Which one is you?" and asked[0][1][-1] == "None of them"
    me = asked[0][1][0]
    turns = [m for m in window.bridge.mnemo.memories() if m.kind == "turn"]
    assert turns and any(m.speaker == "" for m in turns) and all(m.speaker != me for m in turns)

    window.importer.last_report = None
    window.importer.start(samples / "ambiguous.txt")
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=20_000)
    assert [title for title, _ in asked][1:] == ["Which date order?", "Which one is you?"]
    assert window.importer.last_report.imported == 3


def test_a_notes_folder_is_chosen_from_the_file_menu_and_each_note_is_remembered(qtbot, window, monkeypatch):
    """File ▸ Import Notes Folder… of an Obsidian vault: the notes come in (the vault's settings,
    templates and attachments do not), and the report says what was left out."""
    vault = ROOT / "tests" / "data" / "import_samples" / "notes" / "vault"
    monkeypatch.setattr("ui.import_flow.QFileDialog.getExistingDirectory", staticmethod(lambda *a, **k: str(vault)))
    titles = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Import Notes Folder…" in titles
    window.importer.folder_action.trigger()
    qtbot.waitUntil(lambda: box(window, "importReport") is not None, timeout=20_000)
    report = window.importer.last_report
    notes = [m for m in window.bridge.mnemo.memories() if m.kind == "note" and m.source != "user"]
    assert report.imported == len(notes) >= 3
    assert any("Anna" in m.text for m in notes) and not any("Weekly review" in m.text for m in notes)
    assert "obsidian" in box(window, "importReport").informativeText().lower()


def test_an_import_that_ends_while_the_user_is_elsewhere_says_so_on_the_desktop(qtbot, window, tmp_path,
                                                                                   monkeypatch):
    notices = []
    window.desktop_notice.connect(notices.append)
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)  # the user went to another window
    window.importer.start(jsonl(tmp_path / "chats.jsonl", LINES))
    qtbot.waitUntil(lambda: bool(notices), timeout=10_000)
    assert notices[0].startswith("Imported 2 of 2 messages from chats.jsonl")
