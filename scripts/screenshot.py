"""Screenshots of the desktop app as a person would see it, rendered offscreen with small
stand-ins for the models (tests/fakes.py), so it takes seconds:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py [OUT_DIR]

Writes loading.png, chat.png, memories.png, memories_undo.png, quick_capture.png,
missing_model.png and model_chosen.png (after File ▸ Choose Language Model…)
(default OUT_DIR: .screenshots/)."""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from core.clock import FixedClock  # noqa: E402
from tests.fakes import HashEmbedder, ScriptedModel  # noqa: E402
from ui.assets import apply_style  # noqa: E402
from ui.main_window import MEMORIES_TAB, MainWindow  # noqa: E402
from ui.workers import MnemoBridge  # noqa: E402

NOTES = [
    "My sister Anna lives in Lisbon and works as an architect.",
    "Dentist appointment on Thursday at 14:30 — bring the insurance card.",
    "The spare key is in the blue flowerpot by the back door.",
]


class Replies(ScriptedModel):
    """Answers by the question's keyword, like a model that read the memories."""

    REPLIES = {
        "sister": "Your sister Anna lives in Lisbon, where she works as an architect.",
        "dentist": "Your dentist appointment is on Thursday at 14:30; bring the insurance card.",
    }

    def stream_chat(self, messages, max_tokens=200, cancel=None):
        question = messages[-1]["content"].rsplit("Question:", 1)[-1].lower()
        self.reply = next((r for k, r in self.REPLIES.items() if k in question), "I do not remember.")
        return super().stream_chat(messages, max_tokens, cancel)


class SlowLoad:
    """A model whose load() waits until released, to photograph the loading state."""

    loaded = False

    def __init__(self, inner):
        self.inner = inner
        self.release = threading.Event()

    def load(self):
        self.release.wait(10)
        self.loaded = True

    def stream_chat(self, *args, **kwargs):
        self.release.wait(10)  # like LlamaModel, answering waits for the load
        return self.inner.stream_chat(*args, **kwargs)


def pump(app: QApplication, until=lambda: False, seconds: float = 5.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def window_for(app, data_dir: Path, model, notes=NOTES, model_switcher=None) -> MainWindow:
    clock = FixedClock(datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc))

    def factory():
        from core.mnemo import Mnemo

        mnemo = Mnemo(data_dir, clock, HashEmbedder(), model)
        for note in notes:
            mnemo.add_note(note)
        return mnemo

    bridge = MnemoBridge(factory, model_switcher=model_switcher)
    window = MainWindow(bridge, "screenshot")
    window.show()
    bridge.start()
    return window


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    apply_style(app)
    tmp = Path(tempfile.mkdtemp(prefix="mnemo-shots-"))

    slow = SlowLoad(Replies(delay=0.01))
    window = window_for(app, tmp / "a", slow)
    pump(app, lambda: window.bridge.status_text.startswith("Loading language"))
    window.chat.input.setPlainText("Where does my sister live?")
    window.chat.send()
    pump(app, seconds=0.3)
    window.grab().save(str(out / "loading.png"))
    slow.release.set()
    pump(app, lambda: not window.chat.busy)
    window.chat.input.setPlainText("When is the dentist?")
    window.chat.send()
    pump(app, lambda: not window.chat.busy)
    window.chat.exchanges[0].memories.expand()
    pump(app, seconds=0.3)
    window.grab().save(str(out / "chat.png"))

    window.tabs.setCurrentIndex(MEMORIES_TAB)
    pump(app, lambda: window.memories.loaded)
    window.memories.list.setCurrentRow(window.memories.list.count() - 1)
    pump(app, seconds=0.3)
    window.grab().save(str(out / "memories.png"))
    view = window.memories
    view.list.setCurrentRow(0)
    view.detail.pin_button.click()
    pump(app, lambda: view.detail.pin_button.text() == "Unpin")
    view.list.setCurrentRow(2)
    view.detail.delete_button.click()
    pump(app, lambda: view.undo_bar.isVisible())
    pump(app, seconds=0.3)
    window.grab().save(str(out / "memories_undo.png"))

    app.clipboard().setText("Book club moved to Wednesdays")
    window.open_quick_capture()
    pump(app, seconds=0.3)
    window.quick_capture.grab().save(str(out / "quick_capture.png"))
    window.quick_capture.reject()
    window.bridge.shutdown()
    window.close()

    from core.llm import LlamaModel

    def switch(mnemo, path):  # stands for app.wiring.switch_model
        mnemo.use_model(Replies(delay=0.01))
        return path

    broken = window_for(app, tmp / "b", LlamaModel(tmp / "models" / "missing.gguf"), model_switcher=switch)
    pump(app, lambda: broken.bridge.is_ready)
    broken.chat.input.setPlainText("Where does my sister live?")
    broken.chat.send()
    pump(app, lambda: not broken.chat.busy)
    broken.grab().save(str(out / "missing_model.png"))
    broken.bridge.switch_model(tmp / "models" / "SmolLM2-360M-Instruct.Q8_0.gguf")
    pump(app, lambda: not broken.bridge.switching_model)
    broken.chat.input.setPlainText("Where does my sister live?")
    broken.chat.send()
    pump(app, lambda: not broken.chat.busy)
    pump(app, seconds=0.3)
    broken.grab().save(str(out / "model_chosen.png"))
    broken.bridge.shutdown()
    broken.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".screenshots")
