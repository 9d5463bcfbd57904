"""The score chart's coordinates (quizzes.charts). Pure: runs without Django too,
`pytest -p no:django tests/test_progress_chart.py`."""

from itertools import pairwise

from quizzes import charts
from quizzes.charts import score_chart


def test_100_percent_is_at_the_top_and_0_at_the_bottom():
    chart = score_chart([(0, "a"), (100, "b")])
    low, high = chart.points
    assert high.y == charts.TOP
    assert low.y == charts.HEIGHT - charts.BOTTOM == chart.bottom_edge
    assert high.y < low.y


def test_points_are_spaced_evenly_from_the_left_edge_to_the_right():
    chart = score_chart([(50, n) for n in range(5)])
    xs = [p.x for p in chart.points]
    assert xs[0] == chart.left and xs[-1] == chart.right_edge
    gaps = {round(b - a, 1) for a, b in pairwise(xs)}
    assert len(gaps) == 1


def test_one_point_sits_in_the_middle():
    (point,) = score_chart([(75, "only")]).points
    assert point.x == (charts.LEFT + charts.WIDTH - charts.RIGHT) / 2
    assert point.item == "only" and point.percent == 75


def test_it_keeps_every_point_inside_the_plot():
    chart = score_chart([(-5, 0), (130, 1), (66.6, 2)])
    assert [p.percent for p in chart.points] == [-5, 130, 67]
    assert all(charts.TOP <= p.y <= chart.bottom_edge for p in chart.points)


def test_the_polyline_joins_the_points_in_order():
    chart = score_chart([(0, 0), (50, 1)])
    first, second = chart.points
    assert chart.polyline == f"{first.x:g},{first.y:g} {second.x:g},{second.y:g}"


def test_gridlines_every_quarter_with_labels_at_0_50_100():
    chart = score_chart([(40, 0)])
    assert [g.percent for g in chart.gridlines] == [0, 25, 50, 75, 100]
    assert [g.percent for g in chart.gridlines if g.labelled] == [0, 50, 100]


def test_it_knows_the_first_last_and_best():
    chart = score_chart([(40, "a"), (90, "b"), (70, "c")])
    assert (chart.first.item, chart.last.item, chart.best) == ("a", "c", 90)
    empty = score_chart([])
    assert (empty.first, empty.last, empty.best, empty.polyline) == (None, None, None, "")


def test_a_date_axis_names_the_first_and_last_day_once_each():
    from datetime import date

    days = [date(2026, 12, 1), date(2026, 12, 6)]
    chart = score_chart([(50, "a"), (60, "b")], days)
    assert [(d.text, d.anchor) for d in chart.dates] == [("1 Dec", "start"), ("6 Dec", "end")]
    same_day = score_chart([(50, "a"), (60, "b")], [date(2026, 12, 6)] * 2)
    assert [(d.text, d.anchor) for d in same_day.dates] == [("6 Dec", "middle")]
    assert same_day.dates[0].x == (charts.LEFT + charts.WIDTH - charts.RIGHT) / 2


def test_quiz_charts_draw_one_titled_line_per_quiz_the_latest_taken_first():
    from datetime import date

    attempts = [("q1", 40), ("q2", 50), ("q1", 60), ("q3", 70), ("q2", 80)]
    scores = [(percent, (quiz, n)) for n, (quiz, percent) in enumerate(attempts)]
    drawn = charts.quiz_charts(
        scores,
        key=lambda item: item[0],
        title=lambda item: f"Quiz {item[0]}",
        day=lambda item: date(2026, 12, 1 + item[1]),
    )
    assert [c.title for c in drawn] == ["Quiz q2", "Quiz q3", "Quiz q1"]
    assert [[p.percent for p in c.points] for c in drawn] == [[50, 80], [70], [40, 60]]
    assert [d.text for d in drawn[0].dates] == ["2 Dec", "5 Dec"]
