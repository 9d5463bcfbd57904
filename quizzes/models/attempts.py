"""Attempts (a student taking a quiz) and their responses (one per question, recorded once)."""

from __future__ import annotations

import random
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, ExpressionWrapper, F, Max, Q
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils import timezone

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
                best_percent=Max(
                    ExpressionWrapper(
                        F("score") * 100 / NullIf(F("max_score"), 0),
                        output_field=models.DecimalField(),
                    ),
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
            models.CheckConstraint(condition=Q(score__gte=0), name="attempt_score_not_negative"),
        ]
        indexes = [models.Index(fields=["user", "quiz", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt", args=[self.pk])

    @property
    def title(self) -> str:
        return self.quiz.title if self.quiz_id else self.get_kind_display()

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


class Response(models.Model):
    """A student's answer to one question of one attempt, graded once when it is recorded.

    The answer, its words and its marks are stored as they were, so a later edit to the
    question never changes a student's recorded result.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    # Denormalised from the attempt: progress and leaderboards read responses by student.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses"
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
        indexes = [
            models.Index(fields=["user", "question"]),
            models.Index(fields=["user", "answered_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.question}"

    @property
    def answer_lines(self) -> list[str]:
        return self.answer_text.splitlines()
