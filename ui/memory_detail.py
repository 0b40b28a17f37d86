"""The detail pane of the memories view: a memory's full text and facts; for a fact, the
memories it came from (click one to open it) and how long it held. Its buttons (Edit…, Restore,
Pin, Delete) act on what is selected, one memory or several ("Delete 3"), and are disabled,
not hidden, while they have nothing to act on."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .display import kind_name, short, source_name, speaker_prefix, when_text
from .memory_list_panel import MEMORY_ROLE, memory_list, row_text

STATE_NAMES = {
    "active": "active",
    "pinned": "pinned — kept from fading",
    "fading": "fading",
    "forgotten": "forgotten",
    "quarantined": "quarantined by the guard",
    "deleted": "deleted",
}


def _value(name: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


IMPORTANCE_CHOICES = [("Low", 0.2), ("Normal", 0.5), ("High", 0.85), ("Highest", 0.95)]


def importance_text(memory) -> str:
    value = float(memory.importance)
    word = min(IMPORTANCE_CHOICES, key=lambda c: abs(c[1] - value))[0].lower()
    return f"{word} ({value:.2f}) — {memory.importance_reason}" if memory.importance_reason else f"{word} ({value:.2f})"


def validity_text(memory) -> str:
    if memory.kind != "fact":
        return ""
    since = f"since {when_text(memory.valid_from)}" if memory.valid_from is not None else ""
    if memory.valid_until is not None:
        return f"{since} until {when_text(memory.valid_until)} (a newer statement replaced it)".strip()
    return since


def sources_text(memory, shown: int | None = None) -> str:
    """A fact's "From" line: how many memories said it (`shown`: how many are listed)."""
    if memory.kind != "fact" or not memory.links:
        return ""
    n = len(memory.links) if shown is None else shown
    if n == 0:
        return "the memories that said it are no longer kept"
    return f"{n} memor{'y' if n == 1 else 'ies'} that said it" + (" (click one to open it):" if shown else "")


EDIT_TIPS = {
    "fact": "A fact follows the memories it came from: edit one of those (listed under From)",
    "day_summary": "Mnemo writes the day summaries from the day's memories: edit those instead",
    "global_summary": "Mnemo writes the overview from the day summaries: edit the memories instead",
    "portrait": "Correct your portrait in the Summaries tab (Ctrl+3)",
    "lesson": "A lesson is the guard's own record: release the memory in the Guard tab instead",
}


def edit_refusal(memory) -> str:
    """Why this memory cannot be edited here ("" when it can)."""
    if memory.kind in EDIT_TIPS:
        return EDIT_TIPS[memory.kind]
    return "Bring it back first (Restore)" if memory.state == "deleted" else ""


def counted(verb: str, n: int, many: bool) -> str:
    """A button's text: "Delete", or "Delete 3" while several memories are selected."""
    return f"{verb} {n}" if many else verb


def source_meta(memory) -> str:
    state = "" if memory.state == "active" else f" · {memory.state}"
    return f"{when_text(memory.when)} · {kind_name(memory.kind)}{state}"


def _button(text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text)
    button.clicked.connect(slot)
    button.setEnabled(False)
    return button


