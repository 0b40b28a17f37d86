"""The memories view: list, search, read, pin/unpin, delete with Undo."""
from __future__ import annotations

from PySide6.QtCore import Qt

from .helpers import memories_of

NOTES = [
    "My sister Anna lives in Lisbon",
    "The spare key is in the blue flowerpot",
    "Dentist appointment on Thursday at 14:30",
]


def open_memories(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.memories
    view = window.memories
    qtbot.waitUntil(lambda: view.loaded, timeout=5000)
    return view


def texts(view) -> list[str]:
    return [m.text for m in view.rows()]


def select_text(qtbot, view, text: str):
    assert text in texts(view)
    row = texts(view).index(text)
    rect = view.list.visualItemRect(view.list.item(row))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current_memory().text == text
    return view.current_memory()


def test_empty_search_lists_every_memory_and_the_detail_pane_reads_one(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    assert sorted(texts(view)) == sorted(NOTES)
    assert view.count_label.text() == "3 memories"
    assert not view.detail.content.isVisible()

    memory = select_text(qtbot, view, NOTES[1])
    detail = view.detail
    assert detail.content.isVisible()
    assert detail.text.text() == NOTES[1]
    assert detail.fields["source"].text() == "typed note"
    assert detail.fields["created"].text().startswith("2026-05-01")
    assert detail.fields["state"].text() == "active"
    assert detail.fields["id"].text() == memory.id
    assert detail.pin_button.text() == "Pin"


def test_search_runs_in_the_background_and_says_why_each_memory_matched(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "flowerpot")
    qtbot.waitUntil(lambda: view.count_label.text().endswith("match") or "matches" in view.count_label.text(),
                    timeout=5000)
    assert texts(view)[0] == NOTES[1]
    select_text(qtbot, view, NOTES[1])
    assert "flowerpot" in view.detail.fields["reason"].text()

    qtbot.keyClicks(view.search, "zzzz-nothing")  # "flowerpotzzzz-nothing"
    qtbot.waitUntil(lambda: view.count_label.text() == "No memory matches.", timeout=5000)
    assert texts(view) == []

    view.search.clear()
    qtbot.waitUntil(lambda: len(texts(view)) == 3, timeout=5000)


def test_pin_and_unpin(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    memory = select_text(qtbot, view, NOTES[0])

    qtbot.mouseClick(view.detail.pin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail.pin_button.text() == "Unpin", timeout=5000)
    assert view.detail.fields["state"].text().startswith("pinned")
    assert view.current_memory().id == memory.id  # the selection survives the refresh
    assert "pinned" in view.list.currentItem().text()
    assert {m.id: m.state for m in memories_of(window)}[memory.id] == "pinned"

    qtbot.mouseClick(view.detail.pin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail.pin_button.text() == "Pin", timeout=5000)
    assert {m.id: m.state for m in memories_of(window)}[memory.id] == "active"


def test_delete_then_undo(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    memory = select_text(qtbot, view, NOTES[2])

    qtbot.mouseClick(view.detail.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: NOTES[2] not in texts(view), timeout=5000)
    assert view.undo_bar.isVisible()
    assert "Dentist appointment" in view.undo_bar.label.text()
    assert memory.id not in {m.id for m in memories_of(window)}
    assert window.statusBar().currentMessage() == "Memory deleted"

    qtbot.mouseClick(view.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: NOTES[2] in texts(view), timeout=5000)
    assert not view.undo_bar.isVisible()
    assert view.current_memory().id == memory.id
    assert {m.id: m.state for m in memories_of(window)}[memory.id] == "active"
