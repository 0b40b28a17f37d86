"""Preferences ▸ Data Folder ▸ Move…, as a user does it: pick a folder, confirm, watch the copy,
and Mnemo restarts in the new folder; a folder that cannot take the memory is refused with the
reason, and Cancel leaves everything as it was. The real store in a temporary data folder."""
from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton

from app import data_io, data_move, paths
from ui import move_dialog
from ui.preferences import DATA

from .helpers import click, memories_of

NOTE = "The spare key is under the blue flowerpot"


@pytest.fixture
def data_page(make_window, tmp_path, monkeypatch, qtbot):
    """The Data Folder page of a window on tmp_path/memory; the folder dialog answers `chosen`."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    chosen = {}
    monkeypatch.setattr(move_dialog.QFileDialog, "getExistingDirectory", lambda *a, **k: str(chosen["folder"]))
    window = make_window(data_dir=tmp_path / "memory", data_ops=data_io, notes=[NOTE])

    def pick(folder):
        chosen["folder"] = folder
        page = window.open_preferences(DATA).page(DATA)
        assert page.move_button.isEnabled() and page.move_button.text() == "Move…"
        click(qtbot, page.move_button)
        return page

    return window, pick


def box_of(flow, qtbot, name: str) -> QMessageBox:
    qtbot.waitUntil(lambda: flow.box is not None and flow.box.objectName() == name and flow.box.isVisible(),
                    timeout=10_000)
    return flow.box


def test_the_memory_moves_to_an_empty_folder_and_mnemo_restarts_there(qtbot, data_page, tmp_path):
    window, pick = data_page
    page = pick(tmp_path / "elsewhere" / "mnemo")
    confirm = box_of(page.move_flow, qtbot, "moveConfirm")
    assert f"to {tmp_path / 'elsewhere' / 'mnemo'}?" in confirm.text() and "KB" in confirm.text()
    progress_seen = []
    page.move_flow.bridge.move_data = wrap(page.move_flow.bridge.move_data, progress_seen, window)
    click(qtbot, page.move_flow.move_button)
    done = box_of(page.move_flow, qtbot, "moveResult")
    assert progress_seen == [True]  # a progress dialog while it copied
    new = (tmp_path / "elsewhere" / "mnemo").resolve()
    assert done.text().startswith(f"Your memory was copied to {new} and checked. Mnemo now restarts")
    assert json.loads(paths.pointer_file().read_text()) == {"data_dir": str(new)}  # the next start uses it
    assert (new / "store").is_dir() and (tmp_path / "memory" / "store").is_dir()  # the old kept until restart
    with qtbot.waitSignal(window.data_moved, timeout=5000) as moved:
        done.accept()
    assert moved.args == [str(tmp_path / "memory"), str(new)]


def wrap(move_data, seen, window):
    def move(*args):
        handle = move_data(*args)
        seen.append(any(isinstance(w, QProgressDialog) and w.isVisible() for w in window.findChildren(QProgressDialog)))
        return handle
    return move


def test_a_folder_that_is_not_empty_is_refused_and_nothing_moves(qtbot, data_page, tmp_path):
    window, pick = data_page
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "holiday.jpg").write_bytes(b"jpeg")
    page = pick(tmp_path / "photos")
    refused = box_of(page.move_flow, qtbot, "moveResult")
    assert "is not empty; choose an empty folder" in refused.text()
    assert "is not empty" in page.move_note.text()
    assert [p.name for p in (tmp_path / "photos").iterdir()] == ["holiday.jpg"]
    assert not paths.pointer_file().exists()


def test_cancel_during_the_copy_leaves_everything_as_it_was(qtbot, data_page, tmp_path, monkeypatch):
    window, pick = data_page
    real = data_move.copy_checked

    def slow(source, target, total, progress=None, cancel=None):
        held = []

        def first(done, total):  # holds the copy at its first step until the user has pressed Cancel
            progress(done, total)
            if not held:
                held.append(cancel.wait(10))
        return real(source, target, total, first, cancel)

    monkeypatch.setattr(data_move, "copy_checked", slow)
    (tmp_path / "empty").mkdir()
    page = pick(tmp_path / "empty")
    box_of(page.move_flow, qtbot, "moveConfirm")
    click(qtbot, page.move_flow.move_button)
    qtbot.waitUntil(lambda: page.move_flow.progress is not None and page.move_flow.progress.isVisible(), timeout=5000)
    click(qtbot, page.move_flow.progress.findChild(QPushButton))  # the progress dialog's Cancel
    told = box_of(page.move_flow, qtbot, "moveResult")
    assert told.text() == "The move was cancelled; your memory stays where it was."
    assert list((tmp_path / "empty").iterdir()) == [] and not paths.pointer_file().exists()
    window.bridge.add_note("Written after the cancel", "user", None, None)  # the memory is still in use
    qtbot.waitUntil(lambda: "Written after the cancel" in [m.text for m in memories_of(window)], timeout=5000)
