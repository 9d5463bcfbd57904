"""Coordinates for the small SVG charts that templates draw. Pure Python, no database.

The template draws the SVG itself with presentation attributes and CSS classes (no inline
styles, no script, no chart library), so a chart works under a strict CSP and without
JavaScript. Percentages run from 0 at the bottom to 100 at the top; points are spaced evenly
in the order given (oldest first), so a busy day does not squash its attempts together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Small on purpose: the SVG scales to its box, text and all, so a narrow chart keeps its
# labels readable on a 320 px phone without growing huge on a laptop (CSS caps its width).
WIDTH = 320
HEIGHT = 190
# Room for the percentage labels on the left and the dates underneath.
LEFT, RIGHT, TOP, BOTTOM = 42, 12, 10, 30
GRID = (0, 25, 50, 75, 100)
LABELLED = (0, 50, 100)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    percent: int
    item: Any  # whatever the template needs to label the point (an attempt, say)


@dataclass(frozen=True)
class GridLine:
    y: float
    percent: int
    labelled: bool


@dataclass(frozen=True)
class ScoreChart:
    points: list[ChartPoint]
    gridlines: list[GridLine] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 20

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)

    @property
    def first(self) -> ChartPoint | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> ChartPoint | None:
        return self.points[-1] if self.points else None

    @property
    def best(self) -> int | None:
        return max((p.percent for p in self.points), default=None)


def y_for(percent: float) -> float:
    plot = HEIGHT - TOP - BOTTOM
    clamped = min(max(percent, 0), 100)
    return round(TOP + plot * (100 - clamped) / 100, 1)


def x_for(index: int, count: int) -> float:
    plot = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + plot / 2
    return round(LEFT + plot * index / (count - 1), 1)


def score_chart(scores: Sequence[tuple[float, Any]]) -> ScoreChart:
    """A line chart of (percent, item) pairs, oldest first."""
    count = len(scores)
    points = [
        ChartPoint(x=x_for(i, count), y=y_for(percent), percent=round(percent), item=item)
        for i, (percent, item) in enumerate(scores)
    ]
    gridlines = [GridLine(y=y_for(p), percent=p, labelled=p in LABELLED) for p in GRID]
    return ScoreChart(points=points, gridlines=gridlines)
