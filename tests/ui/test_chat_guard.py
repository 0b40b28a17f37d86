"""The guard in the chat, through the real store and the real MiniLM embedder: an import that
contradicts what the user said is kept out of the answer and the answer says so; the lesson it
taught is consulted for the next question on the same theme."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.fakes import ScriptedModel
from ui.display import when_text

from .helpers import ask, wait_answered
from .test_guard_view import MADRID, SISTER, at, lisbon


def test_an_import_that_contradicts_the_user_is_kept_out_and_the_answer_says_so(qtbot, make_window, minilm):
    window = make_window(embedder=minilm, setup=lisbon)
    ask(qtbot, window, "Which city does my sister Anna live in?")
    exchange = wait_answered(qtbot, window)

    assert "Madrid" not in exchange.answer_text()
    assert MADRID not in exchange.memories.texts() and SISTER in exchange.memories.texts()
    guard = exchange.guard
    assert guard.kept_out.isVisible()
    line = guard.kept_out_line()
    assert line.startswith("Kept out 1 memory: It names Madrid") and "Lisbon" in line
    assert guard.kept_out.toggle.text() == "Kept out 1 memory ▸"
    assert guard.kept_out.line.isVisible() and "Lisbon" in guard.kept_out.line.text()
    assert not guard.kept_out.panel.isVisible()
    assert not guard.lessons.isVisible()  # no lesson had been learnt yet

    qtbot.mouseClick(guard.kept_out.toggle, Qt.MouseButton.LeftButton)
    assert guard.kept_out.toggle.text() == "Kept out 1 memory ▾"
    assert guard.kept_out.panel.isVisible()
    assert not guard.kept_out.line.isVisible()  # each row below says why
    shown = guard.kept_out.texts()
    assert shown == [MADRID]
    metas = [label.text() for label in guard.kept_out.panel.findChildren(type(guard.kept_out.line))
             if label.objectName() == "hitMeta"]
    imported = when_text(at("2026-02-05").timestamp())
    assert len(metas) == 1 and metas[0].startswith(f"import (chat.json) · {imported} · It names Madrid")

    # The next question on the same theme consults the lesson learnt from it.
    ask(qtbot, window, "Where is Anna living these days?")
    again = wait_answered(qtbot, window)
    assert again.guard.lessons.isVisible()
    assert again.guard.lessons.toggle.text() == "Lessons consulted (1) ▸"
    qtbot.mouseClick(again.guard.lessons.toggle, Qt.MouseButton.LeftButton)
    lessons = again.guard.lessons.texts()
    assert len(lessons) == 1 and "Madrid" in lessons[0] and lessons[0].startswith("When asked about")


def test_nothing_about_the_guard_shows_when_it_kept_nothing_out(qtbot, make_window, minilm):
    window = make_window(embedder=minilm, model=ScriptedModel("Anna lives in Lisbon."), notes=[SISTER])
    ask(qtbot, window, "Which city does my sister Anna live in?")
    exchange = wait_answered(qtbot, window)
    assert exchange.answer_text() == "Anna lives in Lisbon."
    assert not exchange.guard.kept_out.isVisible() and not exchange.guard.lessons.isVisible()
    assert exchange.guard.kept_out_line() == ""
