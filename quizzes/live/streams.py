"""Server-sent event streams of the live game, for htmx's SSE extension.

A view checks access and returns `event_stream(request, channels=..., snapshot=...)`. Under
ASGI (`make run`, `make serve`) the stream then sends the current state (the snapshot, so a
phone that reconnects after a reload, a sleep or a lost Wi-Fi is up to date at once), then every
event published on its channels (quizzes.live.bus), with a comment line every
HEARTBEAT_SECONDS so that proxies keep it open and a dead connection is noticed, until the
client goes. It holds no thread and no database connection while it waits: only a queue
(quizsite.asgi runs the snapshot, like every sync view, in its worker's one thread).

Under WSGI (Django's runserver, gunicorn's sync workers, the test Client) a response cannot
wait without holding a thread, so the stream sends the snapshot and ends; the browser
reconnects after RETRY_MS, which makes it a poll of the state: it works, slowly.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

from quizzes.live import bus

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
# How long a browser waits before it reconnects a stream that ended (EventSource's `retry`).
RETRY_MS = 500

Snapshot = Callable[[], list[tuple[str, str]]]

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def event_stream(
    request: HttpRequest, *, channels: list[str], snapshot: Snapshot
) -> HttpResponseBase:
    """An SSE response: snapshot()'s events, then those published on `channels`. Call it from
    a plain (sync) view, after the access checks; snapshot may use the ORM."""
    if not isinstance(request, ASGIRequest):
        return _response([f"retry: {RETRY_MS}\n\n", *_frames(snapshot())])
    try:
        bus.check()
    except bus.BusUnavailable:
        logger.error("Live events: Redis is unreachable; a stream was refused")
        response = HttpResponse("Live updates are unavailable for a moment.", status=503)
        response["Retry-After"] = "2"
        return response
    return _response(_live(channels, snapshot))


def frame(event: str, data: str) -> str:
    """One SSE message: every line of data (a fragment may have many) a `data:` line."""
    if not bus.NAME.fullmatch(event):
        raise ValueError(f"An event name is one line without a colon: {event!r}")
    lines = "".join(f"data: {line}\n" for line in LINE_BREAK.split(data))
    return f"event: {event}\n{lines}\n"


def _frames(events: Iterable[tuple[str, str]]) -> list[str]:
    return [frame(event, data) for event, data in events]


async def _live(channels: list[str], snapshot: Snapshot) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    try:
        # Listening first, then the snapshot: an event published in between is sent after the
        # snapshot (a fragment sent twice is harmless; one missed is not).
        async with bus.subscribe(channels) as subscription:
            # In the worker's one thread for sync code (quizsite.asgi), with its one database
            # connection: the stream then waits holding neither.
            yield "".join(_frames(await sync_to_async(lambda: list(snapshot()))()))
            while True:
                try:
                    async with asyncio.timeout(HEARTBEAT_SECONDS):
                        events = await subscription.get()
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                if events is None:  # ended (fell behind, or lost Redis): the browser reconnects
                    return
                yield "".join(frame(event.event, event.data) for event in events)
    except bus.BusUnavailable as error:
        logger.error("Live events: %s; a stream ends and its browser will reconnect", error)


def _response(content: Iterable[str] | AsyncIterator[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="text/event-stream; charset=utf-8")
    patch_cache_control(response, no_cache=True, no_store=True, private=True)
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
