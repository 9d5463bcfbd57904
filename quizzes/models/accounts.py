from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A student or a teacher. Classmates only ever see `display_name`."""

    display_name = models.CharField(
        max_length=60, help_text="The name classmates and teachers see, e.g. “Alice P.”"
    )

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_teacher(self) -> bool:
        return self.is_staff
