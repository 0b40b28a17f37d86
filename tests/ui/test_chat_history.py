"""Living with answers, as a person uses the chat: the conversation is there again after a
restart and older ones are listed; New Chat; Copy; Regenerate; "This Is Wrong…" (the typed
correction becomes the user's own note and Mnemo answers from it next time)."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from .helpers import ask, click, memories_of, wait_answered

NOTE = "The plumber's name is Kowalski."


def test_the_last_conversation_is_shown_again_after_a_restart_and_older_ones_are_listed(qtbot, make_window,
                                                                                      tmp_path, clock):
    data = tmp_path / "memory"
    first = make_window(notes=[NOTE], data_dir=data, conversation_id="gui-first")
    ask(qtbot, first, "What is the plumber's name?")
    said = wait_answered(qtbot, first).answer_text()
    first.bridge.shutdown()
    clock.advance(days=1)

    again = make_window(data_dir=data, conversation_id="gui-second")
    qtbot.waitUntil(lambda: len(again.chat.exchanges) == 1, timeout=10_000)
    shown = again.chat.exchanges[0]
    assert shown.question == "What is the plumber's name?" and shown.answer_text() == said
    assert again.chat.conversation_id == "gui-first"  # the next question continues it
    assert again.chat.history.ids == ["gui-first"]

    click(qtbot, again.chat.history.new_button)  # New Chat: empty, and a new conversation
    assert again.chat.exchanges == [] and again.chat.conversation_id != "gui-first"
    ask(qtbot, again, "Who won the match?")
    wait_answered(qtbot, again)
    qtbot.waitUntil(lambda: len(again.chat.history.ids) == 2, timeout=5000)
    assert again.chat.history.ids[1] == "gui-first"
    again.chat.history.list.setCurrentRow(1)
    again.chat.history.list.itemClicked.emit(again.chat.history.list.item(1))  # open the older one
    qtbot.waitUntil(lambda: again.chat.conversation_id == "gui-first" and len(again.chat.exchanges) == 1,
                    timeout=5000)
    assert again.chat.exchanges[0].answer_text() == said


def test_copy_puts_the_answer_on_the_clipboard_and_regenerate_answers_again(qtbot, make_window):
    window = make_window(notes=[NOTE])
    ask(qtbot, window, "What is the plumber's name?")
    exchange = wait_answered(qtbot, window)
    assert exchange.actions.isVisible() and "quoted from your memory" in exchange.actions.meta.text() \
        or "put in words by" in exchange.actions.meta.text()
    click(qtbot, exchange.actions.copy_button)
    assert QGuiApplication.clipboard().text() == exchange.answer_text()

    click(qtbot, exchange.actions.regenerate_button)
    qtbot.waitUntil(lambda: exchange.finished and not window.chat.busy, timeout=10_000)
    assert "Kowalski" in exchange.answer_text()
    turns = [m for m in memories_of(window) if m.kind == "turn"]
    assert sum(m.role == "user" for m in turns) == 1 and sum(m.role == "assistant" for m in turns) == 2


def test_this_is_wrong_saves_the_correction_as_a_note_that_answers_next_time(qtbot, make_window):
    window = make_window(notes=[NOTE])
    ask(qtbot, window, "What is the plumber's name?")
    exchange = wait_answered(qtbot, window)
    click(qtbot, exchange.actions.wrong_button)
    dialog = window.chat.correction_dialog
    qtbot.keyClicks(dialog.text, "The plumber's name is Nowak.")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: exchange.actions.wrong_button.text() == "Corrected", timeout=5000)
    notes = {m.text: m for m in memories_of(window) if m.kind == "note"}
    assert notes["The plumber's name is Nowak."].source == "user"
    assert notes[NOTE].valid_until is not None  # the quoted note it replaced, kept with its dates
    assert "Saved your correction" in window.chat.infos[-1].text()

    ask(qtbot, window, "What is the plumber's name?")
    assert "Nowak" in wait_answered(qtbot, window).answer_text()


def test_an_empty_correction_cannot_be_saved(qtbot, make_window):
    window = make_window(notes=[NOTE])
    ask(qtbot, window, "What is the plumber's name?")
    exchange = wait_answered(qtbot, window)
    dialog = window.chat.correct(exchange)
    from PySide6.QtWidgets import QDialogButtonBox

    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    qtbot.keyClicks(dialog.text, "   ")
    assert not save.isEnabled()
    dialog.reject()
