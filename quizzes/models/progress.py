"""Where each student stands on each question: the one row that progress, mastery, spaced
review and leaderboards all read. It is updated in the same transaction as the response that
changes it, so it can never fall out of step with the responses it summarises."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, FilteredRelation, Min, Q
from fsrs import Card, Rating, Scheduler

from quizzes.mastery import TopicMastery
from quizzes.models.content import Question, Status

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

    def visible_to(self, user: Any) -> QuestionProgressQuerySet:
        """Rows of questions the user still sees (Question.objects.visible_to): a quiz taken
        for a class that no longer has it set stays out of practice and review."""
        return self.filter(question__in=Question.objects.visible_to(user))

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
    # The latest answer in words (Response.answer_text): a class's most common wrong answer is
    # read from its students' rows (Class insight), never from all their responses.
    last_answer_text = models.TextField(blank=True, default="")
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
        progress = cls.as_read(response, cls.objects.select_for_update())
        progress.fold_in(response, in_review=in_review)
        progress.save()
        return progress

    @classmethod
    def as_read(
        cls, response: Any, rows: QuestionProgressQuerySet | None = None
    ) -> QuestionProgress:
        """The student's row for the response's question as it is now, or a new one (not
        saved): of `rows` (locked, say), or of all."""
        rows = cls.objects.all() if rows is None else rows
        progress = rows.filter(user_id=response.user_id, question_id=response.question_id).first()
        if progress is None:
            progress = cls(
                user_id=response.user_id,
                question_id=response.question_id,
                last_answered_at=response.answered_at,
                due_at=response.answered_at,
            )
        return progress

    def fold_in(self, response: Any, *, in_review: bool) -> None:
        """Fold the response into this row (not saved)."""
        self.apply(
            correct=response.is_correct,
            points=response.points,
            at=response.answered_at,
            in_review=in_review,
        )
        self.last_answer_text = response.answer_text

    def save_unless_moved(self) -> bool:
        """Save a row read without a lock and folded in since (as_read, fold_in), on condition
        that no other answer changed it meanwhile: whether it was saved. An existing row is
        updated only if it still has the count it was read with; a new one is inserted, and
        the unique constraint refuses it (IntegrityError) if another answer inserted it."""
        if self._state.adding:
            self.save(force_insert=True)
            return True
        fields = [f.attname for f in self._meta.concrete_fields if not f.primary_key]
        unchanged = type(self).objects.filter(pk=self.pk, answered_count=self.answered_count - 1)
        return bool(unchanged.update(**{name: getattr(self, name) for name in fields}))


# Reading progress back: mastery per topic, in one query, so the progress page costs the same
# however many answers a student has (their history is read from the attempts: models/attempts.py).


def topic_mastery(user: Any, *, now: datetime, using: str = "default") -> list[TopicMastery]:
    """Each topic's counts and mastery level for one student, in one query.

    A topic's questions are its published questions in the published quizzes the student sees
    (Question.objects.visible_to); a topic without any is left out. The student's rows come
    in through a LEFT JOIN filtered on the student, so the query reads only their progress
    (through its unique index), never everyone's.
    """
    right = Q(mine__last_correct=True)
    rows = (
        Question.objects.using(using)
        .visible_to(user)
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
