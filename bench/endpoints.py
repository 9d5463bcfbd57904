"""The load benchmark's yardsticks: bare endpoints and a Server-Timing header.

The bare endpoints read one row or update one row, through the same middleware and settings as
every page. They show what this machine and stack allow at best, so the benchmark can state
each page's speed as a share of it. Each comes twice: as is, and signed in (`.../me/`: the
session and the user loaded, and for the update the CSRF check too, before the same one row).
Every page a student uses pays for being signed in, so the signed-in pair shows how much of the
bare endpoint's speed any such page can reach at most, whatever it does beyond. Each touches
the requesting benchmark student's own user row, so simulated students never wait on each
other's locks.

None of it is in the app: only bench.settings (DJANGO_SETTINGS_MODULE=bench.settings, which the
benchmarks set for the servers they start) mounts the endpoints and adds the header.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quizzes import auth
from quizzes.forms import LoginForm
from quizzes.models import User


def server_timing(get_response: Callable[[HttpRequest], HttpResponse]):
    """Adds `Server-Timing: app;dur=<ms>`: the time Django spent on the request, through every
    other middleware. The load benchmark compares pages with the bare endpoints by it: the
    client's latency also holds the time a request waited for a free worker, which is the same
    for every page and says nothing about it. Never in production: it tells clients our
    timings."""

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.3f}"
        return response

    return middleware


@require_GET
def read_one_row(request: HttpRequest, user_id: int) -> HttpResponse:
    return _read_row(user_id)


@require_POST
def update_one_row(request: HttpRequest, user_id: int) -> HttpResponse:
    return _update_row(user_id)


@require_GET
@login_required
def read_my_row(request: HttpRequest) -> HttpResponse:
    return _read_row(request.user.pk)


@require_POST
@login_required
def update_my_row(request: HttpRequest) -> HttpResponse:
    return _update_row(request.user.pk)


def _read_row(user_id: int) -> HttpResponse:
    name = User.objects.filter(pk=user_id).values_list("username", flat=True).first()
    if name is None:
        raise Http404("No such user")
    return HttpResponse(name, content_type="text/plain")


def _update_row(user_id: int) -> HttpResponse:
    if not User.objects.filter(pk=user_id).update(last_login=timezone.now()):
        raise Http404("No such user")
    return HttpResponse(status=204)


# ---- A stand-in for the login cards' sign-in link ----------------------------------------------
# The login storm (bench/load.py) signs a class in at once with the form and with a card's
# sign-in link: a long random token found by its SHA-256, no password hashing. Until the app
# has the link, this stand-in does what it will do: a page that asks, then a post of the token
# that signs the student in through Django's login() (the session, its limits, the device
# cookie), with the digest looked up in the cache where the app will look it up in its table.

CARD_KEY = "bench:card:"


def card_token(user_id: int) -> str:
    """A new sign-in token for the user (bench/data.py gives one to each student)."""
    token = secrets.token_urlsafe(32)
    cache.set(CARD_KEY + hashlib.sha256(token.encode()).hexdigest(), user_id, None)
    return token


def _card_user(token: str) -> User | None:
    user_id = cache.get(CARD_KEY + hashlib.sha256(token.encode()).hexdigest())
    return User.objects.filter(pk=user_id, is_active=True).first() if user_id else None


@require_GET
def card_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link's page: a page of the site's weight with a form (the login page's template)."""
    if _card_user(token) is None:
        raise Http404("No such card")
    return render(request, "registration/login.html", {"form": LoginForm(request)})


@require_POST
def card_sign_in(request: HttpRequest) -> HttpResponse:
    user = _card_user(request.POST.get("token", ""))
    if user is None:
        raise Http404("No such card")
    login(request, user, backend=auth.BACKEND)
    return redirect("quizzes:home")
