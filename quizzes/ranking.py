"""The leaderboards' rules, in plain Python (no Django, no database): points, ties, the week,
what one viewer sees of a board, and the scopes a board's points add up from.

The rules, the same on every board (and stated on the class page):

- Points come from right answers. A question earns its points once per student, the first time
  it is answered right (`QuestionProgress.points`), so repeating a quiz cannot farm points.
- This week: points for questions answered right for the first time since Monday 00:00 (in
  settings.TIME_ZONE, which the callers pass in). All time: every question's points. A quiz:
  the points of that quiz's questions, including the banks it draws from, wherever they were
  earned.
- Ties go to the higher accuracy (answers fully right / answers, on that board's questions and,
  for this week, this week's answers), then to whoever reached their points first (the moment of
  their latest point on that board). Time spent answering never counts.
- Students with no points yet are not ranked: they are counted, never listed last.

The database ranks by the same rules (`UserQuerySet.ranked_on`, quizzes/models/accounts.py),
and so does `rank_stats` here over what Redis keeps (quizzes/leaderboards.py); tests hold the
two to the same order.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

from quizzes.grading import marks_text

TOP = 10  # a board lists the top ten...
AROUND = 2  # ...and, further down, two places either side of the student looking at it
NO_NAME = "Unnamed student"
ANONYMOUS = "Anonymous student"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CENTS = Decimal("0.01")  # points are stored to two places; both sources give them so


# ---- The rules, in plain Python -----------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """One student's standing on one board (or one part of it: scopes add up)."""

    points: Decimal = Decimal(0)
    correct: int = 0
    answered: int = 0
    reached: datetime | None = None  # when they earned the latest of these points

    @property
    def accuracy(self) -> float | None:
        # Floats on purpose: the database divides the same two integers as doubles, and IEEE
        # division is exact to the last bit, so both sides break ties identically.
        return float(self.correct) / float(self.answered) if self.answered else None

    def __add__(self, other: Stats) -> Stats:
        reached = [r for r in (self.reached, other.reached) if r is not None]
        return Stats(
            points=self.points + other.points,
            correct=self.correct + other.correct,
            answered=self.answered + other.answered,
            reached=max(reached) if reached else None,
        )


def tie_key(stats: Stats) -> tuple[Decimal, float, float | int]:
    """Sorts best first: most points, then best accuracy, then who got there first."""
    accuracy = stats.accuracy
    reached = (stats.reached - EPOCH) // timedelta(microseconds=1) if stats.reached else math.inf
    return (-stats.points, -(accuracy if accuracy is not None else -1.0), reached)


@dataclass(frozen=True)
class Standing:
    user_id: int
    stats: Stats
    rank: int  # 1, 2, 2, 4: students level on every rule share a rank
    position: int  # 1, 2, 3, 4: the order of the list


def rank_stats(stats_by_user: Mapping[int, Stats]) -> list[Standing]:
    """Everyone in board order, as the database's RANK() gives it, level students by id."""
    keyed = sorted((tie_key(stats), user_id, stats) for user_id, stats in stats_by_user.items())
    standings: list[Standing] = []
    previous = None
    for position, (key, user_id, stats) in enumerate(keyed, start=1):
        rank = standings[-1].rank if key == previous else position
        standings.append(Standing(user_id, stats, rank, position))
        previous = key
    return standings


def shown_name(display_name: str, anonymous: bool, *, is_viewer: bool, to_teacher: bool) -> str:
    """The name on a board: the display name, never a username or email; "Anonymous student"
    to classmates of a student who chose it. The teacher and the student see the real name."""
    if anonymous and not (is_viewer or to_teacher):
        return ANONYMOUS
    return display_name.strip() or NO_NAME


@dataclass(frozen=True)
class Week:
    start: datetime
    end: datetime
    key: str  # the ISO week, e.g. "2025-W03"

    @property
    def monday(self) -> date:
        return self.start.date()


def week_of(moment: datetime, tz: ZoneInfo) -> Week:
    """The week around a moment: Monday 00:00 to the next Monday 00:00, in the zone `tz` (the
    site's, settings.TIME_ZONE)."""
    monday = moment.astimezone(tz).date()
    monday -= timedelta(days=monday.weekday())
    year, number, _ = monday.isocalendar()
    return Week(
        start=datetime.combine(monday, clock.min, tzinfo=tz),
        end=datetime.combine(monday + timedelta(days=7), clock.min, tzinfo=tz),
        key=f"{year}-W{number:02d}",
    )


@dataclass(frozen=True)
class Row:
    rank: int | None  # None: no points yet on this board
    name: str
    points: Decimal
    is_viewer: bool = False


@dataclass
class BoardView:
    """What a board shows one viewer: the top, their neighbourhood, and a word for them."""

    top: list[Row] = field(default_factory=list)
    around: list[Row] = field(default_factory=list)  # further down, after a gap
    unranked_viewer: Row | None = None
    note: str = ""
    waiting: str = ""  # how many have no points yet, in words
    ranked: int = 0
    unranked: int = 0
    fingerprint: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.ranked


