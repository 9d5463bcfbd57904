"""Class leaderboards: this week, all time, and one per assigned quiz.

The rules, the same on every board (and stated on the class page):

- Points come from right answers. A question earns its points once per student, the first time
  it is answered right (`QuestionProgress.points`), so repeating a quiz cannot farm points.
- This week: points for questions answered right for the first time since Monday 00:00 (in
  settings.TIME_ZONE). All time: every question's points. A quiz: the points of that quiz's
  questions, including the banks it draws from, wherever they were earned.
- Ties go to the higher accuracy (answers fully right / answers, on that board's questions and,
  for this week, this week's answers), then to whoever reached their points first (the moment of
  their latest point on that board). Time spent answering never counts.
- Students with no points yet are not ranked: they are counted, never listed last.

The ranking comes from one of two places, which give the same order (tests hold them to it):

- the database: one query per board, the window function RANK() over the members'
  aggregated progress rows;
- Redis, when REDIS_URL is set: every student's points per scope (all time, each ISO week, each
  bank of questions) in sorted sets, and their tie-break counts in hashes. After each answer is
  committed, `answer_recorded` writes that student's totals afresh, read from their own rows in
  two small queries (so a missed or repeated update never accumulates). A board reads its
  members' entries in one round trip and ranks them with `rank_stats`. If any member's entry is
  missing, the board is ranked by the database and the missing entries are filled in (never
  overwriting a fresher one). Keys live in hourly generations, so any drift (an update lost
  while Redis was down) lasts an hour at most. Any Redis error falls back to the database for a
  short while, with a warning in the log.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import redis
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, NullIf, Rank
from django.utils import timezone

log = logging.getLogger(__name__)

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


def week_of(moment: datetime, tz: ZoneInfo | None = None) -> Week:
    """The week around a moment: Monday 00:00 to the next Monday 00:00, local time."""
    tz = tz or ZoneInfo(settings.TIME_ZONE)
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
    number = f"{value.normalize():f}" if value % 1 else f"{int(value)}"
    return f"{number} more point" + ("" if value == 1 else "s")


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
    def this_week(cls, now: datetime) -> Board:
        week = week_of(now)
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


# ---- The database -------------------------------------------------------------------------


def _stat_annotations(path: str, prefix: str, *, week: Week | None, rows: Q | None = None):
    """Aggregates over the progress rows joined at `path` (and, for a week, the week's
    responses) that give one scope's Stats, named `<prefix>_points`, `_correct`, ...;
    `rows` narrows them further (a FILTER clause)."""
    from quizzes.models import Response

    stats = {
        f"{prefix}_points": Coalesce(
            Sum(f"{path}__points", filter=rows),
            Value(Decimal(0)),
            output_field=models.DecimalField(max_digits=12, decimal_places=2),
        ),
        f"{prefix}_reached": Max(f"{path}__first_correct_at", filter=rows),
    }
    if week:
        # The week's accuracy counts the week's answers, which only the responses know.
        answers = (
            Response.objects.filter(
                user=OuterRef("pk"), answered_at__gte=week.start, answered_at__lt=week.end
            )
            .order_by()
            .values("user")
        )
        right = Count("pk", filter=Q(is_correct=True))
        stats[f"{prefix}_correct"] = Subquery(answers.annotate(n=right).values("n"))
        stats[f"{prefix}_answered"] = Subquery(answers.annotate(n=Count("pk")).values("n"))
    else:
        # (No COALESCE: none answered reads as NULL accuracy either way, and as 0 in Python.)
        stats[f"{prefix}_correct"] = Sum(f"{path}__correct_count", filter=rows)
        stats[f"{prefix}_answered"] = Sum(f"{path}__answered_count", filter=rows)
    return stats


def _points_of(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENTS)


def _stats_from(row: Mapping[str, Any], prefix: str) -> Stats:
    return Stats(
        points=_points_of(row[f"{prefix}_points"]),
        correct=row[f"{prefix}_correct"] or 0,
        answered=row[f"{prefix}_answered"] or 0,
        reached=row[f"{prefix}_reached"],
    )


def rank_in_database(
    members: models.QuerySet, board: Board, *, with_scopes: bool = False
) -> tuple[list[Standing], dict[int, tuple[str, bool]], dict[Scope, dict[int, Stats]]]:
    """Rank `members` (a User queryset) on a board in one query: each student's progress rows
    on the board (a LEFT JOIN, narrowed to the week's; FILTERed to the quiz's questions) are
    summed, then the window function RANK() orders them by points, accuracy and the moment the
    points were reached. Returns the standings (whose Stats hold only the points, unless
    `with_scopes`), the names, and (`with_scopes`) each scope's Stats to cache in Redis."""
    week, banks = board.week, board.bank_ids
    rows, path = members.order_by(), "question_progress"
    if week:
        # Only the week's rows are joined, so the week's answers are counted once per student.
        in_week = Q(
            question_progress__first_correct_at__gte=week.start,
            question_progress__first_correct_at__lt=week.end,
        )
        rows, path = rows.alias(scoped=FilteredRelation(path, condition=in_week)), "scoped"
    in_banks = Q(**{f"{path}__question__quiz_id__in": banks}) if banks else None
    annotations = _stat_annotations(path, "s", week=week, rows=in_banks)
    per_bank = {}
    if with_scopes and len(board.scopes) > 1:
        for scope in board.scopes:
            only = Q(**{f"{path}__question__quiz_id": scope.bank_id})
            annotations |= _stat_annotations(path, f"b{scope.bank_id}", week=None, rows=only)
            per_bank[f"b{scope.bank_id}"] = scope
    as_float = partial(Cast, output_field=models.FloatField())
    order = [
        F("s_points").desc(),
        F("accuracy").desc(nulls_last=True),
        F("s_reached").asc(nulls_last=True),
    ]
    # Read back only what is used: the points to show, or (to fill Redis) every count.
    shown = {k: v for k, v in annotations.items() if with_scopes or k == "s_points"}
    ranked = (
        rows.values("pk", "display_name", "anonymous_on_leaderboards")
        .alias(**{k: v for k, v in annotations.items() if k not in shown})
        .annotate(**shown)
        .alias(accuracy=as_float(F("s_correct")) / NullIf(as_float(F("s_answered")), Value(0.0)))
        .annotate(rank=Window(Rank(), order_by=order))
    )
    # Places level on every rule share a rank; the list orders them by id, as rank_stats does.
    # (In Python: ROW_NUMBER() or ORDER BY over the window lands in Django's GROUP BY.)
    standings, names = [], {}
    scoped: dict[Scope, dict[int, Stats]] = {s: {} for s in board.scopes}
    in_order = sorted(ranked, key=lambda row: (row["rank"], row["pk"]))
    for position, row in enumerate(in_order, start=1):
        user_id = row["pk"]
        stats = _stats_from(row, "s") if with_scopes else Stats(_points_of(row["s_points"]))
        standings.append(Standing(user_id, stats, row["rank"], position))
        names[user_id] = (row["display_name"], row["anonymous_on_leaderboards"])
        if with_scopes:
            for prefix, scope in per_bank.items():
                scoped[scope][user_id] = _stats_from(row, prefix)
            if not per_bank:
                scoped[board.scopes[0]][user_id] = stats
    return standings, names, scoped