class MemoryDetail(QFrame):
    # each: the selected memories the button acts on
    pin_requested = Signal(list)
    unpin_requested = Signal(list)
    delete_requested = Signal(list)
    restore_requested = Signal(list)  # forgotten, fading or deleted ones
    edit_requested = Signal(object)  # the one memory selected
    importance_requested = Signal(str, float)  # (id, new importance)
    source_chosen = Signal(object)  # a fact's source memory, clicked: open it
    memory_shown = Signal(object)  # a memory is shown now (its view reads a fact's sources then)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.memory = None  # the memory shown in full (one selected, or opened from elsewhere)
        self.selection: list = []  # what the buttons act on

        self.empty = QLabel("Select a memory to read it.")
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.text = _value("detailText")
        scroll = QScrollArea()
        scroll.setObjectName("detailScroll")
        scroll.setAccessibleName("The selected memory")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        holder.setObjectName("detailHolder")
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.text)
        holder_layout.addStretch(1)
        scroll.setWidget(holder)

        self.sources = memory_list("factSources")  # a fact's sources, under its "From" row
        self.sources.setAccessibleName("Memories this fact came from")
        self.sources.setToolTip("The memories that said it: click one to open it")
        self.sources.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.sources.setMaximumHeight(170)
        self.sources.itemClicked.connect(self._source_clicked)
        self.sources.itemActivated.connect(self._source_clicked)

        self.fields: dict[str, QLabel] = {}
        self.form_box = QWidget()
        form = QFormLayout(self.form_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(4)
        for key, title in (("source", "Source"), ("created", "Created"), ("event", "Happened"),
                           ("state", "State"), ("kind", "Kind"), ("valid", "Holds"), ("sources", "From"),
                           ("importance", "Importance"), ("recalls", "Recalled"), ("reason", "Found because"),
                           ("id", "Id")):
            name = QLabel(title)
            name.setObjectName("fieldName")
            self.fields[key] = _value(f"field_{key}")
            form.addRow(name, self.fields[key])
            if key == "sources":
                form.addRow(self.sources)
            if key == "importance":  # the box that changes it, under what it is and why
                form.addRow(QLabel(""), self._importance_box())
        self.form = form

        self.edit_button = _button("Edit…", "editButton", self._edit_clicked)
        self.edit_button.setToolTip("Change what this memory says (F2)")
        self.restore_button = _button("Restore", "restoreButton", lambda: self._emit(self.restore_requested,
                                                                                    self._restorable()))
        self.restore_button.setToolTip("Bring back what was forgotten or deleted")
        self.pin_button = _button("Pin", "pinButton", self._pin_clicked)
        self.pin_button.setToolTip("Pinned memories never fade")
        self.delete_button = _button("Delete", "danger", lambda: self._emit(self.delete_requested, self.live()))
        self.delete_button.setToolTip("Delete (Del); Ctrl+Z brings it back")
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.pin_button)
        buttons.addWidget(self.delete_button)

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(10)
        content_layout.addWidget(scroll, 1)
        content_layout.addWidget(self.form_box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.content, 1)
        layout.addLayout(buttons)
        self.show_memory(None)

    def _importance_box(self) -> QWidget:
        self.importance = QComboBox()
        self.importance.setObjectName("importanceChoice")
        self.importance.setAccessibleName("Importance")
        self.importance.setToolTip("How long it is kept unless it is used: more important memories are kept longer")
        for title, value in IMPORTANCE_CHOICES:
            self.importance.addItem(f"Importance: {title}", value)
        self.importance.activated.connect(self._importance_chosen)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.importance)
        row.addStretch(1)
        return holder

    def show_memory(self, memory, reason: str = "") -> None:
        # The same fact shown again (the list was refreshed): its sources stay until the new ones arrive.
        keep_sources = (memory is not None and self.memory is not None and memory.id == self.memory.id
                        and self.sources.count() > 0)
        self.memory = memory
        self.selection = [memory] if memory is not None else []
        self.empty.setVisible(memory is None)
        self.content.setVisible(memory is not None)
        self._update_buttons()
        if memory is None:
            return
        self.form_box.show()
        self.text.setText(speaker_prefix(memory) + memory.text)
        values = {
            "source": source_name(memory.source),
            "created": when_text(memory.created_at),
            "event": when_text(memory.event_at) if memory.event_at is not None else "",
            "state": STATE_NAMES.get(str(memory.state), str(memory.state)),
            "kind": kind_name(memory.kind),
            "valid": validity_text(memory),
            "sources": sources_text(memory),
            "importance": importance_text(memory),
            "recalls": f"{memory.recall_count} time{'s' if memory.recall_count != 1 else ''}"
                       + (f", last {when_text(memory.last_recalled_at)}" if memory.last_recalled_at else ""),
            "reason": reason,
            "id": memory.id,
        }
        if keep_sources:
            del values["sources"]
        else:
            self.sources.clear()
            self.form.setRowVisible(self.sources, False)
        for key, value in values.items():
            self.fields[key].setText(value)
            self.form.setRowVisible(self.fields[key], bool(value))
        nearest = min(range(len(IMPORTANCE_CHOICES)), key=lambda i: abs(IMPORTANCE_CHOICES[i][1] - memory.importance))
        self.importance.setCurrentIndex(nearest)
        self.memory_shown.emit(memory)

    def show_many(self, memories: list) -> None:
        """Several memories selected: what they are, and buttons that act on all of them."""
        if len(memories) < 2:
            self.show_memory(memories[0] if memories else None)
            return
        self.memory = None
        self.selection = list(memories)
        self.empty.hide()
        self.content.show()
        self.form_box.hide()
        lines = [f"• {short(speaker_prefix(m) + m.text, 80)}" for m in memories[:8]]
        more = f"\n… and {len(memories) - 8} more" if len(memories) > 8 else ""
        self.text.setText(f"{len(memories)} memories selected:\n" + "\n".join(lines) + more)
        self._update_buttons()

    # ------------------------------------------------------------------ the buttons
    def live(self) -> list:
        return [m for m in self.selection if m.state != "deleted"]

    def _restorable(self) -> list:
        return [m for m in self.selection if m.state in ("forgotten", "fading", "deleted")]

    def _update_buttons(self) -> None:
        many = len(self.selection) > 1
        live, restorable = self.live(), self._restorable()
        pinnable = [m for m in live if m.state != "pinned"]
        unpin = bool(live) and not pinnable
        pin_text = counted("Unpin" if unpin else "Pin", len(live if unpin else pinnable), many)
        self._set(self.pin_button, pin_text, bool(live))
        self.pin_button.setToolTip("Let it fade like the others" if unpin else "Pinned memories never fade")
        self._set(self.delete_button, counted("Delete", len(live), many), bool(live))
        self._set(self.restore_button, counted("Restore", len(restorable), many), bool(restorable))
        self.restore_button.setVisible(bool(restorable))
        single = self.selection[0] if len(self.selection) == 1 else None
        why = edit_refusal(single) if single is not None else ("Select one memory to edit it" if many else "")
        self.edit_button.setEnabled(single is not None and not why)
        self.edit_button.setToolTip(why or "Change what this memory says (F2)")
        self.importance.setEnabled(single is not None and single.state != "deleted"
                                   and single.kind in ("note", "turn", "fact"))

    @staticmethod
    def _set(button: QPushButton, text: str, enabled: bool) -> None:
        button.setText(text)
        button.setAccessibleName(text)
        button.setEnabled(enabled)

    def _emit(self, signal, memories: list) -> None:
        if memories:
            signal.emit(memories)

    def show_sources(self, memories: list) -> None:
        """The memories the fact shown came from (the view reads them in a worker), oldest first."""
        if self.memory is None or self.memory.kind != "fact":
            return
        self.sources.clear()
        for memory in sorted(memories, key=lambda m: m.when):
            item = QListWidgetItem(row_text(memory, source_meta(memory)))
            item.setData(MEMORY_ROLE, memory)
            item.setToolTip(f"Open this {kind_name(memory.kind)}")
            self.sources.addItem(item)
        self.form.setRowVisible(self.sources, bool(memories))
        self.fields["sources"].setText(sources_text(self.memory, len(memories)))
        self.form.setRowVisible(self.fields["sources"], True)

    def source_rows(self) -> list:
        return [self.sources.item(i).data(MEMORY_ROLE) for i in range(self.sources.count())]

    def _source_clicked(self, item) -> None:
        if item is not None:
            self.source_chosen.emit(item.data(MEMORY_ROLE))

    def _importance_chosen(self, index: int) -> None:
        if self.memory is not None:
            self.importance_requested.emit(self.memory.id, float(self.importance.itemData(index)))

    def _pin_clicked(self) -> None:
        live = self.live()
        pinnable = [m for m in live if m.state != "pinned"]
        if pinnable:
            self.pin_requested.emit(pinnable)
        elif live:
            self.unpin_requested.emit(live)

    def _edit_clicked(self) -> None:
        if len(self.selection) == 1 and not edit_refusal(self.selection[0]):
            self.edit_requested.emit(self.selection[0])
