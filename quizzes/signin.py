"""Signing in where classmates share one address: throttling that a classmate cannot turn
against someone else, and sessions that end on a shared computer.

django-axes counts wrong passwords per username and address. Our policy on top of it:

- **Trusted devices** (OWASP's device cookies). A browser that has signed in to an account is
  given a signed cookie naming it; while the cookie is valid, that browser is exempt from the
  account's lockout (django-axes' whitelist callable), so a pupil typing wrong passwords for
  the teacher's username keeps strangers out, not the teacher at their own computer. A trusted
  browser's own wrong passwords are counted against its cookie: after 5 it is trusted no more
  for an hour, and is an untrusted client like any other, so a stolen cookie buys 5 guesses.
- **Progressive cool-off**: 5 wrong passwords from an untrusted client lock the username at
  that address for 1 minute; each further wrong password after a lockout doubles the next one,
  up to 15 minutes; an hour without one forgets them all (`cool_off`, `ThrottlingHandler`).
- A lockout is never extended by tries made during it (django-axes'
  AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), and a teacher can lift a student's
  (`unlock`, from the class page).

An account a teacher made or reset (a login card's one-time password) must choose its own
password before anything else: signing in with the one-time password marks the session, and
`password_choice_required` sends every request of it to the password page until it has.

Sessions end when the browser closes, unless "Keep me signed in on this device" was ticked,
and in any case at a fixed time after signing in however active the session: 12 hours, or 14
days when kept (`SESSION_ENDS_AT`, checked by the `session_limits` middleware).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from functools import cache as once
from typing import Any
from urllib.parse import urlencode

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_credentials
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

# ---- Progressive cool-off --------------------------------------------------------------------

FIRST_LOCKOUT = timedelta(minutes=1)
LONGEST_LOCKOUT = timedelta(minutes=15)
# How long wrong passwords are remembered after the last one: longer than the longest lockout,
# or a lockout would end by forgetting what came before it.
FAILURE_MEMORY = timedelta(hours=1)


def cool_off(request: HttpRequest | None) -> timedelta:
    """AXES_COOLOFF_TIME: how long the wrong passwords of this request's username and address
    count. Below the limit, FAILURE_MEMORY; at the limit, the lockout, which doubles with each
    wrong password past it. Attempts are kept for FAILURE_MEMORY whatever this says
    (ThrottlingHandler), so the next lockout knows how many came before."""
    failures = _failures(request) if request is not None else settings.AXES_FAILURE_LIMIT
    beyond = failures - settings.AXES_FAILURE_LIMIT
    if beyond < 0:
        return FAILURE_MEMORY
    return min(FIRST_LOCKOUT * 2 ** min(beyond, 10), LONGEST_LOCKOUT)


def _failures(request: HttpRequest) -> int:
    address = getattr(request, "axes_ip_address", None)
    username = get_client_username(request)
    if address is None or username is None:
        return 0
    rows = AccessAttempt.objects.filter(username=username, ip_address=address)
    return rows.aggregate(total=Sum("failures_since_start"))["total"] or 0


class ThrottlingHandler(AxesDatabaseHandler):
    """AXES_HANDLER: django-axes' database handler, but

    - an address's wrong passwords for a username are forgotten FAILURE_MEMORY after the last
      one, rather than after this request's cool-off (which would let a short lockout of one
      account clear another account's count);
    - a sign-in from a trusted browser leaves strangers' wrong passwords counted: otherwise
      each time the teacher signs in, the pupil at the next computer gets 5 more guesses."""

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        threshold = timezone.now() - FAILURE_MEMORY
        count, _ = AccessAttempt.objects.filter(attempt_time__lte=threshold).delete()
        return count

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        super().user_logged_in(sender, request, user, **kwargs)  # AXES_RESET_ON_SUCCESS off
        credentials = get_credentials(user.get_username())
        if not is_trusted_device(request, credentials):
            self.reset_user_attempts(request, credentials)


def hourly(setting: str) -> Callable[[str, HttpRequest], str]:
    """A django-ratelimit rate of so many an hour, read from a setting at each request."""
    return lambda group, request: f"{getattr(settings, setting)}/h"


def unlock(username: str) -> None:
    """Forget every wrong password typed for `username`, from any address."""
    reset(username=username)


# ---- Trusted devices -------------------------------------------------------------------------

DEVICE_COOKIE = "quizsite_devices"
DEVICE_COOKIE_SALT = "quizsite.signin.devices"
DEVICE_COOKIE_AGE = 180 * 24 * 60 * 60
# One browser may be shared by a class: it stays trusted for the most recent accounts that fit
# in a cookie well under browsers' 4 KB.
DEVICE_COOKIE_CHARACTERS = 3000


def _devices(request: HttpRequest) -> list[tuple[str, str]]:
    """(nonce, username) of each account this browser has signed in to, newest first."""
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default="", salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_AGE
    )
    entries = (entry.partition(":") for entry in value.split("/") if entry)
    return [(nonce, username) for nonce, _, username in entries if nonce and username]


def _device_failures_key(nonce: str) -> str:
    return f"signin:device-failures:{nonce}"


def trusted_device(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The nonce of this browser's device cookie for the account being signed in to, if it has
    one and has not used up its own wrong passwords."""
    username = get_client_username(request, credentials)
    for nonce, name in _devices(request):
        if name == username:
            failures = cache.get(_device_failures_key(nonce), 0)
            return nonce if failures < settings.AXES_FAILURE_LIMIT else None
    return None


