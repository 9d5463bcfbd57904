"""The application that `make run` (uvicorn) and `make serve` (gunicorn's uvicorn workers)
serve: every page as before, and the live game's event streams, which wait for events without
holding a thread (quizzes/live/streams.py). quizsite/wsgi.py still serves everything but live
streams, for a server that speaks WSGI only.

Under ASGI, Django runs each request's middleware and (sync) view in a thread of its own. Two
things follow, and are dealt with here:
- a database connection kept by that thread would never be used again: with QUIZSITE_ASGI set
  before the settings load, settings.py closes each connection when its request ends and, on
  PostgreSQL, lends them from a pool per process;
- Django reads a request's whole body before any middleware sees it, so the limits of
  quizzes.middleware.limit_request_body (which under WSGI refuses a body before it is read)
  are first enforced here by the largest that any view takes: a body larger than that is
  refused with 413 from its Content-Length, or as soon as it runs past it. The middleware
  then applies each view's own limit as before.
"""

import os
import warnings

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
if not settings.configured:  # a server starting (a test imports this with its settings loaded)
    os.environ["QUIZSITE_ASGI"] = "1"
django_application = get_asgi_application()

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
