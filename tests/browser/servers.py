"""Servers for the browser tests beyond pytest-django's live server (which speaks WSGI)."""

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def asgi_site() -> Iterator[str]:
    """The site served through ASGI by uvicorn, in a thread of this process (it shares the test
    database), as `make run` serves it: event streams stay open, as on a real server
    (pytest-django's live server speaks WSGI, where a stream sends its snapshot and ends)."""
    import uvicorn
    from asgiref.sync import sync_to_async
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.db import connections

    from quizsite.asgi import application

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application),
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)
    sock.close()
    # The server's database connections (in the thread where quizsite.asgi runs sync code)
    # close as a stopped server's would: else the test database cannot be dropped at the end.
    # (From a thread of its own: Playwright runs an event loop in this one.)
    closing = threading.Thread(target=asyncio.run, args=(sync_to_async(connections.close_all)(),))
    closing.start()
    closing.join(10)
