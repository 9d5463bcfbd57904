"""Bare endpoints for the load benchmark (bench/load.py): one reads one row, one updates one
row, through the same middleware and settings as every page. They show what this machine and
stack allow at best, so the benchmark can state each page's speed as a share of it.

They exist only when settings.BENCHMARK_ENDPOINTS is on (off unless the environment turns it
on; see quizsite/urls.py). Each touches the requesting benchmark student's own user row, so
simulated students never wait on each other's locks.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quizzes.models import User


@require_GET
def read_one_row(request: HttpRequest, user_id: int) -> HttpResponse:
    name = User.objects.filter(pk=user_id).values_list("username", flat=True).first()
    if name is None:
        raise Http404("No such user")
    return HttpResponse(name, content_type="text/plain")


@require_POST
def update_one_row(request: HttpRequest, user_id: int) -> HttpResponse:
    if not User.objects.filter(pk=user_id).update(last_login=timezone.now()):
        raise Http404("No such user")
    return HttpResponse(status=204)