def student_scopes(user_id: int, *, bank_id: int, now: datetime) -> dict[Scope, Stats]:
    """One student's Stats in the scopes an answer touches (all time, this week, the question's
    bank): two queries over their own rows."""
    from quizzes.models import QuestionProgress, Response

    week = week_of(now)
    in_week = Q(first_correct_at__gte=week.start, first_correct_at__lt=week.end)
    in_bank = Q(question__quiz_id=bank_id)
    totals = QuestionProgress.objects.filter(user_id=user_id).aggregate(
        a_points=Sum("points"),
        a_correct=Sum("correct_count"),
        a_answered=Sum("answered_count"),
        a_reached=Max("first_correct_at"),
        w_points=Sum("points", filter=in_week),
        w_reached=Max("first_correct_at", filter=in_week),
        b_points=Sum("points", filter=in_bank),
        b_correct=Sum("correct_count", filter=in_bank),
        b_answered=Sum("answered_count", filter=in_bank),
        b_reached=Max("first_correct_at", filter=in_bank),
    )
    totals |= Response.objects.filter(
        user_id=user_id, answered_at__gte=week.start, answered_at__lt=week.end
    ).aggregate(w_answered=Count("pk"), w_correct=Count("pk", filter=Q(is_correct=True)))
    return {
        ALL_TIME: _stats_from(totals, "a"),
        Scope(f"week:{week.key}", week=week): _stats_from(totals, "w"),
        Scope(f"bank:{bank_id}", bank_id=bank_id): _stats_from(totals, "b"),
    }


# ---- Redis ---------------------------------------------------------------------------------

GENERATION = 3600  # seconds: keys are rebuilt from the database at least this often
RETRY_AFTER = 15.0  # seconds to leave Redis alone after an error
CHUNK = 1000  # members per ZMSCORE / HMGET


@dataclass
class _RedisState:
    url: str = ""
    client: redis.Redis | None = None
    down_until: float = 0.0


_redis = _RedisState()


def _client() -> redis.Redis | None:
    """The Redis client, or None when REDIS_URL is unset or Redis failed a moment ago."""
    url = settings.REDIS_URL
    if not url or time.monotonic() < _redis.down_until:
        return None
    if _redis.client is None or _redis.url != url:
        _redis.client = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
        )
        _redis.url = url
    return _redis.client


def _redis_failed(error: Exception) -> None:
    _redis.down_until = time.monotonic() + RETRY_AFTER
    log.warning("Leaderboards read the database for %ss: Redis failed: %s", RETRY_AFTER, error)


def reset_redis() -> None:
    """Forget the client and any failure (tests change REDIS_URL)."""
    global _redis
    _redis = _RedisState()


def _namespace() -> str:
    # One namespace per database: a test database never reads the development one's points.
    database = str(connection.settings_dict["NAME"])
    return f"quizsite:lb:{hashlib.blake2b(database.encode(), digest_size=4).hexdigest()}:"


