"""Where each student stands on each question: the one row that progress, mastery, spaced
review and leaderboards all read. It is updated in the same transaction as the response that
changes it, so it can never fall out of step with the responses it summarises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from fsrs import Card, Rating, Scheduler

from quizzes.mastery import TopicMastery
from quizzes.models.content import Question, Quiz, Status

if TYPE_CHECKING:
    from quizzes.models.attempts import Attempt, Response

# Anki's FSRS scheduler. No sub-day learning steps: a class meets once a day at most, so a
# wrong answer comes back tomorrow and a right one a few days later, growing each time.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
# "Mastered" needs a right answer in a spaced review at least this long after the last one.
SPACED_GAP = timedelta(days=1)


class QuestionProgressQuerySet(models.QuerySet["QuestionProgress"]):
    def due(self, now: datetime) -> QuestionProgressQuerySet:
        return self.filter(due_at__lte=now)

    def for_user(self, user: Any) -> QuestionProgressQuerySet:
        return self.filter(user=user)

    def live(self) -> QuestionProgressQuerySet:
        """Rows of questions a student can be asked now: published, in a published quiz."""
        return self.filter(
            question__status=Status.PUBLISHED, question__quiz__status=Status.PUBLISHED
        )

    def wrong(self) -> QuestionProgressQuerySet:
        """Questions whose latest answer was wrong (or only partly right)."""
        return self.filter(last_correct=False)

    def most_overdue_first(self) -> QuestionProgressQuerySet:
        return self.order_by("due_at", "id")


class QuestionProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_progress"
    )
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="progress"
    )
    answered_count = models.PositiveIntegerField(default=0)
    correct_count = models.PositiveIntegerField(default=0)
    last_correct = models.BooleanField(default=False)
    last_answered_at = models.DateTimeField()
    # Leaderboards: a question earns its points once, the first time it is answered right.
    first_correct_at = models.DateTimeField(null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    # Mastery: answered right in a review at least SPACED_GAP after the previous answer.
    spaced_correct_at = models.DateTimeField(null=True, blank=True)
    # Spaced review: the FSRS card (fsrs.Card.to_dict()) and when it is next due.
    card = models.JSONField(default=dict)
    due_at = models.DateTimeField()  # indexed with user: nothing looks it up on its own

    objects = QuestionProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_progress_per_question"),
        ]
        indexes = [
            models.Index(fields=["user", "due_at"]),
            # The week's board joins each member's rows first answered right this week.
            models.Index(fields=["user", "first_correct_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.question_id}"

    def apply(self, *, correct: bool, points: Decimal, at: datetime, in_review: bool) -> None:
        """Fold one more graded answer into this row (not saved)."""
        if (
            in_review
            and correct
            and self.answered_count
            and at - self.last_answered_at >= SPACED_GAP
        ):
            self.spaced_correct_at = at
        elif not correct:
            # A miss means it was not remembered after all: mastery needs a new spaced review.
            self.spaced_correct_at = None
        self.answered_count += 1
        self.correct_count += int(correct)
        self.last_correct = correct
        self.last_answered_at = at
        if correct and self.first_correct_at is None:
            self.first_correct_at = at
            self.points = points
        # A new Card with no id sleeps 1 ms to make its timestamp id unique: name it instead.
        card = Card.from_dict(self.card) if self.card else Card(card_id=self.question_id)
        card, _ = SCHEDULER.review_card(card, Rating.Good if correct else Rating.Again, at)
        self.card = card.to_dict()
        self.due_at = card.due

    @classmethod
    def record(cls, response: Any, *, in_review: bool = False) -> QuestionProgress:
        """Update (or start) the student's row for the response's question. Call inside the
        transaction that records the response."""
        progress = (
            cls.objects.select_for_update()
            .filter(user_id=response.user_id, question_id=response.question_id)
            .first()
        )
        if progress is None:
            progress = cls(
                user_id=response.user_id,
                question_id=response.question_id,
                last_answered_at=response.answered_at,
                due_at=response.answered_at,
            )
        progress.apply(
            correct=response.is_correct,
            points=response.points,
            at=response.answered_at,
            in_review=in_review,
        )
        progress.save()
        return progress


# Reading progress back: mastery per topic, and each quiz's history. Each is one query, so the
# progress page costs the same however many attempts and responses a student has.


def topic_mastery(user: Any, *, now: datetime, using: str = "default") -> list[TopicMastery]:
    """Each topic's counts and mastery level for one student, in one query.

    A topic's questions are its published questions in published quizzes; a topic without any
    is left out. The student's rows come in through a LEFT JOIN filtered on the student, so
    the query reads only their progress (through its unique index), never everyone's.
    """
    right = Q(mine__last_correct=True)
    rows = (
        Question.objects.using(using)
        .published()
        .filter(quiz__status=Status.PUBLISHED)
        .alias(mine=FilteredRelation("progress", condition=Q(progress__user=user)))
        .values("topic_id", "topic__name")
        .annotate(
            total=Count("id"),
            answered=Count("mine"),
            right=Count("mine", filter=right),
            spaced=Count("mine", filter=right & Q(mine__spaced_correct_at__isnull=False)),
            due=Count("mine", filter=Q(mine__due_at__lte=now)),
            next_due_at=Min("mine__due_at", filter=Q(mine__due_at__gt=now)),
        )
        .order_by("topic__name", "topic_id")
    )
    return [
        TopicMastery(
            topic_id=row["topic_id"],
            name=row["topic__name"],
            total=row["total"],
            answered=row["answered"],
            right=row["right"],
            spaced=row["spaced"],
            due=row["due"],
            next_due_at=row["next_due_at"],
        )
        for row in rows
    ]


def attempt_history(user: Any, *, using: str = "default") -> list[Attempt]:
    """All of a student's attempts, oldest first, with their quiz and `ended_at`: when the
    attempt finished or, while it is open, its latest answer (None before the first)."""
    from quizzes.models.attempts import Attempt, Response

    latest_answer = (
        Response.objects.filter(attempt=OuterRef("pk"))
        .order_by("-answered_at")
        .values("answered_at")[:1]
    )
    return list(
        Attempt.objects.using(using)
        .for_user(user)
        .select_related("quiz")
        # Only what the page shows: building 500 whole attempts and quizzes costs more than
        # the query that fetches them.
        .only(
            *("user_id", "quiz_id", "kind", "question_ids", "position", "score", "max_score"),
            *("started_at", "finished_at", "quiz__title", "quiz__slug"),
        )
        .annotate(ended_at=Coalesce("finished_at", Subquery(latest_answer)))
        .order_by("started_at", "id")
    )


def score_percent(attempt: Attempt) -> float | None:
    if not attempt.max_score:
        return None
    return float(attempt.score * 100 / attempt.max_score)


@dataclass
class AttemptSummary:
    """A student's attempts at one quiz, or at one kind of session (practice or review)."""

    title: str
    kind: str
    quiz: Quiz | None = None
    finished: int = 0
    best_percent: float | None = None
    last_percent: float | None = None
    last_finished_at: datetime | None = None
    time_spent: timedelta = timedelta(0)
    open_attempt: Attempt | None = None

    def add(self, attempt: Attempt) -> None:
        """Fold in one more attempt; attempts must come oldest first."""
        ended_at = getattr(attempt, "ended_at", None) or attempt.finished_at
        if ended_at:
            self.time_spent += max(ended_at - attempt.started_at, timedelta(0))
        if not attempt.is_finished:
            self.open_attempt = attempt
            return
        percent = score_percent(attempt)
        self.finished += 1
        self.last_percent = percent
        self.last_finished_at = attempt.finished_at
        if percent is not None and (self.best_percent is None or percent > self.best_percent):
            self.best_percent = percent

    @property
    def time_spent_words(self) -> str:
        return duration_words(self.time_spent)


