from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A student or a teacher. Classmates only ever see `display_name`."""

    display_name = models.CharField(
        max_length=60, help_text="The name classmates and teachers see, e.g. “Alice P.”"
    )

    anonymous_on_leaderboards = models.BooleanField(
        default=False,
        help_text="Show me to classmates as “Anonymous student” on leaderboards.",
    )

    def __str__(self) -> str:
        return self.display_name or self.username

    def name_for(self, viewer: "User") -> str:
        """How this student appears to `viewer`: teachers and the student always see the real
        display name; classmates see "Anonymous student" if the student chose so."""
        if self.anonymous_on_leaderboards and viewer.pk != self.pk and not viewer.is_staff:
            return "Anonymous student"
        return str(self)

    @property
    def is_teacher(self) -> bool:
        return self.is_staff
