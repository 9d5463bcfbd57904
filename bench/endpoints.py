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

import time
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

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
