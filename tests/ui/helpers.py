"""Helpers for the GUI tests: act like a person (type, press Enter) and read what they see."""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt


class LoadsSlowly:
    """Wraps a fake model or embedder so that it starts unloaded and load() takes a while,
    like the real ones; optionally load() waits for `release`."""

    def __init__(self, inner, seconds: float = 0.05, release: threading.Event | None = None):
        self.inner = inner
        self.seconds = seconds
        self.release = release
        self.loaded = False
        self.dim = getattr(inner, "dim", None)

    def load(self) -> None:
        if self.release is not None:
            self.release.wait(10)
        time.sleep(self.seconds)
        self.loaded = True

    def __getattr__(self, name):
        return getattr(self.inner, name)


def ask(qtbot, window, question: str) -> None:
    """Type the question into the chat box and press Enter, like a person."""
    window.chat.input.setFocus()
    qtbot.keyClicks(window.chat.input, question)
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Return)


def wait_answered(qtbot, window, timeout: int = 10_000):
    qtbot.waitUntil(lambda: bool(window.chat.exchanges) and window.chat.exchanges[-1].finished
                    and not window.chat.busy, timeout=timeout)
    return window.chat.exchanges[-1]


def memories_of(window):
    """What the store holds now (read in the test thread, after the GUI's work finished)."""
    return window.bridge.mnemo.memories()


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot, list_widget, row: int) -> None:
    """Click a row of a list, where a person would."""
    rect = list_widget.visualItemRect(list_widget.item(row))
    qtbot.mouseClick(list_widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_tab(qtbot, tabs, index: int) -> None:
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index
