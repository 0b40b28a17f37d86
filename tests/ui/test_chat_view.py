"""The chat as a person uses it: type, press Enter, watch the answer stream in, see which
memories it used, stop it, and find the exchange remembered afterwards."""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt

from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel
from ui.chat_exchange import STOPPED, WAITING

from .helpers import ask, memories_of, wait_answered

NOTE = "My sister Anna lives in Lisbon"
LONG_REPLY = " ".join(f"word{i}" for i in range(60))


def reads_notes(mnemo) -> None:
    """Answers are the model's own (as with a 1B+ model), checked against the notes."""
    mnemo.answers.capable = lambda: True


def test_answer_streams_in_lists_the_memory_used_and_is_remembered(qtbot, make_window):
    window = make_window(model=ScriptedModel("Your sister Anna lives in Lisbon, Anna says.", delay=0.08),
                         notes=[NOTE, "The spare key is in the blue flowerpot"], setup=reads_notes)
    ask(qtbot, window, "Where does my sister live?")

    exchange = window.chat.exchanges[-1]
    assert exchange.question == "Where does my sister live?"
    assert window.chat.input.toPlainText() == ""  # the box is cleared for the next question
    # Part of the answer is on screen while the model is still writing.
    qtbot.waitUntil(lambda: bool(exchange.answer_text()) and not exchange.finished, timeout=5000)
    partial = exchange.answer_text()
    assert "says" not in partial
    assert not window.chat.send_button.isEnabled()

    exchange = wait_answered(qtbot, window)
    assert exchange.answer_text() == "Your sister Anna lives in Lisbon, Anna says."
    assert window.chat.send_button.isEnabled() and not window.chat.stop_button.isEnabled()

    memories = exchange.memories
    assert memories.toggle.isVisible()
    assert memories.toggle.text() == "Memories used (1) ▸"
    assert not memories.panel.isVisible()
    qtbot.mouseClick(memories.toggle, Qt.MouseButton.LeftButton)
    assert memories.toggle.text() == "Memories used (1) ▾"
    assert memories.panel.isVisible()
    assert memories.texts() == [NOTE]
    shown = [label.text() for label in memories.panel.findChildren(type(exchange.answer_label))]
    assert NOTE in shown
    assert any("2026-05-01" in text and "sister" in text for text in shown)  # date and reason

    turns = [m for m in memories_of(window) if m.kind == "turn"]
    assert {(m.role, m.text) for m in turns} == {
        ("user", "Where does my sister live?"),
        ("assistant", "Your sister Anna lives in Lisbon, Anna says."),
    }
    assert {m.conversation_id for m in turns} == {"test-chat"}


def test_the_captured_exchange_appears_in_the_memories_view(qtbot, make_window):
    window = make_window(model=ScriptedModel("Anna lives in Lisbon."), notes=[NOTE])
    ask(qtbot, window, "Where does my sister live?")
    wait_answered(qtbot, window)
    qtbot.waitUntil(lambda: "Where does my sister live?" in [m.text for m in window.memories.rows()],
                    timeout=5000)


def test_shift_enter_starts_a_new_line_and_does_not_send(qtbot, make_window):
    window = make_window(notes=[NOTE])
    box = window.chat.input
    qtbot.keyClicks(box, "first line")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "second line")
    assert box.toPlainText() == "first line\nsecond line"
    assert window.chat.exchanges == []
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.chat.exchanges[-1].question == "first line\nsecond line"
    wait_answered(qtbot, window)


def test_empty_question_is_not_sent(qtbot, make_window):
    window = make_window()
    qtbot.keyClicks(window.chat.input, "   ")
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Return)
    assert window.chat.exchanges == []


def test_stop_cancels_the_answer_and_the_window_stays_responsive(qtbot, make_window):
    model = ScriptedModel(LONG_REPLY, delay=0.1)
    window = make_window(model=model, notes=[NOTE], setup=reads_notes)
    ask(qtbot, window, "Where does my sister live?")
    exchange = window.chat.exchanges[-1]
    qtbot.waitUntil(lambda: exchange.answer_text().startswith("word0"), timeout=5000)

    # While the model writes, the GUI thread keeps handling input.
    qtbot.keyClicks(window.chat.input, "next question")
    assert window.chat.input.toPlainText() == "next question"
    assert window.chat.stop_button.isEnabled()

    with qtbot.waitSignal(window.chat.answer_finished, timeout=5000) as finished:
        qtbot.mouseClick(window.chat.stop_button, Qt.MouseButton.LeftButton)
        # Stopping takes effect at once, before the worker has even noticed.
        assert exchange.stopped
        assert exchange.state_text() == STOPPED
        assert window.chat.send_button.isEnabled()
        assert not window.chat.stop_button.isEnabled()
    answer = finished.args[0]
    assert answer.cancelled  # the model was told to stop (threading.Event), not just ignored
    assert len(answer.text.split()) < 60
    shown = exchange.answer_text()
    qtbot.wait(400)
    assert exchange.answer_text() == shown  # nothing more streams into a stopped answer
    assert exchange.memories.texts() == [NOTE]

    # The next question is answered normally.
    model.reply, model.delay = "Lisbon.", 0.0
    window.chat.input.clear()
    ask(qtbot, window, "And my sister?")
    assert wait_answered(qtbot, window).answer_text() == "Lisbon."


