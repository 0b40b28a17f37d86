"""The forgetting curve of one memory, drawn with QPainter: retention (0-100%) over time from
its capture to some days ahead, recalls showing as resets (a saw-tooth), the fading and
forgetting thresholds as dashed lines, and "now" marked. The past is drawn solid, the
projection (if the memory is never recalled again) dashed.

`curve_facts` reads the numbers a caption needs from the same points."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .theme import themed

DAY = 86_400.0
CURVE = QColor("#4b55d6")
FILL = QColor(75, 85, 214, 30)
FADING = QColor("#c98a00")
FORGOTTEN = QColor("#c0392b")
NOW = QColor("#2b2e3a")
GRID = QColor("#eceef4")
AXIS_TEXT = QColor("#6b7084")
DAY_STEPS = (1, 2, 3, 5, 7, 14, 30, 61, 91, 182, 365)


@dataclass(frozen=True)
class CurveFacts:
    retention: float  # now
    decays: bool  # False: a flat curve (pinned, summaries)
    days_to_fading: float | None  # None: never (or not decaying); 0: already below
    days_to_forgotten: float | None


def curve_facts(points: list[tuple[float, float]], now: float, fading_below: float,
                forget_below: float) -> CurveFacts:
    """Retention now and the days until each threshold, from the curve alone. After the last
    recall the curve is R = exp(-t/S), so ln R is a straight line through the last two points:
    the numbers are exact, not read off the drawing."""
    if len(points) < 2:
        return CurveFacts(1.0, False, None, None)
    (t1, r1), (t2, r2) = points[-2], points[-1]
    if r1 <= 0 or r2 <= 0 or t2 <= t1 or r2 >= r1:
        return CurveFacts(r2 if r2 > 0 else 0.0, False, None, None)
    slope = (math.log(r2) - math.log(r1)) / (t2 - t1)  # per second, negative
    kept = min(1.0, r2 * math.exp(slope * (now - t2)))

    def days_to(threshold: float) -> float:
        if kept <= threshold:
            return 0.0
        return math.log(threshold / kept) / slope / DAY

    return CurveFacts(kept, True, days_to(fading_below), days_to(forget_below) if forget_below > 0 else None)


class RetentionChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("retentionChart")
        self.setMinimumSize(260, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.points: list[tuple[float, float]] = []
        self.now: float | None = None
        self.fading_below = 0.5
        self.forget_below = 0.1
        self.message = "Select a memory to see its forgetting curve."

    # ------------------------------------------------------------------ data
    def set_curve(self, points: list[tuple[float, float]], now: float, fading_below: float,
                  forget_below: float) -> None:
        self.points = [(float(t), float(r)) for t, r in points]
        self.now = float(now)
        self.fading_below = fading_below
        self.forget_below = forget_below
        self.setToolTip("How well Mnemo remembers this memory over time. Solid: so far; dashed: from now on, "
                        "if it is never used in an answer again.")
        self.update()

    def clear(self, message: str = "Select a memory to see its forgetting curve.") -> None:
        self.points = []
        self.now = None
        self.message = message
        self.setToolTip("")
        self.update()

    # ------------------------------------------------------------------ geometry
    def plot_rect(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("100%") + 12
        return QRectF(left, metrics.height() + 4, self.width() - left - 10,
                      self.height() - 2 * metrics.height() - 14)

    def span(self) -> tuple[float, float]:
        start, end = self.points[0][0], self.points[-1][0]
        return start, (end if end > start else start + DAY)

    def x_of(self, t: float) -> float:
        rect, (start, end) = self.plot_rect(), self.span()
        return rect.left() + (t - start) / (end - start) * rect.width()

    def y_of(self, r: float) -> float:
        rect = self.plot_rect()
        return rect.bottom() - max(0.0, min(1.0, r)) * rect.height()

    # ------------------------------------------------------------------ painting
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.points:
            painter.setPen(themed(AXIS_TEXT))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        self._grid(painter)
        self._days(painter)
        self._threshold(painter, self.fading_below, themed(FADING), "fading")
        self._threshold(painter, self.forget_below, themed(FORGOTTEN), "forgotten")
        self._curve(painter)
        self._now(painter)

    def _grid(self, painter: QPainter) -> None:
        rect, metrics = self.plot_rect(), self.fontMetrics()
        for step in range(5):
            r = step / 4
            y = self.y_of(r)
            painter.setPen(QPen(themed(GRID), 1))
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(themed(AXIS_TEXT))
            label = QRectF(0, y - metrics.height() / 2, rect.left() - 6, metrics.height())
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{step * 25}%")

    def _days(self, painter: QPainter) -> None:
        """Date labels at local midnights, as many as fit."""
        rect, metrics = self.plot_rect(), self.fontMetrics()
        start, end = self.span()
        fits = max(1, int(rect.width() // (metrics.horizontalAdvance("30 Sep") + 18)))
        step = next((s for s in DAY_STEPS if (end - start) / DAY / s <= fits), DAY_STEPS[-1])
        day = datetime.fromtimestamp(start).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        while day.timestamp() <= end:
            x = self.x_of(day.timestamp())
            painter.setPen(QPen(themed(GRID), 1))
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
            painter.setPen(themed(AXIS_TEXT))
            text = f"{day.day} {day.strftime('%b')}"
            width = metrics.horizontalAdvance(text)
            left = min(max(x - width / 2, rect.left() - 6), self.width() - width - 2)  # never cut off
            painter.drawText(QPointF(left, rect.bottom() + metrics.ascent() + 4), text)
            day += timedelta(days=step)

    def _threshold(self, painter: QPainter, value: float, color: QColor, name: str) -> None:
        rect, y = self.plot_rect(), self.y_of(value)
        pen = QPen(color, 1.2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        text = f"{name} below {round(value * 100)}%"
        width = painter.fontMetrics().horizontalAdvance(text)
        painter.drawText(QPointF(rect.right() - width - 4, y - 4), text)
        painter.setFont(self.font())

    def _path(self) -> QPainterPath:
        """The curve; a recall (retention going up) is drawn as a vertical reset."""
        path = QPainterPath(QPointF(self.x_of(self.points[0][0]), self.y_of(self.points[0][1])))
        previous = self.points[0][1]
        for t, r in self.points[1:]:
            x = self.x_of(t)
            if r > previous + 1e-9:
                path.lineTo(QPointF(x, self.y_of(previous)))
            path.lineTo(QPointF(x, self.y_of(r)))
            previous = r
        return path

    def _curve(self, painter: QPainter) -> None:
        rect, path = self.plot_rect(), self._path()
        now_x = self.x_of(self.now) if self.now is not None else rect.right()
        area = QPainterPath(path)
        area.lineTo(QPointF(self.x_of(self.points[-1][0]), rect.bottom()))
        area.lineTo(QPointF(self.x_of(self.points[0][0]), rect.bottom()))
        area.closeSubpath()
        painter.save()
        painter.setClipRect(QRectF(rect.left(), 0, now_x - rect.left(), self.height()))
        painter.fillPath(area, FILL)
        painter.strokePath(path, QPen(themed(CURVE), 2.2))
        painter.setClipRect(QRectF(now_x, 0, self.width() - now_x, self.height()))
        painter.strokePath(path, QPen(themed(CURVE), 1.8, Qt.PenStyle.DashLine))
        painter.restore()

    def _now(self, painter: QPainter) -> None:
        if self.now is None:
            return
        rect, metrics = self.plot_rect(), self.fontMetrics()
        x = round(self.x_of(self.now)) + 0.5  # a crisp one-pixel line
        painter.setPen(QPen(themed(NOW), 1))
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        text = "now"
        width = metrics.horizontalAdvance(text)
        painter.drawText(QPointF(min(max(x - width / 2, 0), self.width() - width), rect.top() - 5), text)
        facts = curve_facts(self.points, self.now, self.fading_below, self.forget_below)
        painter.setPen(QPen(themed(QColor("#ffffff")), 2))
        painter.setBrush(themed(CURVE))
        painter.drawEllipse(QPointF(x, self.y_of(facts.retention)), 4.5, 4.5)
