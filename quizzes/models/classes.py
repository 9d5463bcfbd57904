"""Classes: a teacher's class, its students, and the quizzes assigned to it."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse

# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B): easy to copy from a board, 22^8 ≈ 5.5e10 codes.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


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


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="one_membership_per_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="assignments")
    due_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "quiz"], name="one_assignment_per_quiz"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} for {self.classroom}"
