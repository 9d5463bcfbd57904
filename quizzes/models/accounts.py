from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from quizzes.names import skeleton, validate_display_name


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

    def name_for(self, viewer: "User") -> str:
        """How this student appears to `viewer`: teachers and the student always see the real
        display name; classmates see "Anonymous student" if the student chose so."""
        if self.anonymous_on_leaderboards and viewer.pk != self.pk and not viewer.is_staff:
            return "Anonymous student"
        return str(self)

    @property
    def is_teacher(self) -> bool:
        return self.is_staff
