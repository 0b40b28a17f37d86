"""Keep Python imports on worker threads fast and safe next to PySide6.

PySide6 replaces `builtins.__import__` with its `__feature_import__`. On every import of a new
module it swaps `builtins.__import__` back and forth around a Python callback that reads the
module's whole source looking for the word "PySide6". Mnemo's workers import thousands of
modules (numpy, pyarrow, lancedb, torch, sentence-transformers) while the GUI thread runs:
the source scan costs ~2.3 s of the ~9 s it takes to import the embedding stack here, and the
global swap is not safe when two threads import at once. The hook exists only for
`from __feature__ import ...`, which Mnemo does not use, so the import PySide wrapped (its
lazy-type import, which keeps `from PySide6.QtX import Y` working) is put back."""
from __future__ import annotations

import builtins


def use_thread_safe_import() -> bool:
    """Undo PySide's feature-import hook if it is installed; True when something changed."""
    import PySide6.QtCore  # noqa: F401 - the hook is installed by the first PySide6 import

    feature = getattr(builtins, "__feature_import__", None)
    wrapped = getattr(builtins, "__orig_import__", None)
    if feature is None or wrapped is None or builtins.__import__ is not feature:
        return False
    builtins.__import__ = wrapped
    return True
