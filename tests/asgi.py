"""Requests through the whole ASGI application (quizsite.asgi), as uvicorn sends them: for the
tests of what ASGI changes (the event streams, the body limits)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.db import connections

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, in a thread of its own: once a browser test has run, Playwright's event
    loop runs in the main thread for the rest of the session, where asyncio.run refuses."""
    result: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


@pytest.fixture
def asgi():
    """After the test, the database connection of the thread where Django's async test client
    ran sync code is closed (quizsite.asgi's threads close theirs after every test: conftest's
    asgi_connections_closed): else the test database cannot be dropped at the end of the run."""
    yield
    run(sync_to_async(connections.close_all)())


class Exchange:
    """One request to quizsite.asgi.application, and its response as it comes."""

    def __init__(
        self, path: str, *, method: str = "GET", headers: dict[str, str] | None = None
    ) -> None:
        from quizsite.asgi import application

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"testserver"),
                *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        self.communicator = ApplicationCommunicator(application, scope)
        self.received = ""
        self.headers: dict[str, str] = {}

    async def send(self, body: bytes = b"", *, more: bool = False) -> None:
        await self.communicator.send_input(
            {"type": "http.request", "body": body, "more_body": more}
        )

    async def status(self) -> int:
        start = await self.communicator.receive_output(5)
        assert start["type"] == "http.response.start"
        self.headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        return start["status"]

    async def read_until(self, text: str) -> str:
        """The body so far, once `text` is in it (5 s at most)."""
        async with asyncio.timeout(5):
            while text not in self.received:
                message = await self.communicator.receive_output(5)
                self.received += message.get("body", b"").decode()
        return self.received

    async def close(self) -> None:
        """The client goes."""
        await self.communicator.send_input({"type": "http.disconnect"})
        await self.communicator.wait(5)


async def login_form() -> tuple[str, dict[str, str]]:
    """The login form's CSRF token, and the headers a post of the form sends with it."""
    import re

    login = Exchange("/accounts/login/")
    await login.send()
    await login.status()
    form = await login.read_until("</html>")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    headers = {
        "cookie": login.headers["set-cookie"].split(";")[0],
        "content-type": "application/x-www-form-urlencoded",
        "referer": "http://testserver/accounts/login/",
    }
    return token, headers


async def log_in(username: str, password: str) -> Exchange:
    """The login form, then its post with `username` and `password`: the post's exchange, its
    status read."""
    from urllib.parse import urlencode

    token, headers = await login_form()
    fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    body = urlencode(fields).encode()
    post = Exchange(
        "/accounts/login/",
        method="POST",
        headers={**headers, "content-length": str(len(body))},
    )
    await post.send(body)
    post.status_code = await post.status()
    return post
