"""Preferences pages for how Mnemo looks after the memory: how much a new memory matters at first
(Importance), how often the background upkeep runs (Schedule), and the automatic backups.
Each change is saved in the settings and used at once (the bridge's prefs calls)."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QGridLayout, QPushButton, QSpinBox

from .display import error_text
from .prefs_common import Page, in_words, label, row

JUDGED = "As what it says suggests"
LEVELS = [(JUDGED, 0.0, 1.0),
          ("As it says, and at least important", 0.75, 1.0),
          ("As it says, and at least very important", 0.9, 1.0),
          ("As it says, but at most very important", 0.0, 0.9),
          ("As it says, but at most an everyday detail", 0.0, 0.45)]
WAYS = [("notes", "Notes you type or Quick Capture:"), ("chat", "What you say in the chat:"),
        ("imports", "Imported conversations:"), ("apps", "What connected apps save:")]
SAVE_AFTER_MS = 600  # a spin box saves once the user stops changing it


class ImportancePage(Page):
    title = "Importance"

    def __init__(self, dialog):
        super().__init__(dialog)
        self.importance_boxes: dict[str, QComboBox] = {}
        grid = QGridLayout()
        for i, (way, text) in enumerate(WAYS):
            box = QComboBox()
            for title, low, high in LEVELS:
                box.addItem(title, (low, high))
            box.setEnabled(False)  # until the settings are read
            box.currentIndexChanged.connect(lambda _i, way=way: self._set(way))
            self.importance_boxes[way] = box
            grid.addWidget(label(text, box), i, 0)
            grid.addWidget(box, i, 1)
        grid.setColumnStretch(2, 1)
        self.importance_note = label()
        self.add(label("How much a new memory matters decides how long it is kept if it is never used. Mnemo "
                       "judges that from what it says: health, people, places and codes matter more than small "
                       "talk. Here you can raise or lower it for each way a memory arrives. A memory you ask "
                       "Mnemo to remember always matters most; your questions and Mnemo's answers are kept as "
                       "conversation. Memories already saved stay as they are."), grid, self.importance_note)
        self.end()
        if self.bridge.has_preferences:
            self.bridge.importance_defaults(self._show, self._failed)
        else:
            self.importance_note.setText("These settings are not available here.")

    def _show(self, defaults) -> None:
        for way, box in self.importance_boxes.items():
            bounds = defaults.bounds(way)
            box.blockSignals(True)
            found = next((i for i in range(box.count()) if tuple(box.itemData(i)) == bounds), -1)
            if found < 0:  # set in the settings file by hand: shown as it is
                box.addItem(f"At least {bounds[0]:g}, at most {bounds[1]:g} (0 to 1)", bounds)
                found = box.count() - 1
            box.setCurrentIndex(found)
            box.blockSignals(False)
            box.setEnabled(True)
        self._preview(defaults)

    def _preview(self, defaults) -> None:
        """How long a note and an imported message are kept, if never used, at these bounds."""
        from core.memory.decay import kept_days

        def run(mnemo):
            return [kept_days(mnemo.policy, defaults.bounds("notes")[0]),
                    kept_days(mnemo.policy, defaults.bounds("imports")[1])]

        def show(days) -> None:
            self.importance_note.setText(f"If never used, a note you type is kept at least {in_words(days[0])}; "
                                         f"an imported message at most {in_words(days[1])}.")
        self.bridge.call(run, show, self._failed)

    def _set(self, way: str) -> None:
        low, high = self.importance_boxes[way].currentData()
        self.bridge.set_importance_defaults({f"{way}_at_least": low, f"{way}_at_most": high}, self._preview,
                                            self._failed)

    def _failed(self, exc) -> None:
        self.importance_note.setText(error_text(exc))


class TimingPage(Page):
    """Spin boxes for some of the schedule's settings (app/settings.py Schedule), saved together
    shortly after the last change (and when Preferences closes)."""

    FIELDS: list[tuple[str, str, str, int, int]] = []  # (setting, text before, unit after, least, most)
    intro = ""

    def __init__(self, dialog):
        super().__init__(dialog)
        self.spins: dict[str, QSpinBox] = {}
        grid = QGridLayout()
        for i, (key, text, unit, least, most) in enumerate(self.FIELDS):
            spin = QSpinBox()
            spin.setRange(least, most)
            spin.setSuffix(f" {unit}")
            spin.setEnabled(False)  # until the settings are read
            spin.valueChanged.connect(lambda _v: self.timer.start())
            self.spins[key] = spin
            grid.addWidget(label(text, spin), i, 0)
            grid.addWidget(spin, i, 1)
        grid.setColumnStretch(2, 1)
        self.timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self.timer.timeout.connect(self.save)
        self.note = label()
        self.shown: dict[str, int] = {}
        self.add(label(self.intro), grid)
        self.extra()
        self.add(self.note)
        self.end()
        if self.bridge.has_preferences:
            self.bridge.schedule(self._show, self._failed)
        else:
            self.note.setText("These settings are not available here.")

    def extra(self) -> None:
        pass

    def _show(self, schedule) -> None:
        for key, spin in self.spins.items():
            spin.blockSignals(True)
            spin.setValue(round(getattr(schedule, key)))
            spin.blockSignals(False)
            spin.setEnabled(True)
            self.shown[key] = spin.value()

    def save(self) -> None:
        """Save what changed since it was read or saved (nothing: nothing is written)."""
        self.timer.stop()
        changes = {k: spin.value() for k, spin in self.spins.items() if self.shown and spin.value() != self.shown[k]}
        if not changes:
            return
        self.shown.update(changes)
        changes = {k: v if k == "backups_kept" else float(v) for k, v in changes.items()}
        self.bridge.set_schedule(changes, lambda s: self.note.setText(self.saved(s)), self._failed)

    def saved(self, schedule) -> str:
        return "Saved, and used from now on."

    def closing(self) -> None:
        self.save()

    def _failed(self, exc) -> None:
        self.note.setText(error_text(exc))


class SchedulePage(TimingPage):
    title = "Schedule"
    intro = ("While Mnemo runs, it looks after your memory in the background, and when it starts it catches up "
             "on what it missed while closed. Shorter times keep the views fresher; longer ones use the computer "
             "less.")
    FIELDS = [("sweep_every_hours", "Check what is fading every", "hours", 1, 168),
              ("summaries_every_minutes", "Write the day summaries every", "minutes", 5, 1440),
              ("overview_every_hours", "Rewrite the overview and your portrait every", "hours", 1, 720)]

    def saved(self, schedule) -> str:
        return (f"Saved: what is fading is checked every {schedule.sweep_every_hours:g} hours, the day summaries "
                f"every {schedule.summaries_every_minutes:g} minutes, the overview and portrait every "
                f"{schedule.overview_every_hours:g} hours.")


class BackupsPage(TimingPage):
    title = "Backups"
    intro = ("Mnemo copies your whole memory into the backups folder of its data folder, on this computer. "
             "It also backs up before an upgrade and before a restore; those copies stay until you delete them.")
    FIELDS = [("backup_every_hours", "Back up the memory every", "hours", 1, 720),
              ("backups_kept", "Keep the newest", "automatic backups", 1, 100)]

    def extra(self) -> None:
        self.open_backups_button = QPushButton("Open Backups…")
        self.open_backups_button.setToolTip("Back up now, restore an earlier copy, or delete one")
        self.open_backups_button.setEnabled(self.bridge.can_move_data)
        self.open_backups_button.clicked.connect(self.open_backups)
        self.add(row(self.open_backups_button))

    def open_backups(self):
        from .backups_dialog import BackupsDialog

        self.backups_dialog = BackupsDialog(self.bridge, self.dialog)
        self.backups_dialog.open()
        return self.backups_dialog

    def saved(self, schedule) -> str:
        return (f"Saved: a backup every {schedule.backup_every_hours:g} hours; the newest {schedule.backups_kept} "
                "are kept.")
