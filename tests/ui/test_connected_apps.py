"""A program asks to use the memory: the app asks the user (read only / read and write / deny),
remembers the answer, and Memory ▸ Connected Apps… lists the programs and takes access away."""
from __future__ import annotations

from app import data_io
from app.clients import Clients

from .helpers import click


def test_the_user_answers_a_programs_request_and_can_take_access_away(qtbot, make_window, tmp_path):
    data = tmp_path / "memory"
    window = make_window(data_dir=data, data_ops=data_io)
    window.bridge.data_dir = data
    window.bridge.consent_requested.emit("Cursor")  # as the app's door does when a program asks
    box = window.consent_box
    assert "“Cursor” asks to use your memory" in box.text()
    click(qtbot, box.write_button)
    qtbot.waitUntil(lambda: Clients(data).get("Cursor") is not None, timeout=5000)
    assert Clients(data).get("Cursor").write

    window.bridge.consent_requested.emit("Some Tool")
    click(qtbot, window.consent_box.deny_button)  # denied: nothing is saved, it stays refused
    qtbot.wait(200)
    assert Clients(data).get("Some Tool") is None

    dialog = window.open_connected_apps()
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 1, timeout=5000)
    assert [dialog.list.topLevelItem(0).text(i) for i in range(2)] == ["Cursor", "read and write"]
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    click(qtbot, dialog.revoke_button)
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 0, timeout=5000)
    assert Clients(data).get("Cursor") is None and "may no longer use" in dialog.note.text()
