"""What serving through ASGI costs a page: CPU per request, in one process, of the same
requests through Django's WSGI handler (gunicorn's sync workers), through quizsite.asgi as
`make serve` runs it (a page in one crossing to a worker's thread), and through Django's own
ASGI handler (what quizsite.asgi keeps for event streams and the live game: three crossings).

    make bench-stack                      # SQLite in a temporary folder
    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench-stack
    STACK_RUNS=100 make bench-stack       # requests per path and round (default 200)

No network and no server: each request is handed to the application as the server would, so
what differs is the handler alone. The three are interleaved in each of three rounds and the
median round is printed (process time, which other programs on the machine disturb less than
the clock). Results: bench/results/stack.txt.
"""

from __future__ import annotations

import asyncio
import io
import os
import statistics
import sys
import time

from bench import profile_hot_paths as hot  # sets Django up, as bench-profile does
from bench.harness import results

RUNS = int(os.environ.get("STACK_RUNS", "200"))
# Django's ASGI handler serves what asks for an event stream (quizsite.asgi.served_async).
THROUGH_DJANGO_ASGI = (b"accept", b"text/event-stream")


def wsgi_get(application, path: str, cookie: str) -> None:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    status: list[str] = []
    response = application(environ, lambda s, headers, *_: status.append(s))
    b"".join(response)
    response.close()
    assert status[0].startswith("200"), (path, status)


async def asgi_get(application, path: str, cookie: str, *extra: tuple[bytes, bytes]) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode()), *extra],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
    }
    asked = False

    async def receive():
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays until the response is sent

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    await application(scope, receive, send)
    assert sent[0]["status"] == 200, (path, sent[0])


def main() -> None:
    from django.core.handlers.wsgi import WSGIHandler

    from quizsite.asgi import application
    from quizzes.models import Attempt

    client, student, *_ = hot.set_up()
    hot.next_answer(client, student)  # an open attempt, its question in the cache
    attempt = Attempt.objects.filter(user=student, finished_at__isnull=True).first()
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    paths = {
        "bare read (1 row)": f"/bench/read/{student.pk}/",
        "signed-in read (1 row)": "/bench/read/me/",
        "question page": f"/attempts/{attempt.pk}/",
        "progress page": "/progress/",
        "home": "/",
    }
    wsgi = WSGIHandler()
    loop = asyncio.new_event_loop()

    def repeat(coroutine) -> None:
        async def many() -> None:
            for _ in range(RUNS):
                await coroutine()

        loop.run_until_complete(many())

    stacks = {
        "WSGI": lambda path: [wsgi_get(wsgi, path, cookie) for _ in range(RUNS)],
        "ASGI, make serve": lambda path: repeat(lambda: asgi_get(application, path, cookie)),
        "ASGI, Django's handler": lambda path: repeat(
            lambda: asgi_get(application, path, cookie, THROUGH_DJANGO_ASGI)
        ),
    }
    spent: dict[tuple[str, str], list[float]] = {}
    for round_ in range(4):  # the first warms the caches, templates and connections
        for name, path in paths.items():
            for stack, run in stacks.items():
                started = time.process_time()
                run(path)
                if round_:
                    ms = (time.process_time() - started) * 1000 / RUNS
                    spent.setdefault((name, stack), []).append(ms)
    lines = [f"CPU ms per request, {RUNS} a round, the median of 3 rounds", ""]
    lines.append(f"{'request':<24}" + "".join(f"{stack:>24}" for stack in stacks))
    for name in paths:
        cells = [statistics.median(spent[(name, stack)]) for stack in stacks]
        lines.append(f"{name:<24}" + "".join(f"{ms:>24.2f}" for ms in cells))
    text = "\n".join([f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}", *lines])
    print(text)
    results("stack.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
