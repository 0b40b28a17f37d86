"""Working Mnemo with the keyboard alone, and with a screen reader: Tab walks each view and
Preferences in reading order, reaches every control that takes the keyboard, and every control
it reaches has a name (its accessible name or its visible text)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QWidget

from ui.main_window import CHAT_TAB, GUARD_TAB, HEALTH_TAB, MEMORIES_TAB, SUMMARIES_TAB
from ui.preferences import PAGES

NOTES = ["My sister Anna lives in Lisbon", "The bike lock code is 4417"]


def tab_walk(qtbot, start: QWidget, limit: int = 80) -> list[QWidget]:
    """Press Tab from `start` until focus comes back to it: the widgets focus visited, in order."""
    start.window().activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    visited = []
    for _ in range(limit):
        widget = QApplication.focusWidget()
        assert widget is not None, f"focus was lost after {[name(w) for w in visited]}"
        if visited and widget is visited[0]:
            return visited
        visited.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never came back to where it started: {[name(w) for w in visited]}")


def name(widget: QWidget) -> str:
    """What a screen reader says for it: its accessible name, else its visible text."""
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return (widget.accessibleName() or text).replace("&", "").strip()


def takes_tab(widget: QWidget) -> bool:
    return (widget.isVisible() and widget.isEnabled() and widget.focusProxy() is None
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus)


def in_order(visited: list[QWidget], expected: list[QWidget]) -> bool:
    positions = [visited.index(w) for w in expected if w in visited]
    return len(positions) == len(expected) and positions == sorted(positions)


def check(visited: list[QWidget], root: QWidget, expected: list[QWidget]) -> None:
    assert in_order(visited, expected), (
        f"expected, in this order: {[name(w) for w in expected]}; Tab went: {[name(w) for w in visited]}")
    unreachable = [name(w) or w.objectName() for w in root.findChildren(QWidget) if takes_tab(w) and w not in visited]
    assert unreachable == []
    assert [w for w in visited if not name(w)] == []  # every control Tab reaches has a name


def show(qtbot, window, tab: int) -> None:
    window.show_tab(tab)
    qtbot.wait(300)  # the view has loaded what it lists


def button(root: QWidget, text: str) -> QPushButton:
    return next(b for b in root.findChildren(QPushButton) if b.text() == text and b.isVisible())


@pytest.fixture
def window(make_window, qtbot):
    window = make_window(notes=NOTES)
    window.resize(1200, 800)
    return window


def test_tab_walks_the_chat_in_reading_order(qtbot, window):
    show(qtbot, window, CHAT_TAB)
    chat = window.chat
    visited = tab_walk(qtbot, window.tabs.tabBar())
    check(visited, chat, [window.tabs.tabBar(), chat.history.new_button, chat.history.list, chat.transcript,
                          chat.input, chat.send_button])


def test_tab_walks_memories_from_the_search_to_the_selected_memorys_buttons(qtbot, window):
    show(qtbot, window, MEMORIES_TAB)
    view = window.memories
    qtbot.waitUntil(lambda: view.list.count() >= 2, timeout=5000)
    view.list.setCurrentRow(0)
    visited = tab_walk(qtbot, window.tabs.tabBar())
    filters = [w for w in visited if w.objectName().endswith("Filter")]
    assert [w.objectName() for w in filters] == ["kindFilter", "sourceFilter", "stateFilter", "dateFilter"]
    pin = button(view, "Pin")
    check(visited, view, [window.tabs.tabBar(), view.findChild(QWidget, "memorySearch"), *filters, view.list, pin])


def test_tab_walks_summaries_health_and_guard_in_reading_order(qtbot, window):
    show(qtbot, window, SUMMARIES_TAB)
    view = window.summaries
    visited = tab_walk(qtbot, window.tabs.tabBar())
    check(visited, view, [window.tabs.tabBar(), button(view, "Summarize past days"), view.findChild(QWidget, "cardScroll")])

    show(qtbot, window, HEALTH_TAB)
    health = window.health
    visited = tab_walk(qtbot, window.tabs.tabBar())
    check(visited, health, [window.tabs.tabBar(), button(health, "Run decay sweep now"), health.lists.tabBar(),
                            health.findChild(QWidget, "cardScroll")])

    show(qtbot, window, GUARD_TAB)
    visited = tab_walk(qtbot, window.tabs.tabBar())
    check(visited, window.guard, [window.tabs.tabBar(), window.guard.findChild(QWidget, "cardScroll")])


@pytest.mark.parametrize("index", range(len(PAGES)))
def test_tab_walks_each_preferences_page_from_the_list_of_pages_to_close(qtbot, window, index):
    dialog = window.open_preferences(index)
    qtbot.waitExposed(dialog)
    qtbot.wait(200)  # the pages that read their settings have read them
    page = dialog.page(index)
    visited = tab_walk(qtbot, dialog.pages)
    close = button(dialog, "Close")
    controls = [w for w in visited if page.isAncestorOf(w)]
    check(visited, page, [dialog.pages, *controls, close])
    assert visited[0] is dialog.pages and visited[-1] is close  # the pages first, Close last
    tops = [w.mapTo(page, w.rect().topLeft()).y() for w in controls]
    assert tops == sorted(tops) or len(set(tops)) < len(tops), "controls are visited top to bottom"
    dialog.reject()
