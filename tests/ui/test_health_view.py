"""The Memory health view: memories fade with the clock, a sweep forgets them, Restore brings
them back, Purge asks first, Pin and Unpin, the forgetting curve of the selected memory and
the explanation of the policy in force."""
from __future__ import annotations

import math
import threading

from PySide6.QtCore import Qt

from core.memory.decay import DecayPolicy
from ui.display import when_text
from ui.health_view import FADING_TAB, FORGOTTEN_TAB, PINNED_TAB, REVIEW_TAB
from ui.main_window import HEALTH_TAB

from .helpers import click, click_row, click_tab, memories_of

KEY = "The spare key is in the blue flowerpot"
SISTER = "My sister Anna lives in Lisbon"


def strength_of(window, text: str) -> float:
    """The note's strength in days (set from its importance when it was captured); not the
    fact it states, which can have the same text."""
    return next(m.strength for m in memories_of(window) if m.text == text and m.kind != "fact")


def open_health(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == HEALTH_TAB
    view = window.health
    qtbot.waitUntil(lambda: view.loaded, timeout=5000)
    return view


def texts(panel) -> list[str]:
    return [m.text for m in panel.rows()]


def state_of(window, text: str) -> str | None:
    return next((m.state for m in memories_of(window) if m.text == text and m.kind != "fact"), None)


def sweep(qtbot, view) -> None:
    click(qtbot, view.sweep_button)
    qtbot.waitUntil(lambda: view.sweep_button.isEnabled(), timeout=5000)


def test_a_note_left_alone_for_weeks_is_forgotten_and_restore_brings_it_back(qtbot, make_window, clock):
    window = make_window(notes=[KEY])
    view = open_health(qtbot, window)
    assert texts(view.fading) == [KEY]
    assert view.lists.tabText(FORGOTTEN_TAB) == "Forgotten (0)"
    click_tab(qtbot, view.lists, FORGOTTEN_TAB)
    assert "Nothing is forgotten" in view.forgotten.empty.text() and view.forgotten.empty.isVisible()

    strength = strength_of(window, KEY)
    clock.advance(days=strength * 2.4)  # retention exp(-2.4) = 9%: below the 10% forgetting line
    sweep(qtbot, view)
    qtbot.waitUntil(lambda: texts(view.forgotten) == [KEY], timeout=5000)
    assert view.forgotten.list.isVisible() and not view.forgotten.empty.isVisible()
    assert texts(view.fading) == []
    assert view.lists.tabText(FORGOTTEN_TAB) == "Forgotten (1)"
    assert state_of(window, KEY) == "forgotten"
    assert window.statusBar().currentMessage() == "Decay sweep: checked 1 memory: 1 forgotten."
    assert "1 forgotten" in view.summary_label.text()

    click_row(qtbot, view.forgotten.list, 0)
    memory = view.forgotten.current_memory()
    qtbot.waitUntil(lambda: view.caption.text().startswith("Kept 9% now: forgotten"), timeout=5000)
    assert view.chart.points == window.bridge.mnemo.retention_curve(memory.id)

    click(qtbot, view.forgotten.buttons["Restore"])
    qtbot.waitUntil(lambda: texts(view.forgotten) == [], timeout=5000)
    assert state_of(window, KEY) == "active"
    assert view.fading.row_texts() == [f"{KEY}\nkept 100% · forgotten in {round(strength * math.log(10))} days"]
    # The curve shown restarts at full strength now (the restore is a reset).
    qtbot.waitUntil(lambda: view.caption.text().startswith(f"Kept 100% now. Fading in {round(strength * math.log(2))} "
                                                           "days"), timeout=5000)
    assert view.chart.points == window.bridge.mnemo.retention_curve(memory.id)
    assert window.statusBar().currentMessage() == f"Restored: “{KEY}”"


def test_purge_asks_first_and_cancel_keeps_the_memory(qtbot, make_window, clock):
    window = make_window(notes=[KEY, SISTER])
    view = open_health(qtbot, window)
    clock.advance(days=3 * max(strength_of(window, KEY), strength_of(window, SISTER)))
    sweep(qtbot, view)
    qtbot.waitUntil(lambda: sorted(texts(view.forgotten)) == sorted([KEY, SISTER]), timeout=5000)
    click_tab(qtbot, view.lists, FORGOTTEN_TAB)
    click_row(qtbot, view.forgotten.list, texts(view.forgotten).index(KEY))

    click(qtbot, view.forgotten.buttons["Purge…"])
    box = view.confirm_box
    assert box is not None and box.isVisible()
    assert "cannot be undone" in box.text() and KEY in box.text()
    assert box.defaultButton() is box.cancel_button
    click(qtbot, box.cancel_button)
    qtbot.waitUntil(lambda: view.confirm_box is None, timeout=2000)
    assert KEY in texts(view.forgotten)
    assert state_of(window, KEY) == "forgotten"

    click(qtbot, view.forgotten.buttons["Purge…"])
    click(qtbot, view.confirm_box.purge_button)
    qtbot.waitUntil(lambda: texts(view.forgotten) == [SISTER], timeout=5000)
    assert state_of(window, KEY) is None  # gone for good
    assert state_of(window, SISTER) == "forgotten"
    assert window.statusBar().currentMessage() == f"Purged: “{KEY}”"
    qtbot.waitUntil(lambda: view.chart.points == [] and "purged" in view.chart.message, timeout=5000)


def test_fading_soon_shows_retention_and_time_left_and_pinning_stops_the_fade(qtbot, make_window, clock):
    def setup(mnemo):
        mnemo.add_note(KEY)
        clock.advance(days=5)
        mnemo.add_note(SISTER)

    window = make_window(setup=setup)
    view = open_health(qtbot, window)
    key_strength, sister_strength = strength_of(window, KEY), strength_of(window, SISTER)
    kept = math.exp(-5 / key_strength)
    left = key_strength * math.log(10) - 5
    assert left < sister_strength * math.log(10)
    assert view.fading.row_texts() == [
        f"{KEY}\nkept {round(kept * 100)}% · forgotten in {round(left)} days",  # soonest first
        f"{SISTER}\nkept 100% · forgotten in {round(sister_strength * math.log(10))} days",
    ]
    # The memory that will be forgotten soonest is shown first, with its curve.
    assert view.fading.current_memory().text == KEY
    to_fading = key_strength * math.log(2) - 5
    qtbot.waitUntil(lambda: bool(view.chart.points), timeout=5000)
    assert view.caption.text() == (f"Kept {round(kept * 100)}% now. Fading in {round(to_fading)} days, forgotten in "
                                   f"{round(left)} days unless it is used in an answer.")

    click(qtbot, view.fading.buttons["Pin"])
    qtbot.waitUntil(lambda: texts(view.pinned) == [KEY], timeout=5000)
    assert texts(view.fading) == [SISTER]
    assert view.lists.tabText(PINNED_TAB) == "Pinned (1)"
    assert view.pinned.row_texts()[0].startswith(f"{KEY}\npinned, never fades")

    click_tab(qtbot, view.lists, PINNED_TAB)
    click_row(qtbot, view.pinned.list, 0)
    qtbot.waitUntil(lambda: view.caption.text().startswith("Pinned: it never fades"), timeout=5000)
    assert {r for _t, r in view.chart.points} == {1.0}  # a flat line at 100%

    click(qtbot, view.pinned.buttons["Unpin"])
    qtbot.waitUntil(lambda: texts(view.pinned) == [], timeout=5000)
    assert texts(view.fading) == [KEY, SISTER]
    assert state_of(window, KEY) == "active"


def test_the_view_follows_background_upkeep(qtbot, make_window, clock):
    """The scheduler runs the sweep on its own thread and reports through bridge.job_finished."""
    window = make_window(notes=[KEY])
    view = open_health(qtbot, window)
    clock.advance(days=strength_of(window, KEY) * 2.4)

    def scheduler_thread():
        window.bridge.job_finished(window.bridge.mnemo.run_job("decay"))

    worker = threading.Thread(target=scheduler_thread)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: texts(view.forgotten) == [KEY], timeout=5000)
    assert f"Last decay sweep: {when_text(clock.now().timestamp())}" in view.summary_label.text()


