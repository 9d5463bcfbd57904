"""Coordinates for the small SVG charts that templates draw. Pure Python, no database.

The template draws the SVG itself with presentation attributes and CSS classes (no inline
styles, no script, no chart library), so a chart works under a strict CSP and without
JavaScript. Percentages run from 0 at the bottom to 100 at the top; points are spaced evenly
in the order given (oldest first), so a busy day does not squash its attempts together.

My progress draws one small chart per quiz (small multiples, `quiz_charts`), each under its
quiz's name: one line per quiz, without a colour legend to decode.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
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
class AxisLabel:
    x: float
    text: str
    anchor: str  # SVG text-anchor: "start", "middle" or "end"


@dataclass(frozen=True)
class ScoreChart:
    points: list[ChartPoint]
    gridlines: list[GridLine] = field(default_factory=list)
    dates: list[AxisLabel] = field(default_factory=list)
    title: str = ""
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


def day_label(day: date) -> str:
    return f"{day.day} {day:%b}"  # "6 Dec", in English whatever the locale


def date_axis(points: Sequence[ChartPoint], days: Sequence[date]) -> list[AxisLabel]:
    """The first and the last day under their points; one label, never "6 Dec ... 6 Dec",
    when the attempts all fell on one day."""
    if not points:
        return []
    if len(points) == 1 or days[0] == days[-1]:
        middle = (points[0].x + points[-1].x) / 2
        return [AxisLabel(round(middle, 1), day_label(days[0]), "middle")]
    return [
        AxisLabel(points[0].x, day_label(days[0]), "start"),
        AxisLabel(points[-1].x, day_label(days[-1]), "end"),
    ]


def score_chart(
    scores: Sequence[tuple[float, Any]], days: Sequence[date] = (), title: str = ""
) -> ScoreChart:
    """A line chart of (percent, item) pairs, oldest first, the `days` they fell on under it."""
    count = len(scores)
    points = [
        ChartPoint(x=x_for(i, count), y=y_for(percent), percent=round(percent), item=item)
        for i, (percent, item) in enumerate(scores)
    ]
    gridlines = [GridLine(y=y_for(p), percent=p, labelled=p in LABELLED) for p in GRID]
    dates = date_axis(points, days) if days else []
    return ScoreChart(points=points, gridlines=gridlines, dates=dates, title=title)


def quiz_charts(
    scores: Sequence[tuple[float, Any]],
    *,
    key: Callable[[Any], Hashable],
    title: Callable[[Any], str],
    day: Callable[[Any], date],
) -> list[ScoreChart]:
    """One chart per quiz (`key` of an item), the quiz last taken first, each of its own
    (percent, item) pairs oldest first."""
    groups: dict[Hashable, list[tuple[float, Any]]] = {}
    latest: dict[Hashable, int] = {}
    for index, (percent, item) in enumerate(scores):
        groups.setdefault(key(item), []).append((percent, item))
        latest[key(item)] = index
    ordered = [groups[k] for k in sorted(groups, key=latest.__getitem__, reverse=True)]
    return [
        score_chart(group, [day(item) for _, item in group], title(group[0][1]))
        for group in ordered
    ]
