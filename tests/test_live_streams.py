"""The live game's event streams (quizzes.live.streams): the snapshot first, then the events
published on the stream's channels, each line of a fragment its own `data:` line, heartbeats
while nothing happens, the subscription gone when the client goes, and no database connection
held while it waits. Through Django's async test client and through the whole ASGI application
(quizsite.asgi), as uvicorn serves it."""

import asyncio
import threading

import pytest
from django.db import connection
from django.test import AsyncClient, Client

from quizsite.asgi import SYNC_THREADS
from quizzes.live import bus, streams
from tests.asgi import Exchange, asgi, run  # noqa: F401  (the fixture)
from tests.concurrency import needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("asgi")]


@pytest.fixture
def on(live_bus, settings) -> str:
    """The bus in the process and on Redis, and the toy stream at /toy-stream/<channel>/."""
    settings.ROOT_URLCONF = "tests.live_urls"
    return live_bus


def publish_from_a_view(*events: tuple[str, str, str]) -> None:
    thread = threading.Thread(target=lambda: [bus.publish(*event) for event in events])
    thread.start()
    thread.join()


async def read_until(chunks, text: str) -> str:
    """What the stream sends until `text` has come (5 s at most)."""
    received = ""
    async with asyncio.timeout(5):
        while text not in received:
            received += (await anext(chunks)).decode()
    return received


def test_frames_put_every_line_of_a_fragment_on_a_data_line():
    assert streams.frame("state", "<p>a</p>\n<p>b</p>\r\n\r<p>c</p>") == (
        "event: state\ndata: <p>a</p>\ndata: <p>b</p>\ndata: \ndata: <p>c</p>\n\n"
    )
    assert streams.frame("count", "") == "event: count\ndata: \n\n"
    with pytest.raises(ValueError):
        streams.frame("two\nlines", "x")


def test_the_stream_sends_the_snapshot_then_the_events_then_heartbeats(on, monkeypatch):
    monkeypatch.setattr(streams, "HEARTBEAT_SECONDS", 0.2)

    async def main():
        response = await AsyncClient().get("/toy-stream/game-1/")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream; charset=utf-8"
        assert "no-cache" in response["Cache-Control"]
        chunks = aiter(response.streaming_content)
        start = await read_until(chunks, "waiting")
        await asyncio.to_thread(
            publish_from_a_view, ("game-1", "question", "<h2>When?</h2>\n<form></form>")
        )
        event = await read_until(chunks, "form")
        heartbeat = await read_until(chunks, "heartbeat")
        await chunks.aclose()
        return start, event, heartbeat

    start, event, heartbeat = run(main())
    assert start == (
        f"retry: {streams.RETRY_MS}\n\n"
        "event: state\ndata: <p>0 players</p>\ndata: <p>waiting</p>\n\n"
    )
    assert event == "event: question\ndata: <h2>When?</h2>\ndata: <form></form>\n\n"
    assert heartbeat == "event: heartbeat\ndata: \n\n"
    assert not bus._local.subscriptions


def test_under_wsgi_the_stream_sends_the_snapshot_and_ends(on):
    response = Client().get("/toy-stream/game-1/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == (
        f"retry: {streams.RETRY_MS}\n\n"
        "event: state\ndata: <p>0 players</p>\ndata: <p>waiting</p>\n\n"
    )


def test_with_redis_down_a_stream_is_refused_at_once(on, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    async def main():
        return await AsyncClient().get("/toy-stream/game-1/")

    response = run(main())
    assert response.status_code == 503 and response["Retry-After"] == "2"


def Stream(path: str) -> Exchange:
    return Exchange(path, headers={"accept": "text/event-stream"})


async def open_stream(stream: Exchange) -> int:
    await stream.send()
    return await stream.status()


def test_through_asgi_events_reach_every_stream_and_a_client_that_goes_is_unsubscribed(on):
    async def main():
        phones = [Stream("/toy-stream/game-1/") for _ in range(20)]
        assert {await open_stream(phone) for phone in phones} == {200}
        for phone in phones:
            await phone.read_until("waiting")
        await asyncio.to_thread(publish_from_a_view, ("game-1", "reveal", "<p>1789</p>"))
        for phone in phones:
            assert (await phone.read_until("1789")).endswith("event: reveal\ndata: <p>1789</p>\n\n")
        for phone in phones:
            await phone.close()
        await asyncio.sleep(0.1)
        if on == "redis":
            return bus._hubs[asyncio.get_running_loop()].subscriptions
        return bus._local.subscriptions

    assert run(main()) == {}


@needs_postgresql
def test_idle_streams_hold_no_database_connection(on):
    """Each stream's snapshot reads the database, yet 30 waiting streams hold no more
    connections than one: those of the worker's few threads for sync code (quizsite.asgi), not
    one each. 300 phones must not exhaust PostgreSQL."""

    def others_connected() -> int:
        """Connections to the test database but this one (which it then closes)."""
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                return cursor.fetchone()[0]
        finally:
            connection.close()

    async def main():
        phones = [Stream("/toy-stream/game-1/") for _ in range(30)]
        await open_stream(phones[0])
        await phones[0].read_until("waiting")
        one = await asyncio.to_thread(others_connected)
        for phone in phones[1:]:
            await open_stream(phone)
            await phone.read_until("waiting")
        await asyncio.sleep(0.2)
        thirty = await asyncio.to_thread(others_connected)
        for phone in phones:
            await phone.close()
        return one, thirty

    one, thirty = run(main())
    assert thirty <= one + SYNC_THREADS - 1
