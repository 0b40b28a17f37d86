"""The Summaries view: day summaries on a timeline (newest first) with the memories each was
made from, the overview, and the portrait, which the user corrects and which keeps the
correction when it is regenerated. Writing runs in the background with a visible busy state."""
from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from core.days import day_of, long_day
from tests.fakes import HashEmbedder
from ui.main_window import SUMMARIES_TAB

from .helpers import click, click_row, memories_of

HIKING = "I love hiking in the mountains"
SISTER = "My sister Anna lives in Lisbon"
DENTIST = "Dentist appointment on Thursday at 14:30"


class HeldEmbedder(HashEmbedder):
    """Holds the writing of a summary or portrait (whose text starts with `prefix`) until
    released, so the test can look at the screen while Mnemo is still writing."""

    def __init__(self):
        super().__init__()
        self.prefix = None
        self.release = threading.Event()
        self.broken = None  # texts starting with this fail to embed

    def hold(self, prefix: str) -> None:
        self.release.clear()
        self.prefix = prefix

    def embed(self, texts):
        if self.prefix and any(t.startswith(self.prefix) for t in texts):
            self.release.wait(10)
        if self.broken and any(t.startswith(self.broken) for t in texts):
            raise OSError("No space left on device")
        return super().embed(texts)


def open_summaries(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == SUMMARIES_TAB
    view = window.summaries
    qtbot.waitUntil(lambda: view.loaded, timeout=5000)
    return view


def two_days(clock):
    """Two notes on one day, one on the next; then it is the day after."""
    def setup(mnemo):
        mnemo.add_note(HIKING)
        mnemo.add_note(SISTER)
        clock.advance(days=1)
        mnemo.add_note(DENTIST)
        clock.advance(days=1)
    return setup


def day_title(clock, days_ago: int, count: str) -> str:
    return f"{long_day(day_of(clock.now().timestamp() - days_ago * 86_400))} · {count}"


def test_day_summaries_appear_newest_first_with_what_they_were_made_from(qtbot, make_window, clock):
    embedder = HeldEmbedder()
    window = make_window(setup=two_days(clock), embedder=embedder)
    view = open_summaries(qtbot, window)
    assert view.day_texts() == []
    assert view.days_empty.isVisible() and "after it ends" in view.days_empty.text()

    embedder.hold("Day summary")
    click(qtbot, view.days_button)
    # While Mnemo writes: the button says so and cannot be pressed twice; a busy bar moves.
    assert not view.days_button.isEnabled() and view.days_button.text() == "Summarizing…"
    assert view.days_card.busy.isVisible()
    embedder.release.set()
    qtbot.waitUntil(lambda: len(view.day_texts()) == 2, timeout=5000)
    qtbot.waitUntil(lambda: view.days_button.isEnabled(), timeout=5000)
    assert view.days_button.text() == "Summarize past days" and not view.days_card.busy.isVisible()
    assert window.statusBar().currentMessage() == "Day summaries: 2 day summaries written."

    newest, older = view.day_texts()
    assert newest.split("\n") == [day_title(clock, 1, "1 memory"), DENTIST]
    assert older.split("\n")[0] == day_title(clock, 2, "2 memories")
    assert set(older.split("\n")[1:]) == {HIKING, SISTER}

    # The newest day is selected and lists what it was made from; another day, its own.
    qtbot.waitUntil(lambda: [m.text for m in view.linked.rows()] == [DENTIST], timeout=5000)
    click_row(qtbot, view.days, 1)
    qtbot.waitUntil(lambda: sorted(m.text for m in view.linked.rows()) == sorted([HIKING, SISTER]), timeout=5000)
    assert view.linked_card.title.text() == "Made from 2 memories"


def test_the_overview_is_regenerated_from_the_days(qtbot, make_window, clock):
    def setup(mnemo):
        two_days(clock)(mnemo)
        mnemo.summarize()

    window = make_window(setup=setup)
    view = open_summaries(qtbot, window)
    assert len(view.day_texts()) == 2
    assert view.overview.empty.isVisible() and not view.overview.text.isVisible()

    click(qtbot, view.overview.regenerate_button)
    qtbot.waitUntil(lambda: view.overview.text.isVisible(), timeout=5000)
    assert view.overview.span.text().endswith("· 2 days with activity")
    assert DENTIST in view.overview.text.text()
    assert window.statusBar().currentMessage() == "Overview: overview rewritten."


def test_a_corrected_portrait_keeps_the_correction_when_regenerated(qtbot, make_window, clock):
    embedder = HeldEmbedder()
    window = make_window(notes=[HIKING, SISTER], embedder=embedder, setup=lambda m: m.refresh_portrait())
    view = open_summaries(qtbot, window)
    card = view.portrait
    assert card.text.text() == "Likes: hiking in the mountains\nPeople: My sister Anna lives in Lisbon"

    click(qtbot, card.edit_button)
    assert card.editor.isVisible() and card.editor.hasFocus()
    assert card.editor.toPlainText() == card.text.text()
    assert card.save_button.isVisible() and not card.edit_button.isVisible()
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "Likes: chess")
    qtbot.keyClick(card.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(card.editor, "People: My sister Anna lives in Lisbon")
    qtbot.keyClick(card.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    qtbot.waitUntil(lambda: not card.editing, timeout=5000)
    assert card.text.text() == "Likes: chess\nPeople: My sister Anna lives in Lisbon"
    assert window.statusBar().currentMessage().startswith("Portrait corrected.")

    # Something new to learn, then Regenerate: the new like comes in, the correction stays.
    window.open_quick_capture()
    qtbot.keyClicks(window.quick_capture.input, "I enjoy swimming in the lake")
    with qtbot.waitSignal(window.quick_capture.saved, timeout=5000):
        qtbot.keyClick(window.quick_capture.input, Qt.Key.Key_Return)
    embedder.hold("Portrait")
    click(qtbot, card.regenerate_button)
    assert not card.regenerate_button.isEnabled() and card.regenerate_button.text() == "Writing…"
    assert card.busy.isVisible() and not card.edit_button.isEnabled()
    embedder.release.set()
    qtbot.waitUntil(lambda: "swimming" in card.text.text(), timeout=5000)
    assert card.text.text() == "Likes: swimming in the lake; chess\nPeople: My sister Anna lives in Lisbon"
    qtbot.waitUntil(lambda: card.regenerate_button.isEnabled(), timeout=5000)
    assert window.statusBar().currentMessage() == "Portrait: portrait rewritten."
    assert "hiking" not in window.bridge.mnemo.portrait().text


def test_cancelling_an_edit_changes_nothing(qtbot, make_window, monkeypatch):
    window = make_window(notes=[HIKING], setup=lambda m: m.refresh_portrait())
    view = open_summaries(qtbot, window)
    card = view.portrait
    saves = []
    monkeypatch.setattr(window.bridge, "correct_portrait", lambda *args: saves.append(args))
    click(qtbot, card.edit_button)
    qtbot.keyClicks(card.editor, "Likes: nothing at all")
    qtbot.keyClick(card.editor, Qt.Key.Key_Escape)
    assert not card.editing and card.text.isVisible()
    assert card.text.text() == "Likes: hiking in the mountains"
    assert saves == []

    click(qtbot, card.edit_button)  # the editor starts from the portrait again, not the dropped text
    assert card.editor.toPlainText() == "Likes: hiking in the mountains"
    click(qtbot, card.cancel_button)
    assert not card.editing


def test_the_view_follows_background_upkeep(qtbot, make_window, clock):
    window = make_window(setup=two_days(clock))
    view = open_summaries(qtbot, window)
    assert view.day_texts() == [] and view.portrait.empty.isVisible()

    def scheduler_thread():
        for result in window.bridge.mnemo.catch_up():
            window.bridge.job_finished(result)

    worker = threading.Thread(target=scheduler_thread)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(view.day_texts()) == 2 and view.overview.text.isVisible(), timeout=5000)
    assert "Likes: hiking in the mountains" in view.portrait.text.text()
    assert any(m.kind == "day_summary" for m in memories_of(window))


def test_when_writing_fails_the_user_is_told_and_can_try_again(qtbot, make_window):
    embedder = HeldEmbedder()
    window = make_window(notes=[HIKING], embedder=embedder)
    view = open_summaries(qtbot, window)
    card = view.portrait
    embedder.broken = "Portrait"
    with qtbot.waitSignal(window.bridge.maintenance_failed, timeout=5000):
        click(qtbot, card.regenerate_button)
    assert "No space left on device" in window.statusBar().currentMessage()
    assert card.regenerate_button.isEnabled() and card.regenerate_button.text() == "Regenerate"
    assert not card.busy.isVisible() and card.empty.isVisible()

    embedder.broken = None
    click(qtbot, card.regenerate_button)
    qtbot.waitUntil(lambda: card.text.text() == "Likes: hiking in the mountains", timeout=5000)
