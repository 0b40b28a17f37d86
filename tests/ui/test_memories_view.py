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


def stored(window, memory_id: str):
    return window.bridge.mnemo.store.get(memory_id)


def test_the_importance_row_says_how_much_it_matters_and_why_and_the_box_changes_it(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    memory = select_text(qtbot, view, NOTES[2])
    before = stored(window, memory.id)
    assert before.importance_reason.startswith("a note you saved; ")
    word = {0.2: "low", 0.5: "normal", 0.85: "high", 0.95: "highest"}[
        min((0.2, 0.5, 0.85, 0.95), key=lambda v: abs(v - before.importance))]
    row = view.detail.fields["importance"]
    assert row.text() == f"{word} ({before.importance:.2f}) — {before.importance_reason}"
    assert row.isVisible()
    box = view.detail.importance
    assert box.isEnabled() and box.currentText() == f"Importance: {word.capitalize()}"

    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)  # the user picks "Low" with the keyboard
    assert box.currentText() == "Importance: Low"
    qtbot.waitUntil(lambda: stored(window, memory.id).importance == 0.2, timeout=5000)
    after = stored(window, memory.id)
    assert after.importance_reason == "set by you"
    assert after.strength < before.strength  # it is kept less long now
    qtbot.waitUntil(lambda: row.text() == "low (0.20) — set by you", timeout=5000)
    assert view.current_memory().id == memory.id
    assert window.statusBar().currentMessage() == "Importance changed"

    qtbot.keyClick(box, Qt.Key.Key_End)  # and then "Highest"
    qtbot.waitUntil(lambda: stored(window, memory.id).importance == 0.95, timeout=5000)
    assert stored(window, memory.id).importance_reason == "set by you"
    qtbot.waitUntil(lambda: row.text() == "highest (0.95) — set by you", timeout=5000)
    assert box.currentText() == "Importance: Highest"


def test_a_search_finds_a_forgotten_memory_and_restore_brings_it_back(qtbot, make_window, clock):
    def setup(mnemo):
        key = mnemo.add_note(NOTES[1]).memory
        clock.advance(days=key.strength * 3)  # retention e^-3 = 5%: below the forgetting line
        mnemo.sweep()
        mnemo.add_note(NOTES[0])

    window = make_window(setup=setup)
    assert {m.text: m.state for m in memories_of(window)}[NOTES[1]] == "forgotten"
    view = open_memories(qtbot, window)
    view.search.setFocus()
    qtbot.keyClicks(view.search, "flowerpot")
    qtbot.waitUntil(lambda: not view.listing and view.count_label.text() == "1 match", timeout=5000)
    assert texts(view) == [NOTES[1]]
    assert "forgotten — select it to restore" in view.list.item(0).text()

    memory = select_text(qtbot, view, NOTES[1])
    detail = view.detail
    assert detail.fields["state"].text() == "forgotten"
    assert detail.restore_button.isVisible()
    qtbot.mouseClick(detail.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored(window, memory.id).state == "active", timeout=5000)
    restored = stored(window, memory.id)
    assert restored.reinforced_at == clock.now().timestamp()  # its forgetting clock restarted
    qtbot.waitUntil(lambda: detail.fields["state"].text() == "active", timeout=5000)
    assert not detail.restore_button.isVisible()
    assert view.current_memory().id == memory.id and "forgotten" not in view.list.item(0).text()
    assert window.statusBar().currentMessage() == "Restored"
