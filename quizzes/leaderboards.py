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
  bank of questions) in sorted sets, and their tie-break counts in hashes. An answer makes no
  query for them: once it is committed, `answer_recorded` counts it against the student in each
  scope it touches, in one round trip. Each entry records how many of the student's counted
  answers it has seen. A board reads its members' entries and counts in one round trip (those
  of the members it last saw in the class, so that one query follows: their names, or else the
  ranking) and ranks them with `rank_stats`. If any member's entry is missing or behind their
  count, the board is ranked by the database and those entries are written afresh (never over
  one that has seen as many answers: why no answer is lost is told at `_write`). Keys live in
  hourly generations, so any drift (an answer uncounted while Redis was down) lasts an hour at
  most. Any Redis error falls back to the database for a short while, with a warning in the log.
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


def answer_scopes(bank_id: int, at: datetime) -> tuple[Scope, ...]:
    """The scopes an answer moves (any answer, the accuracy; a first right one, the points):
    all time, the week it was given in, and its question's bank."""
    week = week_of(at)
    return ALL_TIME, Scope(f"week:{week.key}", week=week), Scope(f"bank:{bank_id}", bank_id=bank_id)


# ---- The database -------------------------------------------------------------------------


def _stat_annotations(path: str, prefix: str, *, rows: Q | None = None):
    """Aggregates over the progress rows joined at `path` that give one scope's Stats, named
    `<prefix>_points`, `_correct`, ...; `rows` narrows them further (a FILTER clause)."""
    return {
        f"{prefix}_points": Coalesce(
            Sum(f"{path}__points", filter=rows),
            Value(Decimal(0)),
            output_field=models.DecimalField(max_digits=12, decimal_places=2),
        ),
        f"{prefix}_reached": Max(f"{path}__first_correct_at", filter=rows),
        # (No COALESCE: none answered reads as NULL accuracy either way, and as 0 in Python.)
        f"{prefix}_correct": Sum(f"{path}__correct_count", filter=rows),
        f"{prefix}_answered": Sum(f"{path}__answered_count", filter=rows),
    }


