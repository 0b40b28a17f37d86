"""The desktop app's time to the first word (scripts/bench_first_token.py --gui).

A store is filled through the import path and the notes are added (as bench_first_token does),
then closed. The app is started on it the way `mnemo-gui` starts (app.gui.build_bridge, the
MainWindow, offscreen), each question is sent as the chat sends it, and the time from sending
to the first piece of the answer reaching the GUI thread is taken. Then the app is closed and
started again on the same store, and the questions are asked once more: the first question
after a restart is where the prompt prefix read back from disk helps. Beside it, in the same
run: the bare model's first token for the same phrase prompt (no retrieval, no Qt)."""
from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path


def _app_round(data: Path, clock, model_path, questions: list[str]) -> tuple[list[float], list[str], str]:
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    from app.gui import build_bridge
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    bridge = build_bridge(data, clock, model_path)
    window = MainWindow(bridge, "bench", has_tray=False)
    window.show()
    bridge.start()
    _wait(lambda: bridge.is_ready, 300)
    firsts, answers = [], []
    for question in questions:
        stamp: dict = {}
        original = window.chat._on_token

        def on_token(exchange, piece, original=original):
            stamp.setdefault("first", time.perf_counter())
            original(exchange, piece)

        window.chat._on_token = on_token
        window.chat.input.setPlainText(question)
        sent = time.perf_counter()
        window.chat.send()
        _wait(lambda: not window.chat.busy, 300)
        window.chat._on_token = original
        firsts.append(stamp.get("first", float("nan")) - sent)
        answers.append(window.chat.exchanges[-1].answer_text())
    model_name = getattr(bridge.mnemo.model, "name", "")
    window.close()
    bridge.shutdown()
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    del app
    return firsts, answers, model_name


def _wait(condition, seconds: float) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)


def _bare(model_path, questions_and_notes) -> list[float]:
    """The bare model's first token on the small model's phrasing prompt, cache cleared each time."""
    from app.wiring import offline_environment
    from core.answering.answer import PHRASE
    from core.answering.llm import LlamaModel

    offline_environment()
    model = LlamaModel(model_path)
    model.load()
    out = []
    for question, note in questions_and_notes:
        messages = [{"role": "system", "content": PHRASE},
                    {"role": "user", "content": f"Today is Friday 1 May 2026.\nNote:\n- [Fri 1 May 2026, today] {note}"
                                                f"\n\nQuestion: {question}"}]
        model.forget_cache()
        started = time.perf_counter()
        for _piece in model.stream_chat(messages, max_tokens=1):
            break
        out.append(time.perf_counter() - started)
    return out


def run_gui(args, fill, notes: list[str], questions: list[str]) -> int:
    from app.paths import default_model_path
    from app.wiring import build_mnemo
    from core.clock import FixedClock

    model_path = args.model or default_model_path()
    clock = FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
    asked = questions * args.rounds
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as scratch:
        data = Path(tmp) / "data"
        mnemo = build_mnemo(data, clock, model_path)
        mnemo.embedder.load()
        stored = fill(mnemo, args.memories, Path(scratch)) if args.memories else 0
        for note in notes:
            mnemo.add_note(note)
        mnemo.close()
        first_run, answers, name = _app_round(data, clock, model_path, asked)
        restarted, _, _ = _app_round(data, clock, model_path, questions)
    bare = _bare(model_path, list(zip(questions, notes)))
    warm = first_run[1:]
    print(f"{stored:,} memories imported first + {len(notes)} notes; model {name} ({Path(model_path).name})")
    for question, text in zip(questions, answers):
        print(f"  {question:<34} -> {text}")
    print(f"{'':<44}{'the app':>10}{'bare model':>12}")
    print(f"{'first word, first question after start (s)':<44}{first_run[0]:>10.3f}{bare[0]:>12.3f}")
    print(f"{'first word, later questions p50 (s)':<44}{statistics.median(warm):>10.3f}"
          f"{statistics.median(bare):>12.3f}")
    print(f"{'first word, p95 of later questions (s)':<44}{sorted(warm)[int(0.95 * (len(warm) - 1))]:>10.3f}")
    print(f"{'after a restart: first question (s)':<44}{restarted[0]:>10.3f}")
    print(f"{'after a restart: p50 of all (s)':<44}{statistics.median(restarted):>10.3f}")
    print("(the app = sending in the chat until the first piece of the answer is on the GUI thread: retrieval, the "
          "guard, the extractive choice, the model's phrasing, which is checked before it is shown; bare = the model's"
          " first token for the same kind of prompt, its cache cleared)")
    return 0
