"""A list row drawn as lines of text: optionally the first line bold (a title, e.g. a day)
and the last line muted (facts, e.g. "kept 63% · forgotten in 8 days"). Lines wrap to the
list's width. The row's background, selection and divider still come from the style sheet."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QListWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from .theme import themed

MUTED = QColor("#6b7084")
TEXT = QColor("#2b2e3a")
PAD_V, PAD_RIGHT, GAP = 7, 6, 2  # the vertical padding matches style.qss (list ::item)


class RowDelegate(QStyledItemDelegate):
    def __init__(self, view: QListWidget, title: bool = False, meta: bool = True):
        super().__init__(view)
        self.view = view
        self.title = title
        self.meta = meta

    def _lines(self, index) -> list[tuple[str, QFont, QColor]]:
        lines = str(index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n")
        base = self.view.font()
        bold = QFont(base)
        bold.setBold(True)
        styled = []
        for i, line in enumerate(lines):
            if self.title and i == 0:
                styled.append((line, bold, TEXT))
            elif self.meta and i == len(lines) - 1 and len(lines) > 1:
                styled.append((line, base, MUTED))
            else:
                styled.append((line, base, TEXT))
        return styled

    def _width(self) -> int:
        return max(80, self.view.viewport().width() - PAD_RIGHT)

    def _heights(self, index, width: int) -> list[int]:
        flags = int(Qt.TextFlag.TextWordWrap)
        return [QFontMetrics(font).boundingRect(QRect(0, 0, width, 10_000), flags, text or " ").height()
                for text, font, _ in self._lines(index)]

    def sizeHint(self, option, index) -> QSize:
        heights = self._heights(index, self._width())
        return QSize(self._width(), 2 * PAD_V + sum(heights) + GAP * (len(heights) - 1))

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget or self.view
        widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        width = opt.rect.width() - PAD_RIGHT
        y = opt.rect.top() + PAD_V
        painter.save()
        for (text, font, color), height in zip(self._lines(index), self._heights(index, width)):
            painter.setFont(font)
            painter.setPen(themed(color))
            painter.drawText(QRect(opt.rect.left(), y, width, height), int(Qt.TextFlag.TextWordWrap), text)
            y += height + GAP
        painter.restore()