def _week_annotations(prefix: str, week: Week, banks: Sequence[int]) -> dict[str, Any]:
    """A week's Stats for each member as subqueries over their own rows, the week's progress
    (through the (user, first_correct_at) index) and the week's answers (which only the
    responses know). No join and no GROUP BY: grouped, PostgreSQL ran the answers' subqueries
    once per joined progress row, 60,000 buffers a poll for a class (bench/explain.py)."""
    from quizzes.models import QuestionProgress, Response

    progress = QuestionProgress.objects.filter(
        user=OuterRef("pk"), first_correct_at__gte=week.start, first_correct_at__lt=week.end
    )
    if banks:
        progress = progress.filter(question__quiz_id__in=banks)
    progress = progress.order_by().values("user")
    answers = (
        Response.objects.filter(
            user=OuterRef("pk"), answered_at__gte=week.start, answered_at__lt=week.end
        )
        .order_by()
        .values("user")
    )
    points = models.DecimalField(max_digits=12, decimal_places=2)
    return {
        f"{prefix}_points": Coalesce(
            Subquery(progress.annotate(n=Sum("points")).values("n"), output_field=points),
            Value(Decimal(0)),
            output_field=points,
        ),
        f"{prefix}_reached": Subquery(progress.annotate(n=Max("first_correct_at")).values("n")),
        f"{prefix}_correct": Subquery(
            answers.annotate(n=Count("pk", filter=Q(is_correct=True))).values("n")
        ),
        f"{prefix}_answered": Subquery(answers.annotate(n=Count("pk")).values("n")),
    }


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
    on the board (a LEFT JOIN, FILTERed to the quiz's questions; for a week, subqueries over
    the week's rows) are summed, then the window function RANK() orders them by points,
    accuracy and the moment the points were reached. Returns the standings (whose Stats hold
    only the points, unless `with_scopes`), the names, and (`with_scopes`) each scope's Stats
    to cache in Redis."""
    week, banks = board.week, board.bank_ids
    rows, path = members.order_by(), "question_progress"
    if week:
        annotations = _week_annotations("s", week, banks)
    else:
        in_banks = Q(**{f"{path}__question__quiz_id__in": banks}) if banks else None
        annotations = _stat_annotations(path, "s", rows=in_banks)
    per_bank = {}
    if with_scopes and len(board.scopes) > 1:
        for scope in board.scopes:
            only = Q(**{f"{path}__question__quiz_id": scope.bank_id})
            annotations |= _stat_annotations(path, f"b{scope.bank_id}", rows=only)
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


# ---- Redis ---------------------------------------------------------------------------------

GENERATION = 3600  # seconds: keys are rebuilt from the database at least this often
RETRY_AFTER = 15.0  # seconds to leave Redis alone after an error
CHUNK = 1000  # members per ZMSCORE / HMGET
CLASSES_KEPT = 10_000  # classes whose members a process remembers


@dataclass
class _RedisState:
    url: str = ""
    client: redis.Redis | None = None
    down_until: float = 0.0
    # Each class's members when this process last ranked it: whose entries a board reads
    # before its one query (the names if every entry is fresh, else the ranking, never both).
    members: dict[int, list[int]] = field(default_factory=dict)


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
    # ("lb2": entries end with the count of answers they have seen; those under "lb" did not.)
    database = str(connection.settings_dict["NAME"])
    return f"quizsite:lb2:{hashlib.blake2b(database.encode(), digest_size=4).hexdigest()}:"


def _prefix(now: float | None = None) -> str:
    # And one generation per hour: a stale entry cannot outlive it. A board takes its prefix
    # once, to read and write the same generation (counts start again in each).
    generation = int((time.time() if now is None else now) // GENERATION)
    return f"{_namespace()}{generation}:"


def _keys(prefix: str, scope: Scope) -> tuple[str, str]:
    """A scope's sorted set (user id -> points in cents) and its hash: user id -> the rest of
    the entry, "correct answered reached seen", and "<user id>:answers" -> the answers counted
    against the student (one hash, so that nothing evicts the counts and leaves the entries)."""
    return f"{prefix}{scope.key}:points", f"{prefix}{scope.key}:stats"


def _counted(user_id: int) -> str:
    return f"{user_id}:answers"


def _encode(stats: Stats, seen: int) -> tuple[int, str]:
    reached = ""
    if stats.reached is not None:
        reached = str((stats.reached - EPOCH) // timedelta(microseconds=1))
    return int(stats.points * 100), f"{stats.correct} {stats.answered} {reached} {seen}"


def _decode(score: float, text: str) -> tuple[Stats, int]:
    """An entry's Stats, and how many of the student's counted answers it has seen."""
    correct, answered, reached, seen = text.split(" ")
    stats = Stats(
        points=Decimal(round(score)).scaleb(-2),
        correct=int(correct),
        answered=int(answered),
        reached=EPOCH + timedelta(microseconds=int(reached)) if reached else None,
    )
    return stats, int(seen)


def _chunks(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


Counts = dict[Scope, dict[int, int]]  # the answers counted against each student, per scope


def _read(
    client: redis.Redis, prefix: str, scopes: Sequence[Scope], user_ids: Sequence[int]
) -> tuple[dict[int, Stats] | None, Counts]:
    """Each member's Stats summed over the scopes, and the answers counted against them (where
    not 0), in one round trip: one MULTI, so entries and counts are read at one moment. The
    Stats are None if any entry is missing or has not seen every answer counted. (Plain
    commands rather than a script: Redis, which every app server shares, spends a quarter of
    the time on them.)"""
    pipe = client.pipeline(transaction=True)
    for scope in scopes:
        points, stats = _keys(prefix, scope)
        for chunk in _chunks(user_ids):
            pipe.zmscore(points, chunk)
            pipe.hmget(stats, [*chunk, *map(_counted, chunk)])
    replies = iter(pipe.execute())
    totals: dict[int, Stats] = {}
    counts: Counts = {scope: {} for scope in scopes}
    fresh = True
    for scope in scopes:
        for chunk in _chunks(user_ids):
            scores, fields = next(replies), next(replies)
            texts, counted = fields[: len(chunk)], fields[len(chunk) :]
            for user_id, score, text, count in zip(chunk, scores, texts, counted, strict=True):
                if count is not None:
                    counts[scope][user_id] = int(count)
                if score is None or text is None:
                    fresh = False
                    continue
                entry, seen = _decode(score, text)
                fresh &= seen >= int(count or 0)
                totals[user_id] = totals[user_id] + entry if user_id in totals else entry
    return (totals if fresh else None), counts


# Why no answer is lost, whatever the order of answers and boards:
#
# - An answer is counted (HINCRBY, in `count_answer`) only after it has committed. A board
#   reads the counts before it queries the database (the primary: a replica's lag would break
#   this), so a board that read a count of n for a student ranks rows that hold at least those
#   n answers, and tags the entry it writes with n (0 for a member whose count it did not read).
# - An answer that board's query missed committed after the query began, so it was counted after
#   the board read n: the count is n + 1 or more, the entry (tagged n) is behind it, and the next
#   read ranks by the database again and writes the entry afresh.
# - The write skips an entry already tagged n or more (one Lua script, so nothing lands between
#   the check and the write): of two boards that read the same count, the slower one cannot put
#   back rows older than the faster one's, and its own newer answers are counted past n anyway.
#   An entry tagged lower is replaced, and the new tag is true of the rows that replace it.
# - Counts only grow within a generation, so an entry cannot look fresh to a count that came
#   back down to its tag (as a counter cleared by the board would: cleared by one board, counted
#   again by an answer, cleared again by a slower board that had read the old value).
#
# So a board shows an answer from the first read after it is counted, which the answer's own
# request does just after its commit. What escapes this is an answer never counted (Redis down,
# or left alone after an error; an app server whose clock is still in the previous hour while a
# board reads the next): it is missing until the generation ends. (The script also rewrites an
# entry whose points alone were evicted; counts live in the entries' hash, and go with it.)
_WRITE = """
for i = 2, #ARGV, 4 do
  local user, tag = ARGV[i], tonumber(ARGV[i + 3])
  local stored = redis.call('HGET', KEYS[2], user)
  if not stored or tonumber(string.match(stored, '%d+$')) < tag
      or not redis.call('ZSCORE', KEYS[1], user) then
    redis.call('ZADD', KEYS[1], ARGV[i + 1], user)
    redis.call('HSET', KEYS[2], user, ARGV[i + 2])
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
"""


def _write(
    client: redis.Redis, prefix: str, scoped: Mapping[Scope, Mapping[int, Stats]], counts: Counts
) -> None:
    """Store the Stats a board ranked by the database, each tagged with the answers counted
    against the student when the board read Redis (before its query), except over an entry
    already tagged as high: see above."""
    pipe = client.pipeline(transaction=False)
    for scope, by_user in scoped.items():
        counted = counts.get(scope, {})
        for chunk in _chunks(list(by_user)):
            args: list[int | str] = [2 * GENERATION]
            for user_id in chunk:
                seen = counted.get(user_id, 0)
                args += [user_id, *_encode(by_user[user_id], seen), seen]
            pipe.eval(_WRITE, 2, *_keys(prefix, scope), *args)
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
    standings, names = _standings(members, board, classroom.pk)
    to_teacher = viewer.pk == classroom.teacher_id
    return present(
        standings,
        names,
        viewer_id=None if to_teacher else viewer.pk,
        to_teacher=to_teacher,
        board_key="|".join([board.key, board.rule, *(s.key for s in board.scopes)]),
    )


def _standings(
    members: models.QuerySet, board: Board, class_id: int
) -> tuple[list[Standing], dict[int, tuple[str, bool]]]:
    """Everyone ranked, and their names. With Redis, the entries of the members last seen in
    the class are read first; then one query: the names, if every entry is fresh (and, if the
    class has gained a member since, their entries are read too), else the ranking."""
    client = _client()
    if client is None:
        standings, names, _ = rank_in_database(members, board)
        return standings, names
    prefix = _prefix()
    names = None
    if (known := _redis.members.get(class_id)) is None:
        names = _names(members)
        known = list(names)
    cached, counts = _try_read(client, prefix, board.scopes, known)
    if cached is not None:
        if names is None:
            names = _names(members)
        if names.keys() - cached.keys():  # someone joined since
            cached, counts = _try_read(client, prefix, board.scopes, list(names))
        if cached is not None:
            _remember(class_id, names)
            return rank_stats({user_id: cached[user_id] for user_id in names}), names
    writable = _client() is not None  # (not just after an error)
    standings, names, scoped = rank_in_database(members, board, with_scopes=writable)
    _remember(class_id, names)
    if writable:
        try:
            _write(client, prefix, scoped, counts)
        except redis.RedisError as error:
            _redis_failed(error)
    return standings, names


def _names(members: models.QuerySet) -> dict[int, tuple[str, bool]]:
    rows = members.order_by().values_list("pk", "display_name", "anonymous_on_leaderboards")
    return {pk: (display_name, anonymous) for pk, display_name, anonymous in rows}


def _try_read(
    client: redis.Redis, prefix: str, scopes: Sequence[Scope], user_ids: list[int]
) -> tuple[dict[int, Stats] | None, Counts]:
    try:
        return _read(client, prefix, scopes, user_ids)
    except redis.RedisError as error:
        _redis_failed(error)
        return None, {}


def _remember(class_id: int, names: Mapping[int, Any]) -> None:
    if len(_redis.members) >= CLASSES_KEPT and class_id not in _redis.members:
        _redis.members.clear()
    _redis.members[class_id] = list(names)


def answer_recorded(response: Any) -> None:
    """Call in the transaction that records an answer: once it commits, the answer is counted
    against the student in Redis, so the next board read takes their entries afresh."""
    if settings.REDIS_URL:
        count = partial(
            count_answer, response.user_id, response.question.quiz_id, response.answered_at
        )
        transaction.on_commit(count, robust=True)


def count_answer(user_id: int, bank_id: int, at: datetime | None = None) -> None:
    """Have the next board read take the student's entries afresh in the scopes an answer at
    `at` moves: count the answer against them there. One round trip, and no query (each board
    that shows the student ranks by the database on its next read instead of reading names)."""
    client = _client()
    if client is None:
        return
    prefix = _prefix()
    pipe = client.pipeline(transaction=True)
    for scope in answer_scopes(bank_id, at or timezone.now()):
        _, stats = _keys(prefix, scope)
        pipe.hincrby(stats, _counted(user_id), 1)
        pipe.expire(stats, 2 * GENERATION)
    try:
        pipe.execute()
    except redis.RedisError as error:
        _redis_failed(error)
