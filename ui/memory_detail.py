"""The detail pane of the memories view: a memory's full text and facts, Pin and Delete; for a
fact, the memories it came from (click one to open it) and how long it held."""
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

from .display import kind_name, source_name, speaker_prefix, when_text
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


def source_meta(memory) -> str:
    state = "" if memory.state == "active" else f" · {memory.state}"
    return f"{when_text(memory.when)} · {kind_name(memory.kind)}{state}"


class MemoryDetail(QFrame):
    pin_requested = Signal(str)
    unpin_requested = Signal(str)
    delete_requested = Signal(str)
    restore_requested = Signal(str)
    importance_requested = Signal(str, float)  # (id, new importance)
    source_chosen = Signal(object)  # a fact's source memory, clicked: open it
    memory_shown = Signal(object)  # a memory is shown now (its view reads a fact's sources then)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.memory = None

        self.empty = QLabel("Select a memory to read it.")
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.text = _value("detailText")
        scroll = QScrollArea()
        scroll.setObjectName("detailScroll")
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
        form = QFormLayout()
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
        self.form = form

        self.importance = QComboBox()
        self.importance.setObjectName("importanceChoice")
        self.importance.setAccessibleName("Importance")
        self.importance.setToolTip("How long it is kept unless it is used: more important memories are kept longer")
        for title, value in IMPORTANCE_CHOICES:
            self.importance.addItem(f"Importance: {title}", value)
        self.importance.activated.connect(self._importance_chosen)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setToolTip("Bring this forgotten memory back into answers")
        self.restore_button.clicked.connect(lambda: self.memory and self.restore_requested.emit(self.memory.id))
        self.pin_button = QPushButton("Pin")
        self.pin_button.setToolTip("Pinned memories never fade")
        self.pin_button.clicked.connect(self._pin_clicked)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("danger")
        self.delete_button.setToolTip("Delete this memory (you can undo right after)")
        self.delete_button.clicked.connect(lambda: self.memory and self.delete_requested.emit(self.memory.id))
        buttons = QHBoxLayout()
        buttons.addWidget(self.importance)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.pin_button)
        buttons.addWidget(self.delete_button)

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(10)
        content_layout.addWidget(scroll, 1)
        content_layout.addLayout(form)
        content_layout.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.content, 1)
        self.show_memory(None)

    def show_memory(self, memory, reason: str = "") -> None:
        # The same fact shown again (the list was refreshed): its sources stay until the new ones arrive.
        keep_sources = (memory is not None and self.memory is not None and memory.id == self.memory.id
                        and self.sources.count() > 0)
        self.memory = memory
        self.empty.setVisible(memory is None)
        self.content.setVisible(memory is not None)
        if memory is None:
            return
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
        pinned = memory.state == "pinned"
        self.pin_button.setText("Unpin" if pinned else "Pin")
        self.pin_button.setToolTip("Let this memory fade like the others" if pinned else "Pinned memories never fade")
        self.pin_button.setEnabled(memory.state != "deleted")
        self.delete_button.setEnabled(memory.state != "deleted")
        self.restore_button.setVisible(memory.state in ("forgotten", "fading"))
        nearest = min(range(len(IMPORTANCE_CHOICES)), key=lambda i: abs(IMPORTANCE_CHOICES[i][1] - memory.importance))
        self.importance.setCurrentIndex(nearest)
        self.importance.setEnabled(memory.state != "deleted" and memory.kind in ("note", "turn", "fact"))
        self.memory_shown.emit(memory)

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
        if self.memory is None:
            return
        if self.memory.state == "pinned":
            self.unpin_requested.emit(self.memory.id)
        else:
            self.pin_requested.emit(self.memory.id)