def summarise_attempts(attempts: list[Attempt]) -> list[AttemptSummary]:
    """One summary per quiz, most recently started first, then practice, then review."""
    from quizzes.models.attempts import Attempt

    quizzes: dict[int, AttemptSummary] = {}
    sessions: dict[str, AttemptSummary] = {}
    for attempt in attempts:
        if attempt.kind == Attempt.Kind.QUIZ and attempt.quiz_id:
            summary = quizzes.get(attempt.quiz_id)
            if summary is None:
                summary = AttemptSummary(title=attempt.title, kind=attempt.kind, quiz=attempt.quiz)
            # Re-inserting moves the quiz to the end: the dict ends up in order of last use.
            quizzes.pop(attempt.quiz_id, None)
            quizzes[attempt.quiz_id] = summary
        else:
            summary = sessions.setdefault(
                attempt.kind, AttemptSummary(title=attempt.title, kind=attempt.kind)
            )
        summary.add(attempt)
    ordered_sessions = sorted(sessions.values(), key=lambda s: s.kind)  # practice, review
    return [*reversed(quizzes.values()), *ordered_sessions]


def duration_words(span: timedelta) -> str:
    """12 min, 1 h 5 min, under a minute."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def latest_mistakes(user: Any) -> models.QuerySet[Response]:
    """For each question (published, in a published quiz) the student ever got wrong, their
    latest wrong response, annotated `still_wrong` when their latest answer is still wrong.
    The ones still wrong come first, then the most recent."""
    from quizzes.models.attempts import Response

    wrong = Response.objects.filter(user=user, is_correct=False)
    # Responses are only ever added, so the highest id is the latest.
    latest_wrong = wrong.values("question_id").annotate(latest=Max("id")).values("latest")
    still_wrong = QuestionProgress.objects.filter(
        user=user, question=OuterRef("question"), last_correct=False
    )
    return (
        Response.objects.filter(
            id__in=latest_wrong,
            question__status=Status.PUBLISHED,
            question__quiz__status=Status.PUBLISHED,
        )
        .annotate(still_wrong=Exists(still_wrong))
        .select_related("question__quiz__source")
        .defer("question__quiz__source__text", "question__quiz__description")
        .prefetch_related("question__choices")
        .order_by("-still_wrong", "-answered_at", "-id")
    )