def present(
    standings: Sequence[Standing],
    names: Mapping[int, tuple[str, bool]],
    *,
    viewer_id: int | None,
    to_teacher: bool,
    board_key: str,
) -> BoardView:
    """Cut a ranked list down to what one viewer sees. `names` maps each member to their
    display name and whether they are anonymous to classmates."""
    ranked = [s for s in standings if s.stats.points > 0]
    mine = next((s for s in ranked if s.user_id == viewer_id), None)

    def row(standing: Standing, *, ranked: bool = True) -> Row:
        display_name, anonymous = names.get(standing.user_id, ("", False))
        is_viewer = standing.user_id == viewer_id
        name = shown_name(display_name, anonymous, is_viewer=is_viewer, to_teacher=to_teacher)
        rank = standing.rank if ranked else None
        return Row(rank, name, standing.stats.points, is_viewer)

    view = BoardView(ranked=len(ranked), unranked=len(standings) - len(ranked))
    top_end = TOP
    if mine and mine.position - AROUND <= TOP + 1:
        top_end = max(TOP, mine.position + AROUND)  # one unbroken list: no gap to show
    view.top = [row(s) for s in ranked[:top_end]]
    if mine and mine.position > top_end:
        lo = mine.position - AROUND - 1
        view.around = [row(s) for s in ranked[lo : mine.position + AROUND]]
    if mine:
        view.note = _note(mine, ranked)
    elif viewer_id is not None:
        unranked_me = next((s for s in standings if s.user_id == viewer_id), None)
        if unranked_me:
            view.unranked_viewer = row(unranked_me, ranked=False)
            view.note = "Answer a question right to get onto this board."
    view.waiting = _waiting(view.unranked, viewer_waits=view.unranked_viewer is not None)
    view.fingerprint = _fingerprint(board_key, view)
    return view


def _waiting(count: int, *, viewer_waits: bool) -> str:
    if not count:
        return ""
    if viewer_waits:
        others = count - 1
        if not others:
            return ""
        return f"You and {others} other{'s' if others > 1 else ''} have no points here yet."
    return f"{count} {'student has' if count == 1 else 'students have'} no points here yet."


def _note(mine: Standing, ranked: Sequence[Standing]) -> str:
    """A goal within reach: how far the place above is."""
    if mine.position == 1:
        return "You are at the top of this board."
    gap = ranked[mine.position - 2].stats.points - mine.stats.points
    if not gap:
        return "Level on points with the place above: your next right answer moves you up."
    return f"{_points(gap)} to catch the place above."


def _points(value: Decimal) -> str:
    return f"{marks_text(value)} more point" + ("" if value == 1 else "s")


def _fingerprint(board_key: str, view: BoardView) -> str:
    shown = (board_key, view.top, view.around, view.unranked_viewer, view.note, view.waiting)
    return hashlib.blake2b(repr(shown).encode(), digest_size=8).hexdigest()


# ---- Boards and their scopes --------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A set of questions' points that Redis keeps per student: all of them, those first
    answered right in one week, or those of one bank (a quiz's own questions)."""

    key: str
    week: Week | None = None
    bank_id: int | None = None


ALL_TIME = Scope("all")


@dataclass(frozen=True)
class Board:
    key: str  # the `board` query parameter: "week", "all", "quiz-12"
    title: str
    rule: str
    scopes: tuple[Scope, ...]  # a board's points are the sum of its scopes'
    quiz_id: int | None = None

    @classmethod
    def this_week(cls, now: datetime, tz: ZoneInfo) -> Board:
        week = week_of(now, tz)
        return cls(
            key="week",
            title="This week",
            rule=(
                f"Points for questions answered right for the first time since Monday "
                f"{week.monday.day} {week.monday:%B}. Everyone starts again on Monday."
            ),
            scopes=(Scope(f"week:{week.key}", week=week),),
        )

    @classmethod
    def all_time(cls) -> Board:
        return cls(
            key="all",
            title="All time",
            rule="Points for every question answered right, each counted once.",
            scopes=(ALL_TIME,),
        )

    @classmethod
    def for_quiz(cls, quiz_id: int, title: str, bank_ids: Iterable[int]) -> Board:
        banks = sorted({quiz_id, *bank_ids})
        return cls(
            key=f"quiz-{quiz_id}",
            title=title,
            rule=(
                "Points for this quiz's questions, each counted once, the first time it was "
                "answered right (here or in another quiz)."
            ),
            scopes=tuple(Scope(f"bank:{bank}", bank_id=bank) for bank in banks),
            quiz_id=quiz_id,
        )

    @property
    def week(self) -> Week | None:
        return self.scopes[0].week

    @property
    def bank_ids(self) -> list[int]:
        return [s.bank_id for s in self.scopes if s.bank_id is not None]


def answer_scopes(bank_id: int, at: datetime, tz: ZoneInfo) -> tuple[Scope, ...]:
    """The scopes an answer moves (any answer, the accuracy; a first right one, the points):
    all time, the week it was given in, and its question's bank."""
    week = week_of(at, tz)
    return ALL_TIME, Scope(f"week:{week.key}", week=week), Scope(f"bank:{bank_id}", bank_id=bank_id)
