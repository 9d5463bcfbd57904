"""The live benchmark's stand-in game (bench/live.py --toy), until the live game's own URLs are
there to drive: a class's event stream, and its teacher's move, which the stream's players get
as an event. It goes through what a real game's do: the session and middleware, an access
check on the class, a snapshot that reads the database, and quizzes.live's bus and streams.

Only bench.settings mounts it (bench/urls.py), as it does the bare endpoints."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from quizzes.live import bus, streams
from quizzes.models import Classroom, Membership


def channel(classroom_id: int) -> str:
    return f"bench-class-{classroom_id}"


def state(classroom_id: int, move: int, players: int) -> str:
    """The fragment every phone shows after the teacher's `move`-th move."""
    return f'<p data-move="{move}">Move {move}</p>\n<p>{players} players</p>'


@require_GET
@login_required
def events(request: HttpRequest, classroom_id: int) -> HttpResponseBase:
    classroom = get_object_or_404(Classroom, pk=classroom_id)
    members = Membership.objects.filter(classroom=classroom)
    teaches = classroom.teacher_id == request.user.pk
    if not teaches and not members.filter(student=request.user).exists():
        raise Http404("No such class")

    def snapshot() -> list[tuple[str, str]]:
        move = cache.get(f"bench-live-{classroom_id}", 0)
        return [("state", state(classroom_id, move, members.count()))]

    return streams.event_stream(request, channels=[channel(classroom_id)], snapshot=snapshot)


@require_POST
@login_required
def move(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = get_object_or_404(Classroom, pk=classroom_id, teacher=request.user)
    key = f"bench-live-{classroom_id}"
    cache.add(key, 0, timeout=None)
    number = cache.incr(key)
    players = Membership.objects.filter(classroom=classroom).count()
    fragment = state(classroom_id, number, players)
    transaction.on_commit(lambda: bus.publish(channel(classroom_id), "state", fragment))
    return HttpResponse(str(number), content_type="text/plain")
