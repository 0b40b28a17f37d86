"""One count everywhere: the Memories tab, Memory Health and `mnemo stats` agree on how many
memories (and, apart, facts) there are."""
from __future__ import annotations


def test_the_memories_tab_health_and_stats_give_the_same_count(qtbot, make_window):
    notes = ["My sister Anna lives in Lisbon.", "Buy oat milk", "The plumber's name is Kowalski.", "Call the bank"]

    def setup(mnemo):
        doomed = [m for m in mnemo.memories() if m.text == "Call the bank"][0]
        mnemo.delete(doomed.id)  # a deleted memory is counted nowhere

    window = make_window(notes=notes, setup=setup)
    stats = window.bridge.mnemo.stats()
    assert stats["memories"] == 3 and stats["facts"] >= 2
    window.show_tab(1)
    qtbot.waitUntil(lambda: window.memories.count_label.text() == "3 memories", timeout=5000)
    window.show_tab(3)
    qtbot.waitUntil(lambda: window.health.summary_label.text().startswith(
        f"3 memories and {stats['facts']} facts."), timeout=5000)