def _prefix(now: float | None = None) -> str:
    # And one generation per hour: a stale entry cannot outlive it.
    generation = int((time.time() if now is None else now) // GENERATION)
    return f"{_namespace()}{generation}:"


def _encode(stats: Stats) -> tuple[int, str]:
    reached = ""
    if stats.reached is not None:
        reached = str((stats.reached - EPOCH) // timedelta(microseconds=1))
    return int(stats.points * 100), f"{stats.correct} {stats.answered} {reached}"


def _decode(score: float, text: str) -> Stats:
    correct, answered, reached = text.split(" ")
    return Stats(
        points=Decimal(round(score)).scaleb(-2),
        correct=int(correct),
        answered=int(answered),
        reached=EPOCH + timedelta(microseconds=int(reached)) if reached else None,
    )


def _chunks(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _read(client: redis.Redis, scopes: Sequence[Scope], user_ids: Sequence[int]):
    """Each member's Stats summed over the scopes, in one round trip; None if any is missing."""
    prefix = _prefix()
    pipe = client.pipeline(transaction=False)
    for scope in scopes:
        for chunk in _chunks(user_ids):
            pipe.zmscore(f"{prefix}{scope.key}:points", chunk)
            pipe.hmget(f"{prefix}{scope.key}:stats", chunk)
    replies = iter(pipe.execute())
    totals: dict[int, Stats] = {}
    for _scope in scopes:
        for chunk in _chunks(user_ids):
            scores, texts = next(replies), next(replies)
            for user_id, score, text in zip(chunk, scores, texts, strict=True):
                if score is None or text is None:
                    return None
                stats = _decode(score, text)
                totals[user_id] = totals[user_id] + stats if user_id in totals else stats
    return totals


def _write(client: redis.Redis, scoped: Mapping[Scope, Mapping[int, Stats]], *, fill: bool):
    """Store Stats. `fill`: only where there is no entry yet (a board filling in what it had to
    rank from the database must not overwrite an answer's fresher totals)."""
    prefix = _prefix()
    pipe = client.pipeline(transaction=True)
    for scope, by_user in scoped.items():
        if not by_user:
            continue
        points, stats = f"{prefix}{scope.key}:points", f"{prefix}{scope.key}:stats"
        encoded = {user_id: _encode(s) for user_id, s in by_user.items()}
        pipe.zadd(points, {uid: score for uid, (score, _) in encoded.items()}, nx=fill)
        if fill:
            for user_id, (_, text) in encoded.items():
                pipe.hsetnx(stats, user_id, text)
        else:
            pipe.hset(stats, mapping={uid: text for uid, (_, text) in encoded.items()})
        pipe.expire(points, 2 * GENERATION)
        pipe.expire(stats, 2 * GENERATION)
    pipe.execute()


def clear_redis() -> None:
    """Drop every cached entry of this database (tests; or after restoring a backup)."""
    client = _client()
    if client is None:
        return
    keys = list(client.scan_iter(match=f"{_namespace()}*", count=1000))
    if keys:
        client.delete(*keys)


# ---- What the views and the answer hook call -------------------------------------------------


def class_board(classroom: Any, board: Board, *, viewer: Any) -> BoardView:
    """A class's board as `viewer` (a member, or the class's teacher) sees it: one query."""
    from quizzes.models import User

    members = User.objects.filter(memberships__classroom=classroom)
    standings, names = _standings(members, board)
    to_teacher = viewer.pk == classroom.teacher_id
    return present(
        standings,
        names,
        viewer_id=None if to_teacher else viewer.pk,
        to_teacher=to_teacher,
        board_key="|".join([board.key, board.rule, *(s.key for s in board.scopes)]),
    )


def _standings(members: models.QuerySet, board: Board):
    client = _client()
    if client is not None:
        names = {
            pk: (display_name, anonymous)
            for pk, display_name, anonymous in members.order_by().values_list(
                "pk", "display_name", "anonymous_on_leaderboards"
            )
        }
        try:
            cached = _read(client, board.scopes, list(names))
        except redis.RedisError as error:
            _redis_failed(error)
            cached = None
        if cached is not None:
            return rank_stats(cached), names
    standings, names, scoped = rank_in_database(members, board, with_scopes=client is not None)
    if client is not None and _client() is not None:
        try:
            _write(client, scoped, fill=True)
        except redis.RedisError as error:
            _redis_failed(error)
    return standings, names


def answer_recorded(response: Any) -> None:
    """Call in the transaction that records an answer: once it commits, the student's totals
    in Redis are written afresh (every answer moves accuracy; a first right one, points)."""
    if settings.REDIS_URL:
        refresh = partial(
            refresh_student, response.user_id, response.question.quiz_id, response.answered_at
        )
        transaction.on_commit(refresh, robust=True)


def refresh_student(user_id: int, bank_id: int, at: datetime | None = None) -> None:
    client = _client()
    if client is None:
        return
    scoped = student_scopes(user_id, bank_id=bank_id, now=at or timezone.now())
    try:
        _write(client, {scope: {user_id: stats} for scope, stats in scoped.items()}, fill=False)
    except redis.RedisError as error:
        _redis_failed(error)
