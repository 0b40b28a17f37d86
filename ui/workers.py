"""The Qt bridge to core. Every call into `Mnemo` (opening the store, loading the models,
asking, searching, capturing, editing, switching the language model) runs on a thread pool;
its results, streamed tokens and errors come back to the GUI thread through one queued signal.
Mixed in: forgetting, summaries, the portrait and upkeep (ui/workers_memory_life.py), the guard (_guard),
import, export and backups (_data), editing several memories (_memories), Preferences' (_prefs), encryption (_privacy).

Until the store is open, calls are queued and run as soon as it is. While another language
model loads, questions wait for it (they never run against a half-loaded model)."""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

from core.errors import MnemoError

from .display import error_text
from .import_guard import use_thread_safe_import
from .job import Job
from .workers_chat import ChatCalls
from .workers_data import DataCalls
from .workers_guard import GuardCalls
from .workers_memories import MemoriesCalls
from .workers_memory_life import MemoryLifeCalls
from .workers_models import ModelCalls
from .workers_prefs import PreferenceCalls
from .workers_privacy import PrivacyCalls
from .workers_repair import RepairCalls

if TYPE_CHECKING:  # importing core.mnemo pulls in numpy and pyarrow: only in workers
    from core.mnemo import Mnemo

log = logging.getLogger("mnemo.ui")

Callback = Callable[..., Any] | None
ModelSwitcher = Callable[["Mnemo", Path], Any]  # loads the file, makes it answer; raises ModelError


