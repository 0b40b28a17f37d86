"""Pieces of the Guard view: how a flagged memory and a lesson read, the side-by-side
comparison of a flagged memory with the memories it disagreed with, and the lessons list."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from .display import short, source_name, speaker_prefix, when_text
from .labels import plain_label
from .memory_list_panel import MEMORY_ROLE, memory_list

NO_SELECTION = "Select a memory on the left to see why it was held back and what it disagreed with."
NO_CONFLICTS = ("It was not compared with your memories: it was held back for what it says itself "
                "(see why on the left).")
LESSONS_EMPTY = ("No lessons yet. Each time the guard keeps a memory out, or you tell it a flag was wrong, "
                 "it learns a lesson and lists it here.")
VERDICTS = {"attack": "Attack", "false_alarm": "False alarm", "correction": "Your correction"}


def flag_state(memory) -> str:
    return "Quarantined on arrival" if str(memory.state) == "quarantined" else "Kept out of an answer"


def origin(memory) -> str:
    """'clipboard · 2026-05-01 09:00' (the date the memory is about)."""
    return f"{source_name(memory.source)} · {when_text(memory.when)}"


def flagged_meta(memory) -> str:
    """The facts line of a flagged memory in the list: state, source, date and the reason."""
    pinned = " (pinned)" if str(memory.state) == "pinned" else ""
    return f"{flag_state(memory)}{pinned} · {origin(memory)} · {memory.guard_reason or 'no reason given'}"


def lesson_row(lesson) -> str:
    verdict = VERDICTS.get(lesson.guard_verdict, lesson.guard_verdict)
    return f"{lesson.text}\n{verdict} · learnt {when_text(lesson.created_at)}"


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("paneTitle")
    return label


def _memory_block(memory) -> QWidget:
    """A memory it disagreed with: its text and where it comes from."""
    block = QWidget()
    layout = QVBoxLayout(block)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    layout.addWidget(plain_label(speaker_prefix(memory) + memory.text, "hitText"))
    state = "" if str(memory.state) in ("active", "pinned") else f" · {memory.state}"
    layout.addWidget(plain_label(origin(memory) + state, "hitMeta"))
    return block


class Comparison(QFrame):
    """The flagged memory on the left, the memories it disagreed with on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.memory = None
        self.conflicts: list = []
        self.flag_title = _title("Flagged memory")
        self.placeholder = plain_label(NO_SELECTION, "emptyText", selectable=False)
        self.text = plain_label("", "detailText")
        self.meta = plain_label("", "muted")
        self.reason = plain_label("", "summaryText")
        self.conflict_title = _title("What it disagreed with")
        self.conflict_box = QVBoxLayout()
        self.conflict_box.setSpacing(8)
        self.no_conflicts = plain_label(NO_CONFLICTS, "muted", selectable=False)

        left = QVBoxLayout()
        left.setSpacing(6)
        for widget in (self.flag_title, self.placeholder, self.text, self.meta, self.reason):
            left.addWidget(widget)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.conflict_title)
        right.addLayout(self.conflict_box)
        right.addWidget(self.no_conflicts)
        right.addStretch(1)
        rule = QFrame()
        rule.setObjectName("rule")
        rule.setFixedWidth(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(14)
        layout.addLayout(left, 1)
        layout.addWidget(rule)
        layout.addLayout(right, 1)
        self.rule = rule
        self.show_memory(None)

    def show_memory(self, memory, conflicts: list = ()) -> None:
        self.memory = memory
        self.conflicts = list(conflicts)
        while self.conflict_box.count():
            item = self.conflict_box.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # deleted later: do not let it show through meanwhile
                item.widget().deleteLater()
        shown = memory is not None
        for widget in (self.text, self.meta, self.reason, self.conflict_title, self.rule):
            widget.setVisible(shown)
        self.placeholder.setVisible(not shown)
        self.flag_title.setText(flag_state(memory) if shown else "Flagged memory")
        self.text.setText(speaker_prefix(memory) + memory.text if shown else "")
        if not shown:
            self.no_conflicts.hide()
            return
        self.meta.setText(f"From {origin(memory)}" + (" · pinned" if str(memory.state) == "pinned" else ""))
        self.reason.setText(f"Why: {memory.guard_reason or 'no reason was given.'}")
        self.conflict_title.setText(f"What it disagreed with ({len(self.conflicts)})" if self.conflicts
                                    else "What it disagreed with")
        for other in self.conflicts:
            self.conflict_box.addWidget(_memory_block(other))
        self.no_conflicts.setVisible(not self.conflicts)

    def conflict_texts(self) -> list[str]:
        return [m.text for m in self.conflicts]


class LessonList(QWidget):
    """The guard's lessons, read-only: each sentence in full, then its verdict and date."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = _title("Lessons")
        self.list = memory_list("lessonList")
        self.list.setAccessibleName("Lessons")
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.empty = plain_label(LESSONS_EMPTY, "emptyText", selectable=False)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)

    def set_lessons(self, lessons: list) -> None:
        self.list.clear()
        for lesson in lessons:
            item = QListWidgetItem(lesson_row(lesson))
            item.setData(MEMORY_ROLE, lesson)
            item.setToolTip(short(lesson.text, 400))
            self.list.addItem(item)
        self.title.setText(f"Lessons the guard learnt ({len(lessons)})" if lessons else "Lessons the guard learnt")
        self.list.setVisible(bool(lessons))
        self.empty.setVisible(not lessons)

    def rows(self) -> list:
        return [self.list.item(i).data(MEMORY_ROLE) for i in range(self.list.count())]
