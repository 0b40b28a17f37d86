"""Screenshots of the desktop app as a person would see it, rendered offscreen with small
stand-ins for the models (tests/fakes.py), so it takes seconds:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py [OUT_DIR] [--only SCENE,...]
        [--size 1366x850] [--theme light|dark]
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py --all docs/screenshots
        (every scene at 1366x850 and 800x600, light and dark, into OUT_DIR/<size>-<theme>/)

Scenes (all by default; OUT_DIR defaults to .screenshots/):
- chat: loading.png, chat.png, memories.png, memories_undo.png, quick_capture.png, memory_edit.png
- model: missing_model.png and model_chosen.png (after File ▸ Choose Language Model…)
- data: import_report.png (after File ▸ Import… of a ChatGPT export), export_dialog.png,
  backups.png
- life: three weeks of notes, a recall, a pin and the upkeep jobs, then summaries.png,
  summaries_edit.png (the portrait in Edit mode), health.png and health_forgotten.png
- prefs: welcome.png (the first run), preferences_forgetting.png, preferences_shortcuts.png,
  preferences_appearance.png, preferences_importance.png, preferences_schedule.png,
  preferences_backups.png, preferences_data.png, guard.png"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QItemSelectionModel  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from core.clock import FixedClock  # noqa: E402
from tests.fakes import HashEmbedder, ScriptedModel  # noqa: E402
from ui.assets import apply_style  # noqa: E402
from ui.main_window import HEALTH_TAB, MEMORIES_TAB, SUMMARIES_TAB, MainWindow  # noqa: E402
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

    def stream_chat(self, messages, max_tokens=200, cancel=None, **options):
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


def window_for(app, data_dir: Path, model, notes=NOTES, model_switcher=None, setup=None,
               data_ops=None) -> MainWindow:
    clock = FixedClock(datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc))

    def factory():
        from core.mnemo import Mnemo

        mnemo = Mnemo(data_dir, clock, HashEmbedder(), model)
        for note in notes:
            mnemo.add_note(note)
        if setup is not None:
            setup(mnemo, clock)
        return mnemo

    bridge = MnemoBridge(factory, model_switcher=model_switcher, data_ops=data_ops, data_dir=data_dir)
    window = MainWindow(bridge, "screenshot")
    window.resize(*SIZE)
    window.show()
    bridge.start()
    return window


# (days after 20 April 2026 09:00, text) — three weeks of a person's notes
LIFE = [
    (0, "I love hiking in the Alps with my brother Tom."),
    (0, "The spare key is in the blue flowerpot by the back door."),
    (4, "My sister Anna lives in Lisbon and works as an architect."),
    (11, "Dentist appointment on Thursday at 14:30 — bring the insurance card."),
    (11, "Called the insurance: the new card arrives next week."),
    (18, "I'm reading The Left Hand of Darkness for the book club."),
    (23, "Every morning I go for a run along the river before work."),
    (25, "Please keep answers short."),
    (26, "Tom's birthday is on 12 June; he wants a new climbing rope."),
]


FORGOTTEN = (-12, "Parked at the airport: P3, row 42.")
QUESTIONS = ((9, "Where does my sister live?"), (20, "What does my sister do?"))


def life(mnemo, clock) -> None:
    """Notes over three weeks, questions that recall the sister note, a pin, then the upkeep
    jobs catching up (decay sweep, day summaries, overview, portrait)."""
    start = datetime(2026, 4, 20, 9, 0, tzinfo=timezone.utc)
    events = sorted([(day, "note", text) for day, text in [FORGOTTEN, *LIFE]]
                    + [(day, "ask", question) for day, question in QUESTIONS])
    ids = {}
    for day, what, text in events:
        clock.set(start + timedelta(days=day, hours=day % 5))
        if what == "note":
            ids[text] = mnemo.add_note(text).memory.id
        else:
            mnemo.ask(text, capture=False)
    mnemo.pin(ids[LIFE[1][1]])
    clock.set(start + timedelta(days=27, hours=10))
    mnemo.catch_up()


def life_scene(app, out: Path, tmp: Path) -> None:
    window = window_for(app, tmp / "c", Replies(delay=0.0), notes=[], setup=life)
    pump(app, lambda: window.bridge.is_ready, seconds=30)
    window.show_tab(SUMMARIES_TAB)
    view = window.summaries
    pump(app, lambda: view.loaded and view.portrait.memory is not None and view.linked.rows())
    first_day = next(i for i, text in enumerate(view.day_texts()) if "20 April" in text)
    view.days.setCurrentRow(first_day)  # its hiking note is forgotten now; the summary keeps the gist
    pump(app, lambda: len(view.linked.rows()) == 2)
    pump(app, seconds=0.3)
    window.grab().save(str(out / "summaries.png"))
    view.portrait.start_editing()
    pump(app, seconds=0.3)
    window.grab().save(str(out / "summaries_edit.png"))
    view.portrait.cancel()

    window.show_tab(HEALTH_TAB)
    health = window.health
    pump(app, lambda: health.loaded)
    sister = LIFE[2][1]
    pump(app, lambda: health.fading.select(next((m.id for m in health.fading.rows() if m.text == sister), "")))
    pump(app, lambda: bool(health.chart.points) and health.chart_memory.text == sister)
    pump(app, seconds=0.3)
    window.grab().save(str(out / "health.png"))
    health.lists.setCurrentIndex(1)
    health.forgotten.list.setCurrentRow(0)
    pump(app, seconds=0.5)
    window.grab().save(str(out / "health_forgotten.png"))
    window.bridge.shutdown()
    window.close()


SIZE = [1366, 850]


def prefs_scene(app, out: Path, tmp: Path) -> None:
    from ui.onboarding import WelcomeDialog
    from app import data_io, preferences_io
    from ui.preferences import APPEARANCE, BACKUPS, DATA, FORGETTING, IMPORTANCE, SCHEDULE, SHORTCUTS

    window = window_for(app, tmp / "e", Replies(), data_ops=data_io)
    window.bridge.prefs_ops = preferences_io
    pump(app, lambda: window.bridge.is_ready)
    welcome = WelcomeDialog(window.bridge, window)
    welcome.show()
    pump(app, seconds=0.5)
    welcome.grab().save(str(out / "welcome.png"))
    welcome.reject()
    for page, name in ((FORGETTING, "forgetting"), (SHORTCUTS, "shortcuts"), (APPEARANCE, "appearance"),
                       (IMPORTANCE, "importance"), (SCHEDULE, "schedule"), (BACKUPS, "backups"), (DATA, "data")):
        dialog = window.open_preferences(page)
        pump(app, seconds=0.5)
        dialog.grab().save(str(out / f"preferences_{name}.png"))
        dialog.reject()
    window.show_tab(4)
    pump(app, seconds=0.5)
    window.grab().save(str(out / "guard.png"))
    window.bridge.shutdown()
    window.close()


def privacy_scene(app, out: Path, tmp: Path) -> None:
    """Preferences ▸ Privacy of an encrypted memory, the window locked, the unlock dialog at start."""
    from app import data_io, privacy
    from core.memory.keys import Passphrase
    from ui.preferences import PRIVACY
    from ui.privacy_lock import PrivacyLock
    from ui.unlock import UnlockDialog

    secret = "correct horse battery"
    window = window_for(app, tmp / "p", Replies(), data_ops=data_io,
                        setup=lambda mnemo, clock: mnemo.store.encrypt(Passphrase(secret)))
    window.bridge.privacy_ops = privacy
    check = lambda text: privacy.check_passphrase(tmp / "p", text)  # noqa: E731
    window.privacy_lock = PrivacyLock(window, check, enabled=True)
    pump(app, lambda: window.bridge.is_ready)
    dialog = window.open_preferences(PRIVACY)
    pump(app, lambda: dialog.page(PRIVACY).decrypt_button.isEnabled())
    dialog.grab().save(str(out / "preferences_privacy.png"))
    dialog.reject()
    window.privacy_lock.lock()
    window.privacy_lock.screen.panel.field.setText("not the passphrase")
    window.privacy_lock.screen.panel.attempt()
    pump(app, seconds=0.3)
    window.grab().save(str(out / "locked.png"))
    window.privacy_lock.unlock()
    unlock = UnlockDialog(check, str(tmp / "p"))
    unlock.show()
    pump(app, seconds=0.3)
    unlock.grab().save(str(out / "unlock_dialog.png"))
    unlock.reject()
    window.bridge.shutdown()
    window.close()


def main(out: Path, scenes: set[str], theme: str = "light") -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    apply_style(app)
    if theme == "dark":
        from ui.theme import DARK, Theme

        Theme(app, DARK).apply()
    tmp = Path(tempfile.mkdtemp(prefix="mnemo-shots-"))
    if "chat" in scenes:
        chat_scene(app, out, tmp)
    if "model" in scenes:
        model_scene(app, out, tmp)
    if "life" in scenes:
        life_scene(app, out, tmp)
    if "data" in scenes:
        data_scene(app, out, tmp)
    if "prefs" in scenes:
        prefs_scene(app, out, tmp)
    if "privacy" in scenes:
        privacy_scene(app, out, tmp)
    print(f"screenshots in {out}")


def chat_scene(app, out: Path, tmp: Path) -> None:
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
    view.list.setCurrentRow(2, QItemSelectionModel.SelectionFlag.ClearAndSelect)  # this one alone
    view.detail.delete_button.click()
    pump(app, lambda: view.undo_bar.isVisible())
    pump(app, seconds=0.3)
    window.grab().save(str(out / "memories_undo.png"))

    app.clipboard().setText("Book club moved to Wednesdays")
    window.open_quick_capture()
    pump(app, seconds=0.3)
    window.quick_capture.grab().save(str(out / "quick_capture.png"))
    window.quick_capture.reject()
    from ui.memory_edit_dialog import EditMemoryDialog

    edit = EditMemoryDialog(window.bridge, window.bridge.mnemo.store.all(kinds=["note"])[0], window)
    edit.open_editing()
    pump(app, seconds=0.3)
    edit.grab().save(str(out / "memory_edit.png"))
    edit.reject()
    window.bridge.shutdown()
    window.close()


def model_scene(app, out: Path, tmp: Path) -> None:
    from core.answering.llm import LlamaModel

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


def data_scene(app, out: Path, tmp: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app import data_io
    from ui.export_flow import ExportDialog

    window = window_for(app, tmp / "d", Replies(), data_ops=data_io)
    pump(app, lambda: window.bridge.is_ready)
    window.importer.start(ROOT / "tests" / "data" / "import_samples" / "chatgpt_conversations.json")
    pump(app, lambda: window.findChild(QMessageBox, "importReport") is not None, seconds=20)
    report = window.findChild(QMessageBox, "importReport")
    pump(app, seconds=0.3)
    report.grab().save(str(out / "import_report.png"))
    report.accept()
    dialog = ExportDialog(window.bridge.keyring_problem(), window)
    dialog.show()
    pump(app, seconds=0.3)
    dialog.grab().save(str(out / "export_dialog.png"))
    dialog.reject()
    backups = window.open_backups()
    backups.back_up_now()
    pump(app, lambda: backups.list.topLevelItemCount() > 0, seconds=10)
    pump(app, seconds=0.3)
    backups.grab().save(str(out / "backups.png"))
    backups.reject()
    window.bridge.shutdown()
    window.close()


def option(args: list[str], name: str, default: str) -> str:
    if name not in args:
        return default
    at = args.index(name)
    value = args[at + 1] if at + 1 < len(args) else default
    del args[at:at + 2]
    return value


if __name__ == "__main__":
    import subprocess

    args = sys.argv[1:]
    if "--all" in args:  # each variant in its own process (one QApplication, one theme each)
        args.remove("--all")
        base = Path(args[0]) if args else ROOT / ".screenshots"
        for size in ("1366x850", "800x600"):
            for theme in ("light", "dark"):
                subprocess.run([sys.executable, __file__, str(base / f"{size}-{theme}"), "--size", size,
                                "--theme", theme], check=True)
        sys.exit(0)
    only = set(option(args, "--only", "chat,model,life,data,prefs,privacy").split(","))
    SIZE[:] = [int(v) for v in option(args, "--size", "1366x850").split("x")]
    main(Path(args[0]) if args else ROOT / ".screenshots", only, option(args, "--theme", "light"))
