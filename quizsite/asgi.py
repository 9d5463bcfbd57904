"""The application that `make run` (uvicorn) and `make serve` (gunicorn's uvicorn workers)
serve: every page as before, and the live game's event streams, which wait for events in the
event loop without holding a thread (quizzes/live/streams.py). quizsite/wsgi.py still serves
everything but live streams, for a server that speaks WSGI only.

Two things differ from Django's own ASGI handler:
- every request's sync middleware and view run in one thread per process, one request at a
  time, as in gunicorn's sync workers (OneThreadASGIHandler);
- Django reads a request's whole body before any middleware sees it, so the limits of
  quizzes.middleware.limit_request_body (which under WSGI refuses a body before it is read)
  are first enforced here by the largest that any view takes: a body larger than that is
  refused with 413 from its Content-Length, or as soon as it runs past it. The middleware
  then applies each view's own limit as before.
"""

import os
import warnings

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")


class OneThreadASGIHandler(ASGIHandler):
    """Django's ASGI handler, but running all sync code (middleware, views, an event stream's
    snapshot) in the one thread that asgiref keeps for it, rather than in a new thread for
    each request.

    Django gives each request a thread of its own. Nothing then bounds the threads: 300
    phones connecting at once were 300 threads in one worker, each taking a Redis connection
    from django-redis's pool (which ran out at 100) and a database connection of its own that
    was never used again. With one thread, a worker does its sync work a request at a time, as
    gunicorn's sync workers did: one database connection per worker, kept for CONN_MAX_AGE,
    and one Redis connection for the cache; the event streams wait in the event loop, with
    neither a thread nor a connection of their own."""

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}")
        await self.handle(scope, receive, send)


django.setup(set_prefix=False)
django_application = OneThreadASGIHandler()

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
