"""Guards for the Qt runtime the app relies on."""
from __future__ import annotations

import builtins
import sys

from PySide6.QtCore import QObject, Signal

import ui  # noqa: F401 - importing ui installs the import guard


class _Emitter(QObject):
    ping = Signal()


def test_emitting_signals_keeps_reference_counts_intact(qapp):
    """PySide6 6.12.0 drops a reference to True on every Signal.emit(); on Python 3.11,
    where True is not immortal, a few hundred emits abort the process (streamed tokens are
    signals). This fails on such a build: pin pyside6-essentials below 6.12."""
    emitter = _Emitter()
    emitter.ping.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.ping.emit()
    assert sys.getrefcount(True) >= before - 5


def test_pyside_feature_import_hook_is_not_in_the_way():
    assert builtins.__import__ is not getattr(builtins, "__feature_import__", None)
    from PySide6.QtWidgets import QLabel  # lazy Qt types still import

    assert QLabel.__name__ == "QLabel"
