"""Mnemo's PySide6 desktop interface. It talks to core only through the `core.mnemo.Mnemo`
facade, on worker threads (see ui/workers.py); results reach widgets through Qt signals."""
from .import_guard import use_thread_safe_import

use_thread_safe_import()