def is_trusted_device(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: a trusted browser is never locked out by others' tries."""
    return trusted_device(request, credentials) is not None


def count_device_failure(sender: Any, credentials: dict[str, Any], request=None, **kwargs) -> None:
    """Receiver for user_login_failed: a wrong password from a trusted browser counts against
    its cookie (django-axes records none for it)."""
    if request is None or not settings.AXES_ENABLED:
        return
    nonce = trusted_device(request, credentials)
    if nonce is not None:
        key = _device_failures_key(nonce)
        cache.set(key, cache.get(key, 0) + 1, int(FAILURE_MEMORY.total_seconds()))


def _trust_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """A new cookie nonce for `username` on this browser, its other accounts kept."""
    others = [(nonce, name) for nonce, name in _devices(request) if name != username]
    newest = (secrets.token_urlsafe(12), username)
    entries = [f"{nonce}:{name}" for nonce, name in [newest, *others]]
    while len("/".join(entries)) > DEVICE_COOKIE_CHARACTERS and len(entries) > 1:
        entries.pop()
    response.set_signed_cookie(
        DEVICE_COOKIE,
        "/".join(entries),
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# ---- Session limits --------------------------------------------------------------------------

SESSION_ENDS_AT = "quizsite_session_ends_at"  # a Unix time, in the session
KEEP_SIGNED_IN = timedelta(days=14)
SIGNED_IN_AT_MOST = timedelta(hours=12)


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Receiver for user_logged_in (every login: the site's, the admin's, sign-up): the session
    ends SIGNED_IN_AT_MOST from now, and the browser is trusted for the account."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_ENDS_AT] = time.time() + SIGNED_IN_AT_MOST.total_seconds()
    request.quizsite_trust_device = user.get_username()  # session_limits sets the cookie
    if getattr(user, "must_change_password", False):
        request.session[MUST_CHOOSE_PASSWORD] = True  # a sign-in link takes it back


def keep_signed_in(request: HttpRequest) -> None:
    """Ticked "Keep me signed in on this device": the session outlives the browser, for
    KEEP_SIGNED_IN from now (not from the last request)."""
    ends_at = time.time() + KEEP_SIGNED_IN.total_seconds()
    request.session[SESSION_ENDS_AT] = ends_at
    request.session.set_expiry(int(KEEP_SIGNED_IN.total_seconds()))


def session_limits(get_response: Callable[[HttpRequest], HttpResponse]):
    """Signs out a session past its end (or from before sessions had one), before the view
    runs; after a sign-in, gives the browser its device cookie."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            ends_at = request.session.get(SESSION_ENDS_AT)
            if ends_at is None or time.time() >= ends_at:
                logout(request)
        response = get_response(request)
        username = getattr(request, "quizsite_trust_device", None)
        if username is not None:
            _trust_device(request, response, username)
        return response

    return middleware


# ---- Choosing a password after a one-time one -------------------------------------------------

MUST_CHOOSE_PASSWORD = "quizsite_must_choose_password"  # in the session


@once
def _may_wait_paths() -> tuple[str, ...]:
    """Where a session that must choose a password may still go: the password page itself,
    logging out, and files."""
    return (
        reverse("password_change"),
        reverse("logout"),
        f"/{settings.STATIC_URL.lstrip('/')}",
        f"/{settings.MEDIA_URL.lstrip('/')}",
    )


def password_choice_required(get_response: Callable[[HttpRequest], HttpResponse]):
    """Sends a session signed in with a one-time password to choose a password, then on to
    the page it asked for; an HTMX request goes there as a whole page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(_may_wait_paths()) or not request.session.get(MUST_CHOOSE_PASSWORD):
            return get_response(request)
        target = f"{reverse('password_change')}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)

    return middleware
