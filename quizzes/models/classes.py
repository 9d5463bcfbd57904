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
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from quizzes import grading
from quizzes.live.game import EXTRA_TIME_CHOICES
from quizzes.models.attempts import Attempt, pluralize
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

    def assign(self, quiz: Any, due_at: datetime | None = None, **rules: Any) -> Assignment:
        """Assign a quiz, or change its due date (and `rules`: attempts_allowed, score_counts,
        late_work_accepted, answers_shown) if it is assigned already."""
        assignment, _ = Assignment.objects.update_or_create(
            classroom=self, quiz=quiz, defaults={"due_at": due_at, **rules}
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
        """Students by assigned quiz: the score that counts (the assignment's rule), when it
        was completed and whether late, in three queries however large the class, all from the
        database the class was read from (a replica, for the dashboard: quizzes/db.py)."""
        assignments = list(self.assignments.soonest_first().select_related("quiz"))
        students = list(self.students.order_by(Lower("display_name"), "username"))
        found = standings(assignments, self.students.all(), now=now, using=self._state.db)
        names = distinct_names(students)
        return Gradebook(
            assignments=assignments,
            rows=[
                (
                    student,
                    names[student.pk],
                    [found.get((student.pk, a.pk)) or Standing(a, now) for a in assignments],
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
    def where_set(self, user: Any) -> list[str]:
        """Where these assignments set their quizzes, as a teacher may read it: their own
        classes by name ("Year 10 History (The Moscow Trials)"), other teachers' as a count."""
        rows = self.select_related("quiz", "classroom").order_by("classroom__name", "quiz__title")
        mine = [
            f"{a.classroom.name} ({a.quiz.title})"
            for a in rows
            if a.classroom.teacher_id == user.pk
        ]
        others = sum(1 for a in rows if a.classroom.teacher_id != user.pk)
        if others:
            mine.append(f"{others} class{'es' if others > 1 else ''} of other teachers")
        return mine

    def soonest_first(self) -> AssignmentQuerySet:
        return self.order_by(F("due_at").asc(nulls_last=True), "quiz__title", "id")

    def for_student(self, student: Any) -> AssignmentQuerySet:
        """What is set for the classes a student is in, withdrawn quizzes (unpublished since)
        included: pages show those as withdrawn, never as a link."""
        return self.filter(classroom__memberships__student=student).select_related(
            "quiz", "classroom"
        )


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

    @property
    def is_withdrawn(self) -> bool:
        """Unpublished since it was set: students see it as withdrawn, with no link."""
        return self.quiz.status != Status.PUBLISHED

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and now > self.due_at

    def is_late(self, finished_at: datetime | None) -> bool:
        """Whether work finished at `finished_at` is late: after the due date."""
        return self.due_at is not None and finished_at is not None and finished_at > self.due_at

    def refusal(self, used: int, now: datetime) -> str:
        """Why a student who has started `used` attempts may not start another ("" if they
        may): the server's rule, whatever the page offered."""
        if self.is_withdrawn:
            return "This quiz has been withdrawn by your teacher."
        if self.attempts_allowed is not None and used >= self.attempts_allowed:
            n = self.attempts_allowed
            return f"You have used your {n} attempt{pluralize(n)} at this assignment."
        if not self.late_work_accepted and self.is_overdue(now):
            return "This assignment is past its due date, and late work is not accepted."
        return ""

    def counted(self, finished: list[Any]) -> Any | None:
        """Of a student's finished attempts (in the order they were made), the one whose score
        counts: the first, best or last, leaving out late ones where late work is not
        accepted."""
        if not self.late_work_accepted:
            finished = [a for a in finished if not self.is_late(a.finished_at)]
        if not finished:
            return None
        if self.score_counts == Assignment.Counts.FIRST:
            return finished[0]
        if self.score_counts == Assignment.Counts.LAST:
            return finished[-1]
        return max(finished, key=lambda a: (a.score / a.max_score if a.max_score else 0, -a.pk))

    @property
    def rules_words(self) -> str:
        """The rules as a student reads them: "2 attempts, your best counts"."""
        return self._rules_in_words(whose="your")

    @property
    def rules_words_for_teacher(self) -> str:
        """The rules as the teacher reads them on the class page: "2 attempts, the best
        counts" (not "your best", which is the student's)."""
        return self._rules_in_words(whose="the")

    def _rules_in_words(self, *, whose: str) -> str:
        n = self.attempts_allowed
        attempts = "Unlimited attempts" if n is None else f"{n} attempt{pluralize(n)}"
        late = "" if self.late_work_accepted else ", no late work"
        if n == 1:
            return attempts + late
        return f"{attempts}, {whose} {self.score_counts!s} counts{late}"


@dataclass(frozen=True, slots=True)
class AttemptRow:
    """The little of an attempt that standings read (one row of `standings`' query)."""

    pk: int
    number: int
    score: Decimal
    max_score: Decimal
    finished_at: datetime | None


class Standing:
    """Where one student is with one assignment: their attempts at it, the one that counts,
    its percentage (grading.percent), when it was completed, whether late, what is left."""

    def __init__(self, assignment: Assignment, now: datetime, attempts: list[AttemptRow] = ()):
        self.assignment = assignment
        self.now = now
        self.attempts = sorted(attempts, key=lambda a: a.number)
        finished = [a for a in self.attempts if a.finished_at is not None]
        self.finished_count = len(finished)
        self.open_attempt_id = next((a.pk for a in self.attempts if a.finished_at is None), None)
        self.counted = assignment.counted(finished)
        self.used = max((a.number for a in self.attempts), default=0)

    @property
    def percent(self) -> int | None:
        if self.counted is None:
            return None
        return grading.percent(self.counted.score, self.counted.max_score)

    @property
    def completed_at(self) -> datetime | None:
        return self.counted.finished_at if self.counted else None

    @property
    def is_late(self) -> bool:
        """Late: the counted attempt was finished after the due date."""
        return self.counted is not None and self.assignment.is_late(self.counted.finished_at)

    @property
    def attempts_left(self) -> int | None:
        """None: unlimited."""
        allowed = self.assignment.attempts_allowed
        return None if allowed is None else max(allowed - self.used, 0)

    @property
    def refusal(self) -> str:
        return "" if self.open_attempt_id else self.assignment.refusal(self.used, self.now)

    @property
    def can_start(self) -> bool:
        """A new attempt (or the open one to resume) is there to take."""
        return not self.assignment.is_withdrawn and (bool(self.open_attempt_id) or not self.refusal)

    @property
    def status(self) -> str:
        """ "withdrawn", "done", "in progress", "overdue" or "to do"."""
        if self.assignment.is_withdrawn:
            return "withdrawn"
        if self.open_attempt_id:
            return "in progress"
        if self.finished_count:
            return "done"
        if self.assignment.is_overdue(self.now):
            return "overdue"
        return "to do"

    # The gradebook's words for a cell (and its CSV's).
    @property
    def completed(self) -> bool:
        return self.counted is not None


def standings(
    assignments: list[Assignment],
    students: Any,
    *,
    now: datetime,
    using: str = "default",
) -> dict[tuple[int, int], Standing]:
    """Each (student id, assignment id) with attempts, as a Standing, in one query. `students`:
    users or a QuerySet of them. Pairs with no attempt are left out (Standing(a, now) is theirs)."""
    by_id = {a.pk: a for a in assignments}
    rows = (
        Attempt.objects.using(using)
        .filter(assignment_id__in=by_id, user__in=students)
        .values_list(
            "user_id", "assignment_id", "pk", "number", "score", "max_score", "finished_at"
        )
    )
    grouped: dict[tuple[int, int], list[AttemptRow]] = {}
    for user_id, assignment_id, *row in rows:
        grouped.setdefault((user_id, assignment_id), []).append(AttemptRow(*row))
    return {key: Standing(by_id[key[1]], now, attempts) for key, attempts in grouped.items()}


@dataclass(frozen=True)
class Assigned:
    """A student's assigned quizzes, split: what is left to do, and what is done (which the
    home page folds away, so a year of finished work does not bury this week's)."""

    open: list[Assignment]
    done: list[Assignment]

    def __bool__(self) -> bool:
        return bool(self.open or self.done)


def assigned_to(student: Any, now: datetime) -> Assigned:
    """A student's assigned quizzes, soonest due first, each with its `standing` (Standing).
    Two queries."""
    assignments = list(Assignment.objects.for_student(student).soonest_first())
    found = standings(assignments, [student], now=now)
    for assignment in assignments:
        assignment.standing = found.get((student.pk, assignment.pk)) or Standing(assignment, now)
    return Assigned(
        open=[a for a in assignments if a.standing.status not in ("done", "withdrawn")],
        done=[a for a in assignments if a.standing.status in ("done", "withdrawn")],
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
    rows: list[tuple[Any, str, list[Standing]]]  # (student, their name, a cell per quiz)

    def averages(self) -> list[int | None]:
        """Per assignment, the class average of the scores that count (grading.percent of the
        sum of their percentages over how many there are), None before any."""
        columns = zip(*(cells for _, _, cells in self.rows), strict=True) if self.rows else []
        result = []
        for cells in columns:
            scores = [c.percent for c in cells if c.percent is not None]
            result.append(grading.percent(sum(scores), 100 * len(scores)) if scores else None)
        return result or [None] * len(self.assignments)