class AskHandle:
    """A running answer: `cancel()` asks the model to stop; `stopped` tells whether it was asked to."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def cancel(self) -> None:
        self.event.set()

    @property
    def stopped(self) -> bool:
        return self.event.is_set()


class MnemoBridge(ChatCalls, DataCalls, GuardCalls, MemoriesCalls, MemoryLifeCalls, ModelCalls, PreferenceCalls,
                  PrivacyCalls, RepairCalls, QObject):
    status = Signal(str)  # what Mnemo is doing, for the status bar
    opened = Signal()  # the store is open: browsing, search and capture work
    open_failed = Signal(str)
    embedder_failed = Signal(str)
    model_failed = Signal(str)
    ready = Signal()  # start-up finished (a model may have failed: see model_error)
    memories_changed = Signal()  # something was added, deleted, pinned...
    model_switching = Signal(str)  # path of the language model now loading
    model_switched = Signal(str)  # path of the language model that answers from now on
    model_switch_failed = Signal(str)  # why; the previous model still answers
    maintenance_started = Signal(str)  # an upkeep job started from this window (run_job)
    maintenance_finished = Signal(object)  # a core JobResult, from run_job or job_finished (any thread)
    maintenance_failed = Signal(str, str)  # (job, why)
    damaged = Signal(str)  # the store opened read-only: what is wrong and what to do (ui/workers_repair.py)
    warning = Signal(str)  # something did not go as asked (a purge that could not reach every backup)
    consent_requested = Signal(str)  # a program asks to use the memory (MCP): ask the user (any thread)

    _deliver = Signal(object, object)  # (callback, args) from a worker to the GUI thread

    def __init__(self, factory: Callable[[], "Mnemo"], parent: QObject | None = None, threads: int = 4,
                 model_switcher: ModelSwitcher | None = None, data_ops: Any = None,
                 data_dir: Path | None = None, clock: Any = None, model_ops: Any = None):
        """`data_ops`: import, export and backup operations (app/data_io.py); None hides them.
        `data_dir` and `clock`: for the backups of a memory that could not be opened.
        `model_ops`: the model library (app/model_library.py); None hides it."""
        super().__init__(parent)
        self.data_ops = data_ops
        self.model_ops = model_ops
        self.data_dir = data_dir
        self.clock = clock
        self.open_damaged = False
        use_thread_safe_import()  # workers import numpy, lancedb, torch...
        self._factory = factory
        self._switcher = model_switcher
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)
        self.mnemo: Mnemo | None = None
        self._built: Mnemo | None = None  # set by the start-up worker, so shutdown can close it
        self.open_error: str | None = None
        self.embedder_error: str | None = None
        self.model_error: str | None = None
        self.is_ready = False
        self.status_text = ""
        self._pending: list[tuple[Callable, Callback, Callback]] = []
        self._asks: set[AskHandle] = set()
        self.switching_model = False
        self._held_asks: list[tuple[Callable, Callback, Callback]] = []  # asked while a model loads
        self.jobs_running: set[str] = set()  # upkeep jobs started by run_job, not finished yet
        self.capture_paused = False  # Pause Remembering Chats: questions are answered, not remembered
        self._started = False
        self._closed = False

    # ------------------------------------------------------------------ start-up
    @property
    def is_open(self) -> bool:
        return self.mnemo is not None

    def start(self) -> None:
        """Open the store, then load the embedding and language models, in the background."""
        if self._started:
            return
        self._started = True
        self._set_status("Opening memory…")
        self._pool.start(Job(self._startup))

    def _startup(self) -> None:
        try:
            mnemo = self._factory()
        except BaseException as exc:  # noqa: BLE001 - shown to the user, never swallowed silently
            self._post(self._on_open_failed, exc)
            return
        self._built = mnemo
        self._post(self._on_opened, mnemo)
        self._load(mnemo.embedder, "Loading embedding model…", self._on_embedder_failed)
        model = mnemo.model
        self._load(model, "Loading language model…", lambda exc: self._on_model_failed(exc, model))
        self._post(self._on_ready)
        if not self._closed and self.embedder_error is None:
            try:  # the first question should not pay for first-use work (indexes, the model's buffers)
                mnemo.warm_up()
            except Exception as exc:  # noqa: BLE001 - a missing model is reported already; the rest runs on use
                log.debug("warming up skipped: %s", exc)

    def _load(self, part: Any, message: str, on_error: Callable) -> None:
        load = getattr(part, "load", None)
        if load is None or getattr(part, "loaded", False) or self._closed:
            return  # nothing to load, or quitting: do not make the user wait for it
        self._post(self._set_status, message)
        try:
            load()
        except BaseException as exc:  # noqa: BLE001
            self._post(on_error, exc)

    def _on_opened(self, mnemo: "Mnemo") -> None:
        if self._closed:
            return
        self.mnemo = mnemo
        self.opened.emit()
        self._report_damage(mnemo)
        pending, self._pending = self._pending, []
        for fn, on_done, on_error in pending:
            self._submit(fn, on_done, on_error)

    def _on_open_failed(self, exc: BaseException) -> None:
        from core.errors import StoreDamagedError

        self.open_error = error_text(exc)
        self.open_damaged = isinstance(exc, StoreDamagedError)
        self._set_status("Memory could not be opened")
        self.open_failed.emit(self.open_error)
        pending, self._pending = self._pending, []
        for _fn, _on_done, on_error in pending:
            if on_error is not None:
                on_error(exc)

    def _on_embedder_failed(self, exc: BaseException) -> None:
        self.embedder_error = error_text(exc)
        self.embedder_failed.emit(self.embedder_error)

    def _on_model_failed(self, exc: BaseException, model: Any = None) -> None:
        if model is not None and self.mnemo is not None and self.mnemo.model is not model:
            return  # the user chose another model meanwhile: this failure is history
        self.model_error = error_text(exc)
        self.model_failed.emit(self.model_error)

    def _on_ready(self) -> None:
        self.is_ready = True
        self._set_status(self._ready_status())
        self.ready.emit()

    def _ready_status(self) -> str:
        if self.is_damaged and self.mnemo is not None:
            return "Memory is read-only (damaged)"
        if self.switching_model:
            return "Loading language model…"
        if self.model_error:
            return "Ready — no language model"
        if self.embedder_error:
            return "Ready — no embedding model"
        return "Ready"

    def show_outside_progress(self, text: str) -> None:
        """From any thread: what another program's command is doing with the memory ("" when done)."""
        self._post(lambda: self._set_status(text or self._ready_status()))

    def _set_status(self, text: str) -> None:
        self.status_text = text
        self.status.emit(text)

    # ------------------------------------------------------------------ calls
    def call(self, fn: Callable[["Mnemo"], Any], on_done: Callback = None, on_error: Callback = None) -> None:
        """Run fn(mnemo) on a worker; on_done(result) or on_error(exception) on the GUI thread."""
        if self._closed:
            return
        if self.open_error is not None:
            if on_error is not None:
                on_error(MnemoError(self.open_error))
            return
        if self.mnemo is None:
            self._pending.append((fn, on_done, on_error))
            return
        self._submit(fn, on_done, on_error)

    def _submit(self, fn, on_done, on_error) -> None:
        mnemo = self.mnemo

        def job() -> None:
            try:
                result = fn(mnemo)
            except BaseException as exc:  # noqa: BLE001
                if on_error is not None:
                    self._post(on_error, exc)
                else:
                    log.error("background call failed", exc_info=exc)
                return
            if on_done is not None:
                self._post(on_done, result)

        self._pool.start(Job(job))

    def _free(self, fn: Callable[[], Any], on_done: Callback, on_error: Callback) -> None:
        """Run fn() on a worker without the store (the model library, a memory's backups);
        on_done(result) or on_error(exception) on the GUI thread."""
        def job() -> None:
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001 - shown to the user
                if on_error is not None:
                    self._post(on_error, exc)
                return
            if on_done is not None:
                self._post(on_done, result)

        self._pool.start(Job(job))

    def _post(self, callback: Callable, *args: Any) -> None:
        """From any thread: run callback(*args) on the GUI thread."""
        self._deliver.emit(callback, args)

    @Slot(object, object)
    def _on_deliver(self, callback: Callable, args: tuple) -> None:
        try:
            callback(*args)
        except RuntimeError as exc:  # the receiving widget was closed while the work ran
            if "already deleted" not in str(exc):
                raise
            log.debug("dropped a result for a deleted widget: %s", exc)

    # ------------------------------------------------------------------ services
    def ask(self, question: str, conversation_id: str, on_memories: Callback, on_token: Callback,
            on_done: Callback, on_error: Callback, again: bool = False) -> AskHandle:
        """`again`: Regenerate an answer (the question is not stored a second time)."""
        handle = AskHandle()
        self._asks.add(handle)

        def run(mnemo: "Mnemo"):
            return mnemo.ask(
                question,
                on_token=lambda piece: self._post(on_token, piece),
                cancel=handle.event,
                capture=not self.capture_paused,
                conversation_id=conversation_id,
                on_memories=lambda hits: self._post(on_memories, list(hits)),
                again=again,
            )

        def done(answer) -> None:
            self._asks.discard(handle)
            if answer.captured_ids:
                self.memories_changed.emit()
            on_done(answer)

        def failed(exc: BaseException) -> None:
            self._asks.discard(handle)
            on_error(exc)

        if self.switching_model:
            self._held_asks.append((run, done, failed))  # answered once the new model is in
        else:
            self.call(run, done, failed)
        return handle

    def add_note(self, text: str, source: str, on_done: Callback, on_error: Callback) -> None:
        def done(result) -> None:
            if not result.duplicate:
                self.memories_changed.emit()
            if on_done is not None:
                on_done(result)

        self.call(lambda m: m.add_note(text, source=source), done, on_error)

    def change(self, action: str, memory_id: str, on_done: Callback = None, on_error: Callback = None) -> None:
        """action: pin, unpin, delete, undelete, restore, keep (at a review) or purge (permanent: ask first)."""
        if action not in ("pin", "unpin", "delete", "undelete", "restore", "keep", "purge"):
            raise ValueError(f"unknown memory action {action!r}")

        def done(result) -> None:
            self.memories_changed.emit()
            if action == "purge" and result:  # backups that could not be rewritten still hold it
                self.warning.emit(f"Purged from the memory, but {len(result)} backup"
                                  f"{'s' if len(result) != 1 else ''} could not be rewritten and still "
                                  f"hold{'s' if len(result) == 1 else ''} it ({', '.join(result)}): they may be "
                                  f"damaged. Delete them in File ▸ Backups… to forget it for good.")
            if on_done is not None:
                on_done(memory_id)

        self.call(lambda m: getattr(m, action)(memory_id), done, on_error)

    def keep_many(self, memory_ids: list[str], on_done: Callback = None, on_error: Callback = None) -> None:
        """Keep every memory of a review: stronger, their forgetting clocks restarted."""
        def done(_result) -> None:
            self.memories_changed.emit()
            if on_done is not None:
                on_done(memory_ids)

        self.call(lambda m: m.keep_many(list(memory_ids)), done, on_error)

    @property
    def can_switch_model(self) -> bool:
        return self._switcher is not None and not self._closed

    def switch_model(self, path: str | Path, on_done: Callback = None, on_error: Callback = None) -> bool:
        """Load the language model file at `path` on a worker and answer with it from then on.
        On failure the previous model keeps answering. Questions asked meanwhile wait.
        Returns False (and does nothing) if no switcher was given or a switch is running."""
        if not self.can_switch_model or self.switching_model:
            return False
        path = Path(path)
        switcher = self._switcher
        self.switching_model = True
        self._set_status("Loading language model…")
        self.model_switching.emit(str(path))

        def done(result) -> None:
            self.switching_model = False
            self.model_error = None
            chosen = str(result) if isinstance(result, (str, Path)) else str(path)
            if self.is_ready:  # else start-up is still loading and will say "Ready" itself
                self._set_status(self._ready_status())
            self.model_switched.emit(chosen)
            self._release_held_asks()
            if on_done is not None:
                on_done(chosen)

        def failed(exc: BaseException) -> None:
            self.switching_model = False
            message = error_text(exc)
            if self.is_ready or self.open_error is not None:
                self._set_status("Memory could not be opened" if self.open_error else self._ready_status())
            self.model_switch_failed.emit(message)
            self._release_held_asks()
            if on_error is not None:
                on_error(exc)

        self.call(lambda mnemo: switcher(mnemo, path), done, failed)
        return True

    def _release_held_asks(self) -> None:
        held, self._held_asks = self._held_asks, []
        for fn, on_done, on_error in held:
            self.call(fn, on_done, on_error)

    # ------------------------------------------------------------------ shutdown
    def shutdown(self, timeout_ms: int = -1) -> None:
        """Stop answers, let running work finish, close the store."""
        if self._closed:
            return
        self._closed = True
        self._pending.clear()
        self._held_asks.clear()
        for handle in list(self._asks):
            handle.cancel()
        if not self._pool.waitForDone(timeout_ms):
            log.warning("background work still running at shutdown; the store is left to the OS to close")
            return
        mnemo, self.mnemo, self._built = self._built, None, None
        if mnemo is not None:
            try:
                mnemo.close()
            except Exception:  # noqa: BLE001 - closing must not block quitting
                log.exception("closing the memory store failed")
