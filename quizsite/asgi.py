"""The application that `make run` (uvicorn) and `make serve` (gunicorn's uvicorn workers)
serve: every page as before, and the live game's event streams, which wait for events in the
event loop without holding a thread (quizzes/live/streams.py). quizsite/wsgi.py still serves
everything but live streams, for a server that speaks WSGI only.

Two things differ from Django's own ASGI handler:
- every request's sync middleware and view run in one of a few long-lived threads per process
  (SYNC_THREADS, default 4; PooledThreadsASGIHandler), and the posts that hash a password in
  two more of their own (their hashing waits for a free core: quizzes/hashing.py);
- Django reads a request's whole body before any middleware sees it, so the limits of
  quizzes.middleware.limit_request_body (which under WSGI refuses a body before it is read)
  are first enforced here by the largest that any view takes: a body larger than that is
  refused with 413 from its Content-Length, or as soon as it runs past it. The middleware
  then applies each view's own limit as before.
"""

import asyncio
import functools
import os
import sys
import threading
import warnings
from concurrent.futures import Future, ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext
from django.conf import settings
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
SYNC_THREADS = int(os.environ.get("SYNC_THREADS", "4"))
SIGN_IN_THREADS = 2  # per process, for the posts of password_paths()


@functools.cache
def password_paths() -> frozenset[str]:
    """Where a post hashes a password: the login form, signing up, changing one's password."""
    from django.urls import reverse

    return frozenset(reverse(name) for name in ("login", "signup", "password_change"))


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
        # The posts that hash a password (quizzes/hashing.py: at a low CPU priority, so they
        # may wait long while the server is busy) queue on threads of their own: a class
        # typing their passwords at once never holds the threads every other page needs.
        self.hashing_threads = [SyncThread(f"sign-in-{n}") for n in range(SIGN_IN_THREADS)]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}")
        hashes = scope["method"] == "POST" and scope["path"] in password_paths()
        threads = self.hashing_threads if hashes else self.threads
        thread = min(threads, key=lambda candidate: candidate.pending)
        if not served_async(scope):
            await self.page_in_one_hop(scope, receive, send, thread)
            return
        async with ThreadSensitiveContext(executor=thread):
            await self.handle(scope, receive, send)

    async def page_in_one_hop(self, scope, receive, send, thread: SyncThread) -> None:
        """A page (any request but the live game's): its body read here, then Django's WSGI
        handler, all of the request's sync code in one call on `thread`, and the response
        sent. Django's ASGI handler crosses to a thread and back three times a request (the
        request_started signal, the middleware and view, the response's close) and watches for
        a disconnect in a task of its own: 1.6-3 ms of CPU a request on this project's build
        machine, where a question page costs 4 (README, "Performance")."""
        try:
            body = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            environ = wsgi_environ(scope, body)
            status, headers, chunks = await asyncio.wrap_future(
                thread.submit(self.respond, environ)
            )
        finally:
            body.close()
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for chunk in chunks[:-1]:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": chunks[-1] if chunks else b""})

    def respond(self, environ: dict) -> tuple[int, list[tuple[bytes, bytes]], list[bytes]]:
        """The WSGI handler's response to `environ`, read whole (a page, or a static file or
        picture, small), and closed: the request_finished signal closes old connections."""
        started = []
        response = wsgi_handler()(environ, lambda status, headers, *_: started.append(headers))
        try:
            chunks = [chunk for chunk in response if chunk]
        finally:
            response.close()
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in started[0]]
        return response.status_code, headers, chunks


def served_async(scope: dict) -> bool:
    """Whether Django's ASGI handler serves the request: an event stream (asked for by its
    Accept header, as browsers' EventSource asks) or anything of the live game (a path with
    a live/ part), whose streams are async; every other page is served in one hop."""
    if "/live/" in scope["path"]:
        return True
    return any(
        name == b"accept" and b"text/event-stream" in value for name, value in scope["headers"]
    )


@functools.cache
def wsgi_handler() -> WSGIHandler:
    return WSGIHandler()


def wsgi_environ(scope: dict, body) -> dict:
    """The WSGI environ of an ASGI HTTP request whose whole body is in the file `body`."""
    length = body.seek(0, os.SEEK_END)
    body.seek(0)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode().decode("latin-1"),
        "PATH_INFO": scope["path"].encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        # The body as read, whatever the client said: a chunked one has no Content-Length.
        "CONTENT_LENGTH": str(length),
    }
    server = scope.get("server") or ("localhost", 80)
    environ["SERVER_NAME"], environ["SERVER_PORT"] = server[0], str(server[1] or 80)
    if scope.get("client"):
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = scope["client"][0], str(scope["client"][1])
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_LENGTH":
            continue
        key = name if name == "CONTENT_TYPE" else f"HTTP_{name}"
        if key in environ:  # a header sent twice: joined, as a WSGI server does
            value = f"{environ[key]}{'; ' if name == 'COOKIE' else ','}{value}"
        environ[key] = value
    return environ


django.setup(set_prefix=False)
django_application = PooledThreadsASGIHandler()


def close_connections() -> None:
    """Closes the database connections of the threads that run requests' sync code, as a
    stopped server's close: tests call it before their database is dropped."""
    for thread in django_application.threads + django_application.hashing_threads:
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
