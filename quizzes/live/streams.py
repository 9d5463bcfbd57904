"""Stand-in for h5's event streams (issue 22's transport), with its API: replaced by theirs at
merge."""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator

from django.http import HttpRequest, StreamingHttpResponse

from quizzes.live import bus


def _event(event: str, data: str) -> str:
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {event}\n{lines}\n"


def event_stream(
    request: HttpRequest,
    *,
    channels: list[str],
    snapshot: Callable[[], list[tuple[str, str]]],
) -> StreamingHttpResponse:
    inbox = bus.subscribe(channels)

    def events() -> Iterator[str]:
        try:
            yield "retry: 1000\n\n"
            for event, data in snapshot():
                yield _event(event, data)
            while True:
                try:
                    yield _event(*inbox.get(timeout=15))
                except queue.Empty:
                    yield ": heartbeat\n\n"
        finally:
            bus.unsubscribe(channels, inbox)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
