"""Login cards: accounts a teacher makes for a class from a list of names, and what a card
carries to sign its student in.

A card prints a username and, until the student has chosen their own password, a one-time
password; it may also carry a sign-in link (and its QR code) with a token of 256 random bits.
The database keeps digests only, never a card's secrets, so a card can be printed once, when it
is made; printing it again makes new secrets and the old card stops working.

- The one-time password is not the account's password (that stays unusable until the student
  chooses one): it is kept as an HMAC-SHA256 keyed with SECRET_KEY, checked by
  quizzes.auth.LoginCardBackend. So making 1,000 accounts costs no password hashing (Django's
  PBKDF2 takes about 0.3 s of CPU per password: 5 minutes for 1,000), and a copy of the
  database alone (without the key) gives nothing to guess offline. Signing in with it sends
  the student to choose their own password before anything else (quizzes.signin); once they
  have, it is dead.
- The link's token is kept as its SHA-256 and found by an index lookup: signing in with it
  costs no hashing at all, so a class of 30 scanning their cards at once waits for nothing.
  It signs in only its own student, never a staff account, and works until the teacher turns
  it off or prints a new card (README, "Login cards").
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from quizzes.models.accounts import User
from quizzes.names import skeleton
from quizzes.roster import (
    Card,
    link_digest,
    new_link_token,
    new_one_time_password,
    normalise_one_time_password,
    usernames,
)

_PASSWORD_SALT = "quizsite.cards.one-time-password"


def password_digest(user_id: int, password: str) -> str:
    """What is stored of a one-time password: keyed with SECRET_KEY and bound to its user."""
    value = f"{user_id}:{normalise_one_time_password(password)}"
    return salted_hmac(_PASSWORD_SALT, value, algorithm="sha256").hexdigest()


class LoginCardQuerySet(models.QuerySet["LoginCard"]):
    def signing_in(self) -> LoginCardQuerySet:
        """Cards that may sign their student in: active students, never staff."""
        return self.filter(user__is_active=True, user__is_staff=False, user__is_superuser=False)

    def with_link(self, token: str) -> LoginCard | None:
        """The card of this sign-in link, if it may sign in: one index lookup."""
        return (
            self.signing_in().select_related("user").filter(link_digest=link_digest(token)).first()
        )


class LoginCard(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_card"
    )
    # SHA-256 of the sign-in link's token; null: no link (never made, or turned off).
    link_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # HMAC of the one-time password; empty once the student has chosen their own password.
    password_digest = models.CharField(max_length=64, blank=True, default="")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LoginCardQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Login card of {self.user}"

    def accepts_password(self, password: str) -> bool:
        if not self.password_digest:
            return False
        return hmac.compare_digest(self.password_digest, password_digest(self.user_id, password))


def _new_secrets(user: Any, *, link: bool, password: bool) -> tuple[Card, dict[str, Any]]:
    """A card's secrets, shown once, and the digests to store of them."""
    plain = new_one_time_password() if password else ""
    token = new_link_token() if link else ""
    card = Card(user.pk, user.display_name, user.username, plain, token)
    digests = {
        "link_digest": link_digest(token) if link else None,
        "password_digest": password_digest(user.pk, plain) if password else "",
    }
    return card, digests


def _taken_skeletons(candidates: set[str]) -> set[str]:
    return set(
        User.objects.filter(username_skeleton__in=candidates).values_list(
            "username_skeleton", flat=True
        )
    )


def enrol(classroom: Any, names: list[str], *, teacher: Any, link: bool) -> list[Card]:
    """Accounts for these names in the class, each with a login card (a one-time password, and a
    sign-in link if `link`), in one transaction and a few bulk statements however long the
    list. Returns the cards in the list's order. A username taken meanwhile by someone else
    (two teachers importing at once) makes the next try pick others."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _enrol(classroom, names, teacher=teacher, link=link)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _enrol(classroom: Any, names: list[str], *, teacher: Any, link: bool) -> list[Card]:
    from quizzes.models.classes import Membership

    unusable = make_password(None)  # "!" and random characters: no password hashing
    users = [
        User(
            username=username,
            username_skeleton=skeleton(username),
            display_name=name,
            password=unusable,
            must_change_password=True,
        )
        for name, username in zip(names, usernames(names, _taken_skeletons), strict=True)
    ]
    users = User.objects.bulk_create(users)  # with their ids, on SQLite and PostgreSQL
    Membership.objects.bulk_create(Membership(classroom=classroom, student=u) for u in users)
    cards, rows = [], []
    for user in users:
        card, digests = _new_secrets(user, link=link, password=True)
        cards.append(card)
        rows.append(LoginCard(user=user, issued_by=teacher, **digests))
    LoginCard.objects.bulk_create(rows)
    return cards


@transaction.atomic
def print_new_card(student: Any, *, teacher: Any, link: bool = True) -> Card:
    """A new card for one student: a new sign-in link (the old card's stops working) and, while
    the student has no password of their own, a new one-time password."""
    student = User.objects.select_for_update().get(pk=student.pk)
    own_password = student.has_usable_password()
    card, digests = _new_secrets(student, link=link, password=not own_password)
    LoginCard.objects.update_or_create(
        user=student, defaults={**digests, "issued_by": teacher, "issued_at": timezone.now()}
    )
    return card


@transaction.atomic
def reset_password(student: Any, *, teacher: Any) -> Card:
    """The student's password is no more: a new one-time password, to be changed at the next
    sign-in. Their sessions elsewhere end (the password's hash changes); the sign-in link, if
    any, is kept as it is."""
    student = User.objects.select_for_update().get(pk=student.pk)
    student.set_unusable_password()
    student.must_change_password = True
    student.save(update_fields=["password", "must_change_password"])
    card, digests = _new_secrets(student, link=False, password=True)
    LoginCard.objects.update_or_create(
        user=student,
        defaults={"password_digest": digests["password_digest"], "issued_by": teacher},
    )
    return card


def turn_off_link(student: Any) -> bool:
    """The student's sign-in link stops working; True if there was one."""
    return bool(
        LoginCard.objects.filter(user=student, link_digest__isnull=False).update(link_digest=None)
    )


@transaction.atomic
def chose_own_password(user: Any) -> None:
    """The student has chosen their own password: the one-time one is dead."""
    LoginCard.objects.filter(user=user).exclude(password_digest="").update(password_digest="")
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
