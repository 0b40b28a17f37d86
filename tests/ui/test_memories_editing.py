"""Living in the Memories tab: edit a memory's words (Edit…, F2), select several and pin or
delete them at once (the buttons say how many; the Del key deletes), undo the last of these
with Ctrl+Z, and narrow the list with the filters ("3 of 7 memories")."""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt
from PySide6.QtGui import qGray
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from .helpers import memories_of
from .test_memories_view import NOTES, open_memories, select_text, texts

CTRL = Qt.KeyboardModifier.ControlModifier


def stored(window, memory_id: str):
    return window.bridge.mnemo.store.get(memory_id)


def click_row(qtbot, view, text: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    row = texts(view).index(text)
    rect = view.list.visualItemRect(view.list.item(row))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def status(window) -> str:
    return window.statusBar().currentMessage()


def choose(qtbot, box: QComboBox, title: str) -> None:
    """Pick an item of a filter with the keyboard, as a person would."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    while box.currentText() != title:
        before = box.currentIndex()
        qtbot.keyClick(box, Qt.Key.Key_Down)
        assert box.currentIndex() != before, f"no {title!r} in {box.accessibleName()}"


def listed(qtbot, view) -> None:
    qtbot.waitUntil(lambda: not view.listing, timeout=5000)


def test_f2_edits_a_memory_and_the_list_and_detail_show_the_new_words(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    memory = select_text(qtbot, view, NOTES[1])
    assert view.detail.edit_button.isEnabled()

    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_F2)
    dialog = view.edit_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.input.toPlainText() == NOTES[1]
    qtbot.keyClick(dialog.input, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.input, "The spare key is under the doormat")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: "The spare key is under the doormat" in texts(view), timeout=5000)
    assert not dialog.isVisible()
    assert NOTES[1] not in texts(view)
    assert view.detail.text.text() == "The spare key is under the doormat"
    assert view.current_memory().id == memory.id
    assert status(window) == "Memory edited"
    after = stored(window, memory.id)
    assert after.text == "The spare key is under the doormat" and after.created_at == memory.created_at
    history = window.bridge.mnemo.store.history(memory.id)
    assert history[-1].action == "edited" and NOTES[1] in history[-1].reason

    view.search.setFocus()  # the new words are found, the old ones no longer
    qtbot.keyClicks(view.search, "doormat")
    qtbot.waitUntil(lambda: view.count_label.text() == "1 match", timeout=5000)
    assert texts(view) == ["The spare key is under the doormat"]


def test_an_empty_edit_is_refused_in_the_box_and_nothing_changes(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    memory = select_text(qtbot, view, NOTES[0])
    qtbot.mouseClick(view.detail.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.edit_dialog
    qtbot.keyClick(dialog.input, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(dialog.input, Qt.Key.Key_Delete)
    qtbot.keyClicks(dialog.input, "   ")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: "cannot be empty" in dialog.feedback.text(), timeout=5000)
    assert dialog.isVisible() and dialog.input.isEnabled()  # still open: type something else, or Esc
    assert stored(window, memory.id).text == NOTES[0]
    qtbot.keyClick(dialog.input, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert NOTES[0] in texts(view)


def test_ctrl_z_puts_the_old_words_back_after_an_edit(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    memory = select_text(qtbot, view, NOTES[2])
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_F2)
    dialog = view.edit_dialog
    qtbot.keyClick(dialog.input, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.input, "Dentist appointment on Friday at 9:00")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Dentist appointment on Friday at 9:00" in texts(view), timeout=5000)
    assert stored(window, memory.id).text == "Dentist appointment on Friday at 9:00"

    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: stored(window, memory.id).text == NOTES[2], timeout=5000)
    qtbot.waitUntil(lambda: NOTES[2] in texts(view), timeout=5000)
    assert status(window) == "Undone: edited “Dentist appointment on Thursday at 14:30”"
    assert view.detail.text.text() == NOTES[2]
    qtbot.keyClick(view.list, Qt.Key.Key_Z, CTRL)  # nothing left to undo
    assert status(window) == "Nothing to undo in Memories"


def test_several_selected_the_buttons_say_how_many_and_the_delete_key_deletes_them_all(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    detail = view.detail
    rows = texts(view)
    click_row(qtbot, view, rows[0])
    click_row(qtbot, view, rows[2], Qt.KeyboardModifier.ShiftModifier)
    assert sorted(m.text for m in view.selected_memories()) == sorted(NOTES)
    assert detail.delete_button.text() == "Delete 3" and detail.pin_button.text() == "Pin 3"
    assert detail.delete_button.isEnabled() and detail.pin_button.isEnabled()
    assert not detail.edit_button.isEnabled()  # one at a time
    assert detail.text.text().startswith("3 memories selected")

    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: texts(view) == [], timeout=5000)
    assert memories_of(window) == []  # the fact the first one stated went with it
    assert status(window) == "3 memories deleted"
    assert view.undo_bar.isVisible() and view.undo_bar.label.text() == "Deleted 3 memories."
    assert not detail.delete_button.isEnabled() and not detail.pin_button.isEnabled()

    qtbot.keyClick(view.list, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: sorted(texts(view)) == sorted(NOTES), timeout=5000)
    qtbot.waitUntil(lambda: len(view.selected_memories()) == 3, timeout=5000)  # selected again
    assert status(window) == "Undone: deleted 3 memories"
    assert not view.undo_bar.isVisible()
    assert {m.state for m in memories_of(window) if m.text in NOTES} == {"active"}


def test_pin_two_at_once_then_ctrl_z_unpins_them(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    click_row(qtbot, view, NOTES[0])
    click_row(qtbot, view, NOTES[2], CTRL)
    assert view.detail.pin_button.text() == "Pin 2"
    qtbot.mouseClick(view.detail.pin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail.pin_button.text() == "Unpin 2", timeout=5000)
    states = {m.text: m.state for m in memories_of(window) if m.kind == "note"}
    assert states[NOTES[0]] == states[NOTES[2]] == "pinned" and states[NOTES[1]] == "active"
    assert status(window) == "Pinned 2 memories"

    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: status(window) == "Undone: pinned 2 memories", timeout=5000)
    assert {m.state for m in memories_of(window) if m.kind == "note"} == {"active"}
    qtbot.waitUntil(lambda: view.detail.pin_button.text() == "Pin 2", timeout=5000)


def darkest(widget: QWidget) -> int:
    """The darkest grey of the widget as drawn (its text): a disabled button's is pale."""
    image = widget.grab().toImage()
    return min(qGray(image.pixel(x, y)) for x in range(image.width()) for y in range(image.height()))


def test_with_nothing_selected_the_buttons_are_disabled_and_look_it(qtbot, make_window):
    from ui.assets import style_sheet

    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(style_sheet())  # as the app draws them
    try:
        window = make_window(notes=NOTES)
        view = open_memories(qtbot, window)
        detail = view.detail
        buttons = (detail.edit_button, detail.pin_button, detail.delete_button)
        assert view.selected_memories() == []
        for button in buttons:
            assert button.isVisible() and not button.isEnabled(), button.text()
            assert darkest(button) > 140, f"{button.text()} does not look disabled"
        assert not detail.importance.isEnabled()

        select_text(qtbot, view, NOTES[0])
        for button in buttons:
            assert button.isEnabled() and darkest(button) < 120, button.text()
        view.list.clearSelection()
        assert [b.text() for b in buttons if b.isEnabled() or darkest(b) < 140] == []
    finally:
        app.setStyleSheet(before)


def test_f2_on_a_fact_says_why_it_is_not_edited_there(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    choose(qtbot, view.filters.kind, "Facts")
    listed(qtbot, view)
    assert view.rows() and all(m.kind == "fact" for m in view.rows())
    select_text(qtbot, view, view.rows()[0].text)
    assert not view.detail.edit_button.isEnabled()
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_F2)
    assert view.edit_dialog is None
    assert status(window).startswith("A fact follows the memories it came from")


def lived_in(clock):
    def setup(mnemo):
        mnemo.add_note("We had the garden party in late summer", at=datetime(2025, 8, 30, tzinfo=timezone.utc))
        for note in NOTES:
            mnemo.add_note(note)
        mnemo.capture.add_turn("I should water the tomatoes tonight", role="user", conversation_id="c1")
        mnemo.add_note("Grocery list from the old phone: eggs, flour", source="import:phone.json")
        mnemo.add_note("The build server restarts at midnight", source="agent:Claude Desktop")
        gone = mnemo.add_note("The old bike lock code was 1234").memory
        mnemo.delete(gone.id)
    return setup


def test_the_filters_narrow_the_list_and_it_says_how_many_of_how_many(qtbot, make_window, clock):
    window = make_window(setup=lived_in(clock))
    view = open_memories(qtbot, window)
    assert view.count_label.text() == "7 memories"  # the deleted one is not among them
    assert not view.filters.clear_button.isVisible()

    choose(qtbot, view.filters.kind, "Chat")
    listed(qtbot, view)
    assert texts(view) == ["I should water the tomatoes tonight"]
    assert view.count_label.text() == "1 of 7 memories"
    assert view.filters.clear_button.isVisible()

    choose(qtbot, view.filters.kind, "Notes")
    choose(qtbot, view.filters.source, "Typed by you")
    listed(qtbot, view)
    assert sorted(texts(view)) == sorted(NOTES + ["We had the garden party in late summer"])
    choose(qtbot, view.filters.date, "This year")
    listed(qtbot, view)
    assert sorted(texts(view)) == sorted(NOTES) and view.count_label.text() == "3 of 7 memories"
    choose(qtbot, view.filters.source, "Imported")
    listed(qtbot, view)
    assert texts(view) == ["Grocery list from the old phone: eggs, flour"]
    choose(qtbot, view.filters.source, "Other programs")
    listed(qtbot, view)
    assert texts(view) == ["The build server restarts at midnight"]

    qtbot.mouseClick(view.filters.clear_button, Qt.MouseButton.LeftButton)  # all of them again
    listed(qtbot, view)
    assert view.count_label.text() == "7 memories" and view.filters.kind.currentText() == "All memories"

    view.search.setFocus()  # the search and the filters combine
    qtbot.keyClicks(view.search, "garden party")
    qtbot.waitUntil(lambda: "match" in view.count_label.text() and not view.listing, timeout=5000)
    found = texts(view)
    assert found[0] == "We had the garden party in late summer"
    choose(qtbot, view.filters.date, "Last 30 days")
    listed(qtbot, view)
    assert texts(view) == found[1:]
    assert view.count_label.text() == (f"{len(found) - 1} of {len(found)} matches" if len(found) > 1
                                       else "No memory matches.")


def test_the_deleted_are_listed_under_their_state_and_restore_brings_them_back(qtbot, make_window, clock):
    window = make_window(setup=lived_in(clock))
    view = open_memories(qtbot, window)
    choose(qtbot, view.filters.state, "Deleted")
    listed(qtbot, view)
    assert texts(view) == ["The old bike lock code was 1234"]
    assert view.count_label.text() == "1 deleted memory"
    memory = select_text(qtbot, view, "The old bike lock code was 1234")
    detail = view.detail
    assert not detail.delete_button.isEnabled() and not detail.pin_button.isEnabled()
    assert detail.restore_button.isVisible() and detail.restore_button.isEnabled()
    qtbot.mouseClick(detail.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored(window, memory.id).state == "active", timeout=5000)
    qtbot.waitUntil(lambda: texts(view) == [], timeout=5000)
    assert view.count_label.text() == "No deleted memories."

    choose(qtbot, view.filters.state, "Pinned")
    listed(qtbot, view)
    assert texts(view) == []
    choose(qtbot, view.filters.state, "Active")
    listed(qtbot, view)
    assert "The old bike lock code was 1234" in texts(view)


def test_every_control_in_the_tab_has_an_accessible_name(qtbot, make_window):
    window = make_window(notes=NOTES)
    view = open_memories(qtbot, window)
    select_text(qtbot, view, NOTES[0])
    view.detail.edit_button.click()
    controls = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView, QPlainTextEdit)

    def inner(widget: QWidget) -> bool:  # the parts Qt builds inside a combo box or a line edit
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, (QComboBox, QLineEdit)):
                return True
            parent = parent.parentWidget()
        return False

    found = [w for root in (view, view.edit_dialog) for w in root.findChildren(QWidget)
             if isinstance(w, controls) and not inner(w)]
    assert len(found) >= 12
    assert [w.objectName() or type(w).__name__ for w in found if not w.accessibleName()] == []
