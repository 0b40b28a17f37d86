"""Memories ▸ Kind: Facts: the facts distilled from what was said, each with the memories it came
from (click one to open it) and, once a newer statement replaced it, how long it held."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ui.display import when_text

from .helpers import click_row
from .test_memories_view import open_memories, select_text, texts

LISBON = "My sister Anna lives in Lisbon"
LISBON_AGAIN = "Oh and my sister Anna lives in Lisbon, by the way."
PORTO = "My sister Anna moved to Porto"
KEY = "The spare key is in the blue flowerpot"


def show(qtbot, view, title: str) -> None:
    """Pick `title` in the Kind filter with the keyboard, like a person, and wait for the list."""
    box = view.filters.kind
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    while box.currentText() != title:
        before = box.currentIndex()
        qtbot.keyClick(box, Qt.Key.Key_Down)
        assert box.currentIndex() != before, f"no {title!r} in the Kind filter"
    assert view.showing() == box.currentData()
    qtbot.waitUntil(lambda: not view.listing, timeout=5000)


def told_twice_then_moved(clock, moved: bool = True):
    def setup(mnemo):
        mnemo.add_note(LISBON)
        clock.advance(days=2)
        mnemo.capture.add_turn(LISBON_AGAIN, role="user", conversation_id="c1")
        mnemo.add_note(KEY)
        if moved:
            clock.advance(days=30)
            mnemo.add_note(PORTO)
    return setup


def fact_rows(view) -> list:
    return [m for m in view.rows() if m.kind == "fact"]


def test_a_facts_detail_lists_the_memories_it_came_from_and_one_click_opens_it(qtbot, make_window, clock):
    window = make_window(setup=told_twice_then_moved(clock, moved=False))
    view = open_memories(qtbot, window)
    assert fact_rows(view) == []  # the memories themselves first

    show(qtbot, view, "Facts")
    facts = view.rows()
    assert facts and all(m.kind == "fact" for m in facts)
    assert view.count_label.text() == f"{len(facts)} fact{'s' if len(facts) != 1 else ''}"
    fact = next(m for m in facts if m.fact_key == "sister|lives in")
    select_text(qtbot, view, fact.text)

    detail = view.detail
    qtbot.waitUntil(lambda: len(detail.source_rows()) == 2, timeout=5000)
    assert detail.sources.isVisible()
    assert detail.fields["kind"].text() == "fact"
    assert detail.fields["sources"].text() == "2 memories that said it (click one to open it):"
    assert [m.text for m in detail.source_rows()] == [LISBON, LISBON_AGAIN]  # oldest first
    rows = [detail.sources.item(i).text() for i in range(detail.sources.count())]
    note, turn = detail.source_rows()
    assert rows[0] == f"{LISBON}\n{when_text(note.when)} · note"
    assert rows[1] == f"You: {LISBON_AGAIN}\n{when_text(turn.when)} · chat"
    assert detail.fields["valid"].text() == f"since {when_text(fact.valid_from)}"  # it still holds

    click_row(qtbot, detail.sources, 1)  # the chat turn
    qtbot.waitUntil(lambda: view.current_memory() is not None and view.current_memory().id == turn.id,
                    timeout=5000)
    assert view.showing() == "all" and view.filters.kind.currentText() == "All memories"
    assert LISBON_AGAIN in texts(view) and KEY in texts(view)
    assert detail.text.text() == f"You: {LISBON_AGAIN}"
    assert detail.fields["kind"].text() == "chat" and detail.fields["id"].text() == turn.id
    assert not detail.sources.isVisible()  # a chat turn has no sources
    assert view.list.currentItem().isSelected()


def test_a_source_is_opened_from_a_search_for_facts_too(qtbot, make_window, clock):
    window = make_window(setup=told_twice_then_moved(clock, moved=False))
    view = open_memories(qtbot, window)
    show(qtbot, view, "Facts")
    qtbot.keyClicks(view.search, "Lisbon")
    qtbot.waitUntil(lambda: "match" in view.count_label.text(), timeout=5000)
    assert fact_rows(view) and all(m.kind == "fact" for m in view.rows())
    click_row(qtbot, view.list, 0)
    qtbot.waitUntil(lambda: len(view.detail.source_rows()) == 2, timeout=5000)
    note = view.detail.source_rows()[0]

    view.detail.sources.setFocus()
    qtbot.keyClick(view.detail.sources, Qt.Key.Key_Home)
    qtbot.keyClick(view.detail.sources, Qt.Key.Key_Return)  # the keyboard opens it as well
    qtbot.waitUntil(lambda: view.current_memory() is not None and view.current_memory().id == note.id,
                    timeout=5000)
    assert view.search.text() == ""  # the search is left, or the note could be missing from the list
    assert view.detail.text.text() == LISBON


def test_a_superseded_fact_says_how_long_it_held(qtbot, make_window, clock):
    window = make_window(setup=told_twice_then_moved(clock))
    view = open_memories(qtbot, window)
    show(qtbot, view, "Facts")
    old = next(m for m in view.rows() if m.fact_key == "sister|lives in" and m.valid_until is not None)
    new = next(m for m in view.rows() if m.fact_key == "sister|lives in" and m.valid_until is None)
    assert "Lisbon" in old.fact_value and "Porto" in new.fact_value
    assert f"until {when_text(old.valid_until)}" in view.list.item(view.rows().index(old)).text()

    select_text(qtbot, view, old.text)
    qtbot.waitUntil(lambda: len(view.detail.source_rows()) == 2, timeout=5000)
    assert view.detail.fields["valid"].text() == (f"since {when_text(old.valid_from)} until "
                                                  f"{when_text(old.valid_until)} (a newer statement replaced it)")
    assert view.detail.fields["valid"].isVisible()

    select_text(qtbot, view, new.text)
    qtbot.waitUntil(lambda: [m.text for m in view.detail.source_rows()] == [PORTO], timeout=5000)
    assert view.detail.fields["valid"].text() == f"since {when_text(new.valid_from)}"
    assert view.detail.fields["sources"].text() == "1 memory that said it (click one to open it):"


def test_a_deleted_source_is_not_offered(qtbot, make_window, clock):
    window = make_window(setup=told_twice_then_moved(clock, moved=False))
    view = open_memories(qtbot, window)
    select_text(qtbot, view, LISBON)
    qtbot.mouseClick(view.detail.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: LISBON not in texts(view), timeout=5000)

    show(qtbot, view, "Facts")
    fact = next(m for m in view.rows() if m.fact_key == "sister|lives in")
    select_text(qtbot, view, fact.text)
    qtbot.waitUntil(lambda: [m.text for m in view.detail.source_rows()] == [LISBON_AGAIN], timeout=5000)
    assert view.detail.fields["sources"].text() == "1 memory that said it (click one to open it):"


def test_a_fact_opened_from_elsewhere_lists_its_sources_too(qtbot, make_window, clock):
    """E.g. an answer's citation of a fact, while Memories lists the memories (not the facts)."""
    window = make_window(setup=told_twice_then_moved(clock, moved=False))
    view = open_memories(qtbot, window)
    fact = next(m for m in window.bridge.mnemo.facts_list() if m.fact_key == "sister|lives in")
    window.open_memory(fact)
    assert view.detail.memory.id == fact.id and view.current_memory() is None
    qtbot.waitUntil(lambda: [m.text for m in view.detail.source_rows()] == [LISBON, LISBON_AGAIN], timeout=5000)

    click_row(qtbot, view.detail.sources, 0)
    qtbot.waitUntil(lambda: view.current_memory() is not None and view.current_memory().text == LISBON,
                    timeout=5000)
    assert view.current_memory().kind == "note"


def test_the_sources_stay_while_the_list_is_refreshed(qtbot, make_window, clock):
    window = make_window(setup=told_twice_then_moved(clock, moved=False))
    view = open_memories(qtbot, window)
    show(qtbot, view, "Facts")
    fact = next(m for m in view.rows() if m.fact_key == "sister|lives in")
    select_text(qtbot, view, fact.text)
    qtbot.waitUntil(lambda: len(view.detail.source_rows()) == 2, timeout=5000)
    view.refresh()  # e.g. something was said in the chat meanwhile
    assert len(view.detail.source_rows()) == 2
    qtbot.waitUntil(lambda: not view.listing, timeout=5000)
    assert view.current_memory().id == fact.id and len(view.detail.source_rows()) == 2
    assert view.detail.fields["sources"].text() == "2 memories that said it (click one to open it):"
