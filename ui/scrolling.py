"""A column that scrolls up and down when the window is too short for it, and is never
narrower than its content (so nothing is cut off at the side)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStyle, QWidget


def scrolling_column(content: QWidget, name: str = "") -> QScrollArea:
    """`name`: what the column holds, for screen readers (it takes the keyboard to scroll)."""
    area = QScrollArea()
    area.setObjectName("cardScroll")
    area.setAccessibleName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    bar = area.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    area.setMinimumWidth(content.minimumSizeHint().width() + bar + 2)
    return area
