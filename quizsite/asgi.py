"""The application that `make run` (uvicorn) and `make serve` (gunicorn's uvicorn workers)
serve: every page as before, and the live game's event streams, which wait for events in the
event loop without holding a thread (quizzes/live/streams.py). quizsite/wsgi.py still serves
everything but live streams, for a server that speaks WSGI only.

Two things differ from Django's own ASGI handler:
- every request's sync middleware and view run in one of a few long-lived threads per process
  (SYNC_THREADS, default 4; PooledThreadsASGIHandler);
- Django reads a request's whole body before any middleware sees it, so the limits of
  quizzes.middleware.limit_request_body (which under WSGI refuses a body before it is read)
  are first enforced here by the largest that any view takes: a body larger than that is
  refused with 413 from its Content-Length, or as soon as it runs past it. The middleware
  then applies each view's own limit as before.
"""

import os
import threading
import warnings
from concurrent.futures import Future, ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
SYNC_THREADS = int(os.environ.get("SYNC_THREADS", "4"))


class SyncThread(ThreadPoolExecutor):
    """One long-lived thread for requests' sync code, which knows how much work it has."""

    def __init__(self, name: str) -> None:
        super().__init__(max_workers=1, thread_name_prefix=name)
        self.lock = threading.Lock()
        self.pending = 0

    def submit(self, fn, /, *args, **kwargs) -> Future:
        with self.lock:
            self.pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        with self.lock:
            self.pending -= 1


class PooledThreadsASGIHandler(ASGIHandler):
    """Django's ASGI handler, but running each request's sync code (middleware, view, an event
    stream's snapshot) in one of SYNC_THREADS long-lived threads, the one with the least work
    waiting, rather than in a new thread for each request.

    Django gives each request a thread of its own, and nothing bounds them: 300 phones
    connecting at once were 300 threads in one worker, each taking a Redis connection from
    django-redis's pool (which ran out at 100) and a database connection of its own, never used
    again, and each stream kept its idle thread as long as it was open. With a few threads, a
    worker holds a few database connections, kept for CONN_MAX_AGE as under gunicorn's
    workers, and as many Redis connections; a long request (a reveal that records a class's
    answers) holds up one thread, not the worker; and the event streams wait in the event
    loop with neither a thread nor a connection of their own."""

    def __init__(self) -> None:
        super().__init__()
        self.threads = [SyncThread(f"sync-{n}") for n in range(SYNC_THREADS)]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}")
        thread = min(self.threads, key=lambda candidate: candidate.pending)
        async with ThreadSensitiveContext(executor=thread):
            await self.handle(scope, receive, send)


django.setup(set_prefix=False)
django_application = PooledThreadsASGIHandler()


def close_connections() -> None:
    """Closes the database connections of the threads that run requests' sync code, as a
    stopped server's close: tests call it before their database is dropped."""
    for thread in django_application.threads:
        thread.submit(connections.close_all).result()
    from quizzes.live import recording

    recording.close()


# WhiteNoise's static files and the questions' pictures come as sync iterators, which Django's
# ASGI handler reads whole (they are small files), warning each time.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)

TOO_LARGE = b"Too large to send: this page takes less."


def largest_body() -> int:
    from quizzes.middleware import upload_limits

    return settings.REQUEST_MAX_BYTES + max(upload_limits().values())


async def application(scope, receive, send) -> None:
    if scope["type"] != "http":
        await django_application(scope, receive, send)
        return
    limit = largest_body()
    length = dict(scope["headers"]).get(b"content-length", b"")
    if length.isdigit() and int(length) > limit:
        await _refuse(send)
        return
    received = 0
    too_large = False

    async def limited_receive():
        nonlocal received, too_large
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                too_large = True
                return {"type": "http.disconnect"}  # Django stops reading and answers nothing
        return message

    await django_application(scope, limited_receive, send)
    if too_large:
        await _refuse(send)


async def _refuse(send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": TOO_LARGE})
