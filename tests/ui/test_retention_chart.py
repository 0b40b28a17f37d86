"""The forgetting-curve chart: it draws the curve it is given, marks now, and the numbers its
caption uses are exact (read from the curve, not from the drawing)."""
from __future__ import annotations

import math

from PySide6.QtGui import QColor

from ui.retention_chart import CURVE, RetentionChart, curve_facts

DAY = 86_400.0
START = 1_777_626_000.0  # 1 May 2026 09:00 UTC


def sawtooth(until_days: float = 40.0, step_days: float = 0.25):
    """Strength 8 days until a recall on day 4, 16 days from then on: R = exp(-age / S)."""
    points = []
    t = 0.0
    while t <= until_days + 1e-9:
        strength, since = (8.0, t) if t < 4 else (16.0, t - 4)
        points.append((START + t * DAY, math.exp(-since / strength)))
        t += step_days
    return points


def count_near(image, color: QColor, tolerance: int = 40) -> int:
    n = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - color.red()) + abs(pixel.green() - color.green())
                    + abs(pixel.blue() - color.blue())) < tolerance:
                n += 1
    return n


def test_facts_are_exact_after_the_last_recall():
    now = START + 10 * DAY
    facts = curve_facts(sawtooth(), now, 0.5, 0.1)
    age = 6.0  # days since the recall
    assert facts.decays
    assert math.isclose(facts.retention, math.exp(-age / 16), rel_tol=1e-9)
    assert math.isclose(facts.days_to_fading, 16 * math.log(2) - age, rel_tol=1e-9)
    assert math.isclose(facts.days_to_forgotten, 16 * math.log(10) - age, rel_tol=1e-9)


def test_a_flat_curve_never_fades():
    facts = curve_facts([(START, 1.0), (START + 30 * DAY, 1.0)], START + DAY, 0.5, 0.1)
    assert not facts.decays and facts.retention == 1.0 and facts.days_to_forgotten is None


def dark_rows(image, x: int, top: int, bottom: int) -> int:
    """Pixels in column x between top and bottom dark enough to be a drawn line, not grid or fill."""
    return sum(1 for y in range(top, bottom) if image.pixelColor(x, y).lightness() < 150)


def test_the_chart_draws_the_curve_and_now_and_clears(qtbot):
    chart = RetentionChart()
    qtbot.addWidget(chart)
    chart.resize(480, 260)
    chart.show()
    assert count_near(chart.grab().toImage(), CURVE) == 0  # nothing selected: only a sentence
    now = START + 10 * DAY
    chart.set_curve(sawtooth(), now, 0.5, 0.1)
    image = chart.grab().toImage()
    assert count_near(image, CURVE) > 100
    # "now" is a vertical line through the empty space above the curve, and only there.
    top, bottom = int(chart.plot_rect().top()) + 2, int(chart.y_of(0.9))
    x = round(chart.x_of(now))
    assert dark_rows(image, x, top, bottom) > (bottom - top) * 0.8
    assert dark_rows(image, x + 40, top, bottom) == 0
    chart.clear()
    assert chart.points == [] and count_near(chart.grab().toImage(), CURVE) == 0