def test_the_explanation_uses_the_policy_in_force(qtbot, make_window):
    policy = DecayPolicy(min_strength_days=2, max_strength_days=30, recall_growth=3, fading_below=0.6,
                         forget_below=0.2)
    window = make_window(notes=[KEY], policy=policy)
    view = open_health(qtbot, window)
    text = view.policy_label.text()
    assert "strength of 2 to 30 days" in text
    assert "up to 3 times as strong if it had almost faded" in text
    assert "Below 60% a memory is fading; below 20% it is forgotten" in text
    assert view.policy_label.isVisible()


def test_the_default_policy_reads_plainly(qtbot, make_window):
    window = make_window(notes=[KEY])
    view = open_health(qtbot, window)
    text = view.policy_label.text()
    assert "strength of 1 to 730 days" in text
    assert "up to twice as strong if it had almost faded" in text
    assert "Below 50% a memory is fading; below 10% it is forgotten" in text


def test_memories_about_to_be_forgotten_are_offered_for_review_and_keep_all_keeps_them(qtbot, make_window, clock):
    window = make_window(notes=[KEY, SISTER])
    view = open_health(qtbot, window)
    assert view.lists.currentIndex() == FADING_TAB  # nothing to review yet: the fading list first
    assert view.lists.tabText(REVIEW_TAB) == "To review (0)" and not view.keep_all_button.isEnabled()
    strength = min(strength_of(window, KEY), strength_of(window, SISTER))
    clock.advance(days=strength * math.log(10) - 2)  # two days before the weaker one is forgotten
    sweep(qtbot, view)
    qtbot.waitUntil(lambda: view.lists.tabText(REVIEW_TAB).startswith("To review (1"), timeout=5000)
    notice = window.statusBar().currentMessage()
    assert "will be forgotten this week" in notice and "To review" in notice  # also a desktop notification
    click_tab(qtbot, view.lists, REVIEW_TAB)
    assert "forgotten in 2 days" in view.review.row_texts()[0]
    before = {m.id: m.strength for m in memories_of(window)}
    click(qtbot, view.keep_all_button)
    qtbot.waitUntil(lambda: view.lists.tabText(REVIEW_TAB) == "To review (0)", timeout=5000)
    assert "Nothing of importance will be forgotten this week" in view.review.empty.text()
    assert any(m.strength > before[m.id] for m in memories_of(window))


