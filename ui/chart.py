"""A small line chart drawn with QPainter: measured values over time against target lines.

Drawn by hand rather than with QtCharts, which would add the PySide6-Addons wheel for one picture.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from models import fmt
from models.i18n import _

VALUE_COLOR = QColor("#1f5fa8")
TARGET_COLOR = QColor("#c0392b")
AIM_COLOR = QColor("#7f8c8d")


def spread_labels(wanted: list[tuple[float, float, float]], height: float, gap: float = 8) -> list[float]:
    """Left edges for labels, each wanted at (left, top) and `width` wide, `height` tall: a label that would cover
    one placed before it moves right, past it — targets of nearby values keep every label readable, each on its
    own line's height."""
    placed: list[tuple[float, float, float]] = []  # left, top, right
    lefts = []
    for left, top, width in wanted:
        moved = True
        while moved:
            moved = False
            for p_left, p_top, p_right in placed:
                if abs(top - p_top) < height and left < p_right and p_left < left + width:
                    left, moved = p_right + gap, True
        placed.append((left, top, left + width))
        lefts.append(left)
    return lefts


class LineChart(QWidget):
    """Points (ISO date, value), optional targets (label, value) as dashed lines, optional aim line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.points: list[tuple[str, float]] = []
        self.targets: list[tuple[str, float]] = []
        self.aim: tuple[tuple[str, float], tuple[str, float]] | None = None
        self.title = ""
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, points, targets=(), title: str = "", aim=None) -> None:
        self.points, self.targets, self.title, self.aim = list(points), list(targets), title, aim
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        if self.title:
            painter.drawText(
                QRectF(8, 4, self.width() - 16, metrics.height()), Qt.AlignmentFlag.AlignLeft, self.title
            )
        if not self.points and not self.targets:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No values yet"))
            return
        values = [v for _d, v in self.points] + [v for _l, v in self.targets]
        if self.aim:
            values += [self.aim[0][1], self.aim[1][1]]
        low, high = min(values), max(values)
        if high == low:
            low, high = low - 1, high + 1
        pad = (high - low) * 0.1
        low, high = low - pad, high + pad
        left, top = metrics.horizontalAdvance("00000") + 14, metrics.height() + 12
        plot = QRectF(left, top, self.width() - left - 16, self.height() - top - metrics.height() - 14)
        days = [dt.date.fromisoformat(d).toordinal() for d, _v in self.points]
        if self.aim:
            days += [
                dt.date.fromisoformat(self.aim[0][0]).toordinal(),
                dt.date.fromisoformat(self.aim[1][0]).toordinal(),
            ]
        first, last = (min(days), max(days)) if days else (0, 1)
        if first == last:
            first, last = first - 15, last + 15

        def x(day: str) -> float:
            return plot.left() + plot.width() * (dt.date.fromisoformat(day).toordinal() - first) / (
                last - first
            )

        def y(value: float) -> float:
            return plot.bottom() - plot.height() * (value - low) / (high - low)

        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawRect(plot)
        for i in range(5):  # value grid and labels
            value = low + (high - low) * i / 4
            painter.drawText(
                QRectF(0, y(value) - metrics.height() / 2, left - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight,
                fmt.format_number(value, 1),
            )
        painter.setPen(QPen(TARGET_COLOR, 1.5, Qt.PenStyle.DashLine))
        for _label, value in self.targets:  # the lines first: no line then crosses a label
            painter.drawLine(QPointF(plot.left(), y(value)), QPointF(plot.right(), y(value)))
        wanted = [(plot.left() + 4, y(v) - 3, metrics.horizontalAdvance(label)) for label, v in self.targets]
        for (label, value), label_left in zip(self.targets, spread_labels(wanted, metrics.height())):
            baseline = y(value) - 3
            box = QRectF(label_left - 2, baseline - metrics.ascent(), metrics.horizontalAdvance(label) + 4,
                         metrics.ascent() + 1)
            painter.fillRect(box, self.palette().base())
            painter.drawText(QPointF(label_left, baseline), label)
        if self.aim:
            painter.setPen(QPen(AIM_COLOR, 1.5, Qt.PenStyle.DotLine))
            (d0, v0), (d1, v1) = self.aim
            painter.drawLine(QPointF(x(d0), y(v0)), QPointF(x(d1), y(v1)))
        if self.points:
            painter.setPen(QPen(VALUE_COLOR, 2))
            dots = [QPointF(x(d), y(v)) for d, v in self.points]
            for a, b in zip(dots, dots[1:]):
                painter.drawLine(a, b)
            painter.setBrush(VALUE_COLOR)
            for (_day, v), dot in zip(self.points, dots):
                painter.drawEllipse(dot, 3.5, 3.5)
                text = fmt.format_number(v, 1)
                width = metrics.horizontalAdvance(text)
                if dot.x() + 5 + width <= self.width() - 2:  # above right of its dot
                    painter.drawText(QPointF(dot.x() + 5, dot.y() - 5), text)
                else:  # at the right edge: below left of it, clear of a neighbour's label above
                    painter.drawText(QPointF(dot.x() - 3 - width, dot.y() + metrics.ascent() + 3), text)
            painter.setPen(self.palette().text().color())
            shown = {self.points[0][0], self.points[-1][0]}
            for d in sorted(shown):
                text = fmt.format_date(d)
                painter.drawText(
                    QPointF(
                        min(x(d), plot.right() - metrics.horizontalAdvance(text)),
                        plot.bottom() + metrics.height() + 2,
                    ),
                    text,
                )
        painter.end()
