"""Signing in: Django's ModelBackend, with the signed-in user read from the cache.

Every request of a signed-in student loads their user row to check the session against it.
That query and the model it builds cost more CPU than anything else a question page does
but render (bench/profile_hot_paths.py), so the user is kept in the cache (Redis, or the
disk cache of one machine) under a version that every save or delete of the user changes.

Why a version and not a delete: a request that read the user just before a password change
committed could put the old row back after the delete; stored with the version it was read
under, it no longer matches the version that the change moved to. The version is random,
not counted up, so that an evicted version cannot come back to the number of a cached entry.

Writes that send no signal (`User.objects.update()`, raw SQL) must call `forget_user()`.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction

# Also bounds how long a change made while Redis was unreachable can go unseen once it is back.
USER_CACHE_SECONDS = 10 * 60
BACKEND = "quizzes.auth.CachedModelBackend"  # its path, for login() and for sessions


def _version_key(user_id: Any) -> str:
    return f"user:v2:{user_id}:version"


def _user_key(user_id: Any) -> str:
    return f"user:v2:{user_id}"


class CachedModelBackend(ModelBackend):
    """ModelBackend whose get_user (once per request, for the session) reads the cache."""

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        # The user is stored with the version it was read under: one round trip reads both.
        found = cache.get_many([_version_key(user_id), _user_key(user_id)])
        version = found.get(_version_key(user_id))
        if version is None:
            cache.add(_version_key(user_id), secrets.randbits(63), None)
            version = cache.get(_version_key(user_id))
        entry = found.get(_user_key(user_id))
        if entry is not None and entry[0] == version:
            user = entry[1]
        else:
            user = super().get_user(user_id)
            if user is None:
                return None  # no such user, or inactive: nothing to remember
            cache.set(_user_key(user_id), (version, user), USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


def forget_user(user_id: Any) -> None:
    """Move the user's cache entry to a new version now, for this request's next read, and
    again once the write is committed: in between, another request could read the old row
    and cache it under the first new version."""

    def move() -> None:
        cache.set(_version_key(user_id), secrets.randbits(63), None)

    move()
    transaction.on_commit(move)


def forget_saved_user(sender: type, instance: Any, **kwargs: Any) -> None:
    """Receiver for post_save and post_delete of the user model."""
    if not kwargs.get("created"):  # a new user has nothing cached yet
        forget_user(instance.pk)


class LoginCardBackend(CachedModelBackend):
    """Signing in with what a login card carries (quizzes.models.cards): a username and its
    one-time password, typed into the login form; or a sign-in link's token (with the
    username the link's card names, so that django-axes checks that username's lockout, as
    it does for a password). Both are checked by a digest, with no password hashing; neither
    ever signs in a staff account. Before CachedModelBackend, so that a right one-time
    password is not first hashed as a wrong ordinary one."""

    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        card_token: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        from quizzes.models.cards import LoginCard

        if username is None:
            return None
        cards = LoginCard.objects.signing_in().select_related("user")
        if card_token is not None:
            card = cards.with_link(card_token)
            return card.user if card is not None and card.user.username == username else None
        if password is None:
            return None
        card = cards.exclude(password_digest="").filter(user__username=username).first()
        if card is None or not card.accepts_password(password):
            return None  # CachedModelBackend tries the account's own password
        return card.user if self.user_can_authenticate(card.user) else None
