"""Classes: a teacher's class, its students, and the quizzes assigned to it."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, ExpressionWrapper, F, Max, Q
from django.db.models.functions import Lower, NullIf
from django.urls import reverse

from quizzes.live.game import EXTRA_TIME_CHOICES
from quizzes.models.attempts import Attempt
from quizzes.models.content import Status
from quizzes.names import skeleton

# No look-alikes, typed or handwritten (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V): easy to copy from a
# board, and 23^8 ≈ 7.8e10 codes.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text: str) -> str:
    """What a student typed, as stored: "acde-fghj " -> "ACDEFGHJ"."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class ClassroomQuerySet(models.QuerySet["Classroom"]):
    def taught_by(self, user: Any) -> ClassroomQuerySet:
        return self.filter(teacher=user)

    def with_member(self, user: Any) -> ClassroomQuerySet:
        return self.filter(memberships__student=user)

    def visible_to(self, user: Any) -> ClassroomQuerySet:
        """Classes a user may see: those they teach or belong to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(teacher=user) | models.Q(memberships__student=user)).distinct()

    def with_code(self, code: str) -> ClassroomQuerySet:
        return self.filter(join_code=normalise_join_code(code))

    def with_student_counts(self) -> ClassroomQuerySet:
        return self.annotate(student_count=Count("memberships", distinct=True))


class Classroom(models.Model):
    name = models.CharField(max_length=100)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught"
    )
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code)
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="classrooms", blank=True
    )
    quizzes = models.ManyToManyField(
        "quizzes.Quiz", through="Assignment", related_name="classrooms", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quizzes:classroom", args=[self.pk])

    def regenerate_join_code(self) -> str:
        """A fresh code; the old one stops working at once."""
        for _ in range(10):
            self.join_code = new_join_code()
            try:
                with transaction.atomic():
                    self.save(update_fields=["join_code"])
                return self.join_code
            except IntegrityError:
                continue
        raise RuntimeError("could not find a free join code")

    def is_taught_by(self, user: Any) -> bool:
        """Whether `user` is this class's teacher (who is a teacher at all: User.is_teacher)."""
        return self.teacher_id == user.pk

    @property
    def spaced_join_code(self) -> str:
        """The code as written on a board: two groups of four."""
        return f"{self.join_code[:4]} {self.join_code[4:]}"

    def add_student(self, student: Any) -> bool:
        """Join the class; True if the student was not in it yet. Exactly once however often,
        or however many times at once, it is asked: get_or_create falls back on the unique
        constraint."""
        _, created = Membership.objects.get_or_create(classroom=self, student=student)
        return created

    def remove_student(self, student_id: int) -> bool:
        deleted, _ = self.memberships.filter(student_id=student_id).delete()
        return bool(deleted)

    def assign(self, quiz: Any, due_at: datetime | None = None) -> Assignment:
        """Assign a quiz, or change its due date if it is assigned already."""
        assignment, _ = Assignment.objects.update_or_create(
            classroom=self, quiz=quiz, defaults={"due_at": due_at}
        )
        return assignment

    def assignments_with_banks(self) -> list[Assignment]:
        """The assigned quizzes, each with `bank_ids`: the quiz and the published banks it
        draws from (whose questions its board counts). One query."""
        rows = (
            self.assignments.soonest_first()
            .select_related("quiz")
            .annotate(drawn_id=F("quiz__draws_from"), drawn_status=F("quiz__draws_from__status"))
        )
        assignments: dict[int, Assignment] = {}
        for row in rows:
            assignment = assignments.setdefault(row.pk, row)
            if assignment is row:
                assignment.bank_ids = [row.quiz_id]
            if row.drawn_id and row.drawn_status == Status.PUBLISHED:
                assignment.bank_ids.append(row.drawn_id)
        return list(assignments.values())

    def gradebook(self, now: datetime) -> Gradebook:
        """Students by assigned quiz: best finished score and whether they finished, in three
        queries however large the class, all from the database the class was read from (a
        replica, for the dashboard: quizzes/db.py)."""
        assignments = list(self.assignments.soonest_first().select_related("quiz"))
        students = list(self.students.order_by(Lower("display_name"), "username"))
        finished = Q(finished_at__isnull=False)
        rows = (
            Attempt.objects.using(self._state.db)
            .filter(
                kind=Attempt.Kind.QUIZ,
                user__memberships__classroom=self,
                quiz__assignments__classroom=self,
            )
            .values("user_id", "quiz_id")
            .annotate(
                best_percent=Max(
                    ExpressionWrapper(
                        F("score") * 100 / NullIf(F("max_score"), 0),
                        output_field=models.DecimalField(),
                    ),
                    filter=finished,
                ),
                finished_count=Count("id", filter=finished),
                open_count=Count("id", filter=~finished),
            )
        )
        summary = {(row["user_id"], row["quiz_id"]): row for row in rows}
        names = distinct_names(students)
        return Gradebook(
            assignments=assignments,
            rows=[
                (
                    student,
                    names[student.pk],
                    [
                        GradebookCell.of(a, summary.get((student.pk, a.quiz_id), {}), now)
                        for a in assignments
                    ],
                )
                for student in students
            ],
        )


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    # An accommodation the teacher sets: more time on a live game's timed questions (+50%).
    extra_time_percent = models.PositiveSmallIntegerField(default=0, choices=EXTRA_TIME_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="one_membership_per_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"

    @property
    def extra_time_choices(self) -> list[tuple[int, str]]:
        return EXTRA_TIME_CHOICES


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def soonest_first(self) -> AssignmentQuerySet:
        return self.order_by(F("due_at").asc(nulls_last=True), "quiz__title", "id")

    def for_student(self, student: Any) -> AssignmentQuerySet:
        """Published quizzes assigned to the classes a student is in."""
        return self.filter(
            classroom__memberships__student=student, quiz__status=Status.PUBLISHED
        ).select_related("quiz", "classroom")


class Assignment(models.Model):
    """A quiz set for a class: its own set of attempts (Attempt.assignment), so that attempts
    made before it was set, or for another class, never count for it."""

    class Counts(models.TextChoices):
        FIRST = "first", "First attempt"
        BEST = "best", "Best attempt"
        LAST = "last", "Last attempt"

    class Answers(models.TextChoices):
        """When the feedback shows the right answers while the student has attempts left (once
        none are left, it always does)."""

        AFTER_LAST_ATTEMPT = "last-attempt", "After the last allowed attempt"
        AFTER_DUE_DATE = "due-date", "After the due date"

    ATTEMPTS_CHOICES = [(1, "1"), (2, "2"), (3, "3"), (None, "Unlimited")]

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="assignments")
    due_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    # None: unlimited.
    attempts_allowed = models.PositiveSmallIntegerField(
        null=True, blank=True, default=1, choices=ATTEMPTS_CHOICES
    )
    score_counts = models.CharField(max_length=5, choices=Counts.choices, default=Counts.FIRST)
    late_work_accepted = models.BooleanField(default=True)
    answers_shown = models.CharField(
        max_length=12, choices=Answers.choices, default=Answers.AFTER_LAST_ATTEMPT
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "quiz"], name="one_assignment_per_quiz"),
            models.CheckConstraint(
                condition=Q(attempts_allowed__isnull=True) | Q(attempts_allowed__gte=1),
                name="assignment_attempts_allowed_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} for {self.classroom}"

    def status(self, mine: dict[str, Any], now: datetime) -> str:
        """Where a student is with this quiz, from their row of Attempt.summary_by_quiz()."""
        if mine.get("finished_count"):
            return "done"
        if self.due_at and self.due_at < now:
            return "past due"
        if mine.get("open_attempt_id") or mine.get("open_count"):
            return "in progress"
        return "to do"


@dataclass(frozen=True)
class Assigned:
    """A student's assigned quizzes, split: what is left to do, and what is done (which the
    home page folds away, so a year of finished work does not bury this week's)."""

    open: list[Assignment]
    done: list[Assignment]

    def __bool__(self) -> bool:
        return bool(self.open or self.done)


def assigned_to(student: Any, summary: dict[int, dict[str, Any]], now: datetime) -> Assigned:
    """A student's assigned quizzes, soonest due first, each with `status_word` and `mine`
    (their summary_by_quiz row, which the home page has already read). One query."""
    assignments = list(Assignment.objects.for_student(student).soonest_first())
    for assignment in assignments:
        assignment.mine = summary.get(assignment.quiz_id, {})
        assignment.status_word = assignment.status(assignment.mine, now)
    return Assigned(
        open=[a for a in assignments if a.status_word != "done"],
        done=[a for a in assignments if a.status_word == "done"],
    )


@dataclass(frozen=True)
class GradebookCell:
    best_percent: Decimal | None
    completed: bool
    status: str

    @classmethod
    def of(cls, assignment: Assignment, mine: dict[str, Any], now: datetime) -> GradebookCell:
        return cls(
            best_percent=mine.get("best_percent"),
            completed=bool(mine.get("finished_count")),
            status=assignment.status(mine, now),
        )


def distinct_names(students: list[Any]) -> dict[int, str]:
    """Each student's name as a teacher reads it: the display name, with the username added
    where two students' names look alike (quizzes/names.py), so neither can pass for the
    other."""
    looks = Counter(skeleton(str(student)) for student in students)
    return {
        student.pk: f"{student} ({student.username})"
        if looks[skeleton(str(student))] > 1
        else str(student)
        for student in students
    }


@dataclass
class Gradebook:
    assignments: list[Assignment]
    rows: list[tuple[Any, str, list[GradebookCell]]]  # (student, their name, a cell per quiz)