def test_escape_in_the_chat_stops_the_answer(qtbot, make_window):
    window = make_window(model=ScriptedModel(LONG_REPLY, delay=0.1), notes=[NOTE], setup=reads_notes)
    ask(qtbot, window, "Tell me everything about my sister")
    exchange = window.chat.exchanges[-1]
    qtbot.waitUntil(lambda: bool(exchange.answer_text()), timeout=5000)
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Escape)
    assert exchange.stopped
    assert window.chat.send_button.isEnabled()


def test_a_question_asked_while_loading_waits_then_is_answered(qtbot, make_window, tmp_path, clock):
    opened = threading.Event()

    def slow_open():
        opened.wait(10)
        mnemo = Mnemo(tmp_path / "slow", clock, HashEmbedder(), ScriptedModel("Anna lives in Lisbon."))
        mnemo.add_note(NOTE)
        return mnemo

    window = make_window(factory=slow_open, wait=False)
    assert window.state_label.text() == "Opening memory…"
    assert window.chat.send_button.isEnabled()  # questions are accepted and queued
    ask(qtbot, window, "Where does my sister live?")
    exchange = window.chat.exchanges[-1]
    assert exchange.state_text() == WAITING
    time.sleep(0.2)
    qtbot.wait(50)
    assert not exchange.finished
    opened.set()
    assert wait_answered(qtbot, window).answer_text() == "Anna lives in Lisbon."
    assert exchange.memories.texts() == [NOTE]


def test_each_memory_used_says_how_well_it_was_still_remembered(qtbot, make_window, clock):
    key = "The spare key is in the blue flowerpot"

    def setup(mnemo):
        mnemo.add_note(key)
        mnemo.pin(mnemo.add_note("My sister Anna has a blue bicycle").memory.id)

    window = make_window(model=ScriptedModel("In the blue flowerpot."), setup=setup)
    strength = next(m.strength for m in window.bridge.mnemo.memories() if m.text == key)
    clock.advance(days=strength * 0.27)  # a note keeps exp(-0.27) = 76% after 0.27 of its strength in days
    ask(qtbot, window, "Where is the blue key?")
    exchange = wait_answered(qtbot, window)
    qtbot.mouseClick(exchange.memories.toggle, Qt.MouseButton.LeftButton)
    metas = {hit.memory.text: label.text()
             for hit, label in zip(exchange.memories.hits,
                                   exchange.memories.panel.findChildren(type(exchange.answer_label), "hitMeta"))}
    assert " · note · kept 76% · " in metas[key]
    assert " · note · pinned, never fades · " in metas["My sister Anna has a blue bicycle"]


def test_the_answer_cites_the_memory_it_comes_from_and_a_click_opens_it(qtbot, make_window):
    window = make_window(notes=[NOTE, "The spare key is in the blue flowerpot"])
    ask(qtbot, window, "Where does my sister live?")
    exchange = wait_answered(qtbot, window)
    assert exchange.answer_text().endswith(NOTE)  # the note's own sentence, with its date
    citations = exchange.citations
    assert citations.isVisible() and len(citations.buttons) == 1 and NOTE in citations.texts()[0]
    qtbot.mouseClick(citations.buttons[0], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.memories
    qtbot.waitUntil(lambda: window.memories.detail.memory is not None
                    and window.memories.detail.memory.text == NOTE, timeout=5000)


def test_an_answer_from_no_memory_cites_nothing(qtbot, make_window):
    window = make_window(notes=[NOTE])
    ask(qtbot, window, "quantum chromodynamics lecture")
    exchange = wait_answered(qtbot, window)
    assert exchange.answer_text() == "I don't have anything about that in your memory."
    assert not exchange.citations.isVisible() and exchange.citations.buttons == []
