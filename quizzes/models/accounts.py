"""Users: students and teachers, and the one rule for who is a teacher.

The class leaderboards rank users, so their database queries live on the users' QuerySet:
`ranked_on(board)` applies the rules of quizzes/ranking.py in SQL (one query, RANK() over each
member's aggregated progress rows), for quizzes/leaderboards.py to show or to cache in Redis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Cast, Coalesce, NullIf, Rank

from quizzes.models.attempts import Response
from quizzes.models.progress import QuestionProgress
from quizzes.names import skeleton, validate_display_name
from quizzes.ranking import CENTS, Board, Scope, Standing, Stats, Week

Names = dict[int, tuple[str, bool]]  # user id -> (display name, anonymous to classmates)
# The standings, the names, and (`with_scopes`) each scope's Stats, to cache in Redis.
Ranking = tuple[list[Standing], Names, dict[Scope, dict[int, Stats]]]


class UserQuerySet(models.QuerySet["User"]):
    def teachers(self) -> UserQuerySet:
        """Who is a teacher: see `User.is_teacher`."""
        return self.filter(is_staff=True)

    def board_names(self) -> Names:
        """What a leaderboard needs to name these users."""
        rows = self.order_by().values_list("pk", "display_name", "anonymous_on_leaderboards")
        return {pk: (display_name, anonymous) for pk, display_name, anonymous in rows}

    def ranked_on(self, board: Board, *, with_scopes: bool = False) -> Ranking:
        """These users (a class's members) ranked on a board, in one query: each student's
        progress rows on the board (a LEFT JOIN, FILTERed to the quiz's questions; for a week,
        subqueries over the week's rows) are summed, then the window function RANK() orders
        them by points, accuracy and the moment the points were reached. Returns the standings
        (whose Stats hold only the points, unless `with_scopes`), the names, and
        (`with_scopes`) each scope's Stats to cache in Redis."""
        annotations, per_bank = _board_annotations(board, with_scopes=with_scopes)
        as_float = partial(Cast, output_field=models.FloatField())
        order = [
            F("s_points").desc(),
            F("accuracy").desc(nulls_last=True),
            F("s_reached").asc(nulls_last=True),
        ]
        # Read back only what is used: the points to show, or (to fill Redis) every count.
        shown = {k: v for k, v in annotations.items() if with_scopes or k == "s_points"}
        ranked = (
            self.order_by()
            .values("pk", "display_name", "anonymous_on_leaderboards")
            .alias(**{k: v for k, v in annotations.items() if k not in shown})
            .annotate(**shown)
            .alias(
                accuracy=as_float(F("s_correct")) / NullIf(as_float(F("s_answered")), Value(0.0))
            )
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


# ---- The ranking's parts ------------------------------------------------------------------


def _board_annotations(
    board: Board, *, with_scopes: bool
) -> tuple[dict[str, Any], dict[str, Scope]]:
    """The aggregates of a board's Stats for each member, named `s_points`, ...; with
    `with_scopes`, those of each of its banks too (`b<id>_points`, ...), by prefix."""
    week, banks, path = board.week, board.bank_ids, "question_progress"
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
    return annotations, per_bank


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


class UsersManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's UserManager (create_user, ...) with the queries above."""


class User(AbstractUser):
    """A student or a teacher. Classmates only ever see `display_name`."""

    display_name = models.CharField(
        max_length=60,
        help_text="The name classmates and teachers see, e.g. “Alice P.”",
        validators=[validate_display_name],
    )

    anonymous_on_leaderboards = models.BooleanField(
        default=False,
        help_text="Show me to classmates as “Anonymous student” on leaderboards.",
    )
    # What the username looks like (quizzes/names.py): a new username whose skeleton an
    # existing one has is refused, so "ѕxs1" (Cyrillic ѕ) cannot pass for "sxs1".
    username_skeleton = models.CharField(max_length=600, db_index=True, editable=False, default="")
    # Set for an account a teacher made or reset (quizzes.models.cards): signing in with the
    # card's one-time password leads to choosing a password before anything else.
    must_change_password = models.BooleanField(
        default=False, help_text="Signing in with a one-time password asks for a new one first."
    )

    objects = UsersManager()

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.username_skeleton = skeleton(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()  # normalises the username (NFKC)
        if not self.username:
            return  # no username yet, or one its field refused
        if User.objects.filter(pk=self.pk, username=self.username).exists():
            return  # a username kept as it was: older accounts are not renamed by an edit
        look_alikes = User.objects.filter(username_skeleton=skeleton(self.username))
        look_alikes = look_alikes.exclude(pk=self.pk)
        # The same username in another case is left to the form's "already exists".
        if look_alikes.exclude(username__iexact=self.username).exists():
            raise ValidationError(
                {"username": "That username looks too like someone else's: choose another."},
                code="confusable",
            )

    @property
    def is_teacher(self) -> bool:
        """The one rule for who is a teacher: a staff user. Teachers create classes and see
        their students' progress; the admin lets them in, where the "Teachers" group
        (quizzes/admin/access.py) gives them their permissions. Whether a user teaches one
        class is another question: `Classroom.is_taught_by`."""
        return self.is_staff
