"""Attempts (a student taking a quiz) and their responses (one per question, recorded once)."""

from __future__ import annotations

import random
import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Cast, NullIf
from django.urls import reverse
from django.utils import timezone

from quizzes import leaderboards
from quizzes.models.content import Question, Quiz
from quizzes.models.progress import QuestionProgress


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def unfinished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=True)

    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)

    def for_user(self, user: Any) -> AttemptQuerySet:
        return self.filter(user=user)

    def summary_by_quiz(self) -> dict[int, dict[str, Any]]:
        """Per quiz: the best finished score in percent and the open attempt's id, in one query."""
        finished = Q(finished_at__isnull=False)
        rows = (
            self.filter(kind=Attempt.Kind.QUIZ)
            .values("quiz_id")
            .annotate(
                # As floats: SQLite stores whole-number decimals as integers and would
                # divide 400 by 6 as 66, not 66.7.
                best_percent=Max(
                    Cast("score", models.FloatField())
                    * 100.0
                    / NullIf(Cast("max_score", models.FloatField()), 0.0),
                    filter=finished,
                ),
                finished_count=Count("id", filter=finished),
                open_attempt_id=Max("id", filter=Q(finished_at__isnull=True)),
            )
        )
        return {row.pop("quiz_id"): row for row in rows}


class Attempt(models.Model):
    class Kind(models.TextChoices):
        QUIZ = "quiz", "Quiz"
        PRACTICE = "practice", "Practice"
        REVIEW = "review", "Review"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    quiz = models.ForeignKey(
        Quiz, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUIZ)
    # The questions of this attempt in the order it asks them, fixed when it starts so that
    # later edits to the bank never reshuffle a student's attempt.
    question_ids = models.JSONField(default=list)
    # Seeds the per-attempt shuffle of choices, so a reload shows the same order.
    seed = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0, help_text="Questions answered so far.")
    score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    correct_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # One open attempt per student and quiz: "Start quiz" twice resumes, never forks.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(finished_at__isnull=True, kind="quiz"),
                name="one_unfinished_attempt_per_quiz",
            ),
            # One open practice and one open review per student: starting again resumes.
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(finished_at__isnull=True, kind__in=["practice", "review"]),
                name="one_unfinished_session_per_kind",
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="attempt_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt", args=[self.pk])

    @property
    def title(self) -> str:
        if self.quiz_id:
            return self.quiz.title
        return "Practise my mistakes" if self.kind == Attempt.Kind.PRACTICE else "Review"

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def current_number(self) -> int:
        """1-based number of the question to answer next."""
        return min(self.position + 1, self.total)

    def links(self, number: int) -> dict[str, str]:
        """Where the question card and its feedback lead: the answer post for question
        `number`, the next question, and the results. The admin's preview supplies its own."""
        return {
            "answer": reverse("quizzes:answer", args=[self.pk, number]),
            "next": reverse("quizzes:attempt", args=[self.pk]),
            "results": reverse("quizzes:results", args=[self.pk]),
        }

    def question_id_at(self, number: int) -> int | None:
        if 1 <= number <= self.total:
            return self.question_ids[number - 1]
        return None

    def is_answered(self, number: int) -> bool:
        # Questions are answered in order, so the first `position` ones are the answered ones.
        return number <= self.position

    def record_answer(self, question: Question, answer: dict[str, Any]) -> Response:
        """Grade and store the answer to the current question, and move on.

        The caller holds this attempt's row lock (see `locked`), so two simultaneous posts
        cannot both record; the unique constraint on Response is the last line of defence.
        """
        grade = question.grade(answer)
        now = timezone.now()
        response = Response.objects.create(
            attempt=self,
            question=question,
            user_id=self.user_id,
            answer=answer,
            answer_text="\n".join(question.describe_answer(answer)),
            score=grade.fraction,
            points=grade.points(question.points),
            is_correct=grade.correct,
            answered_at=now,
        )
        QuestionProgress.record(response, in_review=self.kind == Attempt.Kind.REVIEW)
        leaderboards.answer_recorded(response)  # on commit: counts the answer in Redis
        self.position += 1
        self.score += response.points
        self.correct_count += int(response.is_correct)
        update_fields = ["position", "score", "correct_count"]
        if self.position >= self.total:
            self.finished_at = now
            update_fields.append("finished_at")
        self.save(update_fields=update_fields)
        return response


def start_attempt(*, user: Any, quiz: Quiz) -> Attempt:
    """The student's open attempt at this quiz, or a new one. Safe against double clicks."""
    existing = Attempt.objects.unfinished().filter(user=user, quiz=quiz, kind=Attempt.Kind.QUIZ)
    if attempt := existing.first():
        return attempt
    rng = random.Random(secrets.randbits(32))
    question_ids = quiz.draw_question_ids(rng)
    points = dict(Question.objects.filter(id__in=question_ids).values_list("id", "points"))
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                question_ids=question_ids,
                seed=rng.randrange(2**31),
                max_score=sum(points.values()),
            )
    except IntegrityError:
        # Another request started it a moment ago: continue that one.
        return existing.get()


# A practice or review session asks at most this many questions; the rest wait for the next.
SESSION_SIZE = 20


def start_practice(*, user: Any) -> Attempt | None:
    """The student's open "Practise my mistakes", or a new one of the questions whose latest
    answer was wrong, in bank order. None when there is nothing to practise."""
    mistakes = (
        QuestionProgress.objects.for_user(user)
        .live()
        .wrong()
        .order_by("question__quiz_id", "question__position", "question_id")
    )
    return _start_session(user=user, kind=Attempt.Kind.PRACTICE, progress=mistakes)


def start_review(*, user: Any, now: datetime) -> Attempt | None:
    """The student's open review, or a new one of the questions due by `now`, the most
    overdue first. None when nothing is due."""
    due = QuestionProgress.objects.for_user(user).live().due(now).most_overdue_first()
    return _start_session(user=user, kind=Attempt.Kind.REVIEW, progress=due)


def _start_session(*, user: Any, kind: str, progress: models.QuerySet[Any]) -> Attempt | None:
    existing = Attempt.objects.unfinished().filter(user=user, kind=kind)
    if attempt := existing.first():
        return attempt
    rows = list(progress.values_list("question_id", "question__points")[:SESSION_SIZE])
    if not rows:
        return None
    try:
        # The partial unique constraint one_unfinished_session_per_kind refuses a second
        # open session, so two clicks at once cannot fork the student's practice or review.
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                kind=kind,
                question_ids=[question_id for question_id, _ in rows],
                seed=secrets.randbelow(2**31),
                max_score=sum(points for _, points in rows),
            )
    except IntegrityError:
        return existing.get()


class Response(models.Model):
    """A student's answer to one question of one attempt, graded once when it is recorded.

    The answer, its words and its marks are stored as they were, so a later edit to the
    question never changes a student's recorded result.
    """

    # No index of their own on attempt and user: the unique (attempt, question) and the
    # (user, answered_at) indexes lead with them and serve every lookup (bench/explain.py),
    # and each index is one more write on every answer.
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    # Denormalised from the attempt: progress and leaderboards read responses by student.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    answer = models.JSONField()
    answer_text = models.TextField(blank=True)
    score = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="Share of the marks, 0 to 1."
    )
    points = models.DecimalField(max_digits=6, decimal_places=2)
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_response_per_question"
            ),
        ]
        indexes = [models.Index(fields=["user", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.question}"

    @property
    def answer_lines(self) -> list[str]:
        return self.answer_text.splitlines()