def test_keep_keeps_only_the_selected_memory_stronger_with_its_clock_restarted(qtbot, make_window, clock):
    def setup(mnemo):
        for text in (KEY, SISTER):  # the same importance: both are due at the same time
            mnemo.set_importance(next(m.id for m in mnemo.memories() if m.text == text and m.kind == "note"), 0.85)

    window = make_window(notes=[KEY, SISTER], setup=setup)
    view = open_health(qtbot, window)
    notes = lambda: {m.text: m for m in memories_of(window) if m.kind == "note"}
    strength = notes()[KEY].strength
    assert strength == notes()[SISTER].strength
    clock.advance(days=strength * math.log(10) - 2)
    sweep(qtbot, view)
    qtbot.waitUntil(lambda: view.lists.tabText(REVIEW_TAB) == "To review (2)", timeout=5000)
    click_tab(qtbot, view.lists, REVIEW_TAB)
    assert sorted(texts(view.review)) == sorted([KEY, SISTER])

    row = texts(view.review).index(SISTER)
    click_row(qtbot, view.review.list, row)
    assert view.review.current_memory().text == SISTER and view.review.buttons["Keep"].isEnabled()
    before = notes()
    click(qtbot, view.review.buttons["Keep"])
    qtbot.waitUntil(lambda: texts(view.review) == [KEY], timeout=5000)
    assert view.lists.tabText(REVIEW_TAB) == "To review (1)"
    after = notes()
    assert after[SISTER].strength > before[SISTER].strength  # stronger...
    assert after[SISTER].reinforced_at == clock.now().timestamp()  # ...and its forgetting clock restarted
    assert after[SISTER].state == "active"
    assert after[KEY].strength == before[KEY].strength and after[KEY].reinforced_at == before[KEY].reinforced_at
    assert window.statusBar().currentMessage() == f"Kept: “{SISTER}”"
    assert any(f"{SISTER}\nkept 100%" in t for t in view.fading.row_texts())  # a fresh curve
