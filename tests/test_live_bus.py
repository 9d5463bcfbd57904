"""The live game's event bus (quizzes.live.bus), in the process and on Redis: an event published
in one thread or process reaches every subscription listening to its channel in another, and
nothing else; leaving unsubscribes; Redis down is a clear BusUnavailable, quickly, never a hang.
The Redis runs need REDIS_URL (as on CI's PostgreSQL run)."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings

from quizzes.live import bus

REDIS_URL = os.environ.get("REDIS_URL", "")
DOWN = "redis://127.0.0.1:1/0"  # nothing listens there


def publish_soon(*events: tuple[str, str, str]) -> threading.Thread:
    """Publishes from another thread, as a view does."""
    thread = threading.Thread(target=lambda: [bus.publish(*event) for event in events])
    thread.start()
    return thread


async def receive(subscription: bus.Subscription, count: int) -> list[bus.Event]:
    received: list[bus.Event] = []
    async with asyncio.timeout(5):
        while len(received) < count:
            events = await subscription.get()
            assert events is not None, "the subscription ended"
            received.extend(events)
    return received


def test_an_event_published_in_another_thread_reaches_the_subscriber(live_bus):
    async def main():
        async with bus.subscribe(["game-1"]) as subscription:
            publish_soon(("game-1", "question", "<p>Who?</p>\n<p>When?</p>")).join()
            return await receive(subscription, 1)

    assert asyncio.run(main()) == [bus.Event("question", "<p>Who?</p>\n<p>When?</p>")]


def test_events_come_in_order_and_only_from_the_channels_listened_to(live_bus):
    async def main():
        async with (
            bus.subscribe(["game-1", "game-1-host"]) as both,
            bus.subscribe(["game-2"]) as other,
        ):
            publish_soon(
                ("game-1", "a", "1"), ("game-2", "b", "2"), ("game-1-host", "c", "3")
            ).join()
            return await receive(both, 2), await receive(other, 1)

    both, other = asyncio.run(main())
    assert [e.data for e in both] == ["1", "3"]
    assert [e.data for e in other] == ["2"]


def test_every_one_of_many_subscribers_receives_every_event(live_bus):
    async def main():
        async with asyncio.TaskGroup() as group:
            entered = asyncio.Event()
            ready = []

            async def phone():
                async with bus.subscribe(["game-1"]) as subscription:
                    ready.append(subscription)
                    if len(ready) == 300:
                        entered.set()
                    return await receive(subscription, 3)

            phones = [group.create_task(phone()) for _ in range(300)]
            await entered.wait()
            publish_soon(*[("game-1", "state", str(n)) for n in range(3)])
        return [[e.data for e in task.result()] for task in phones]

    assert asyncio.run(main()) == [["0", "1", "2"]] * 300


def test_leaving_unsubscribes(live_bus):
    async def main():
        async with bus.subscribe(["game-1"]) as subscription:
            pass
        await asyncio.sleep(0.1)  # the Redis unsubscription is sent in the background
        publish_soon(("game-1", "late", "x")).join()
        await asyncio.sleep(0.1)
        return subscription.queue.empty()

    assert asyncio.run(main())
    assert not bus._local.subscriptions
    if live_bus == "redis":
        assert redis_subscribers("game-1") == 0


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set REDIS_URL")
def test_a_process_holds_one_redis_connection_for_all_its_streams(settings):
    settings.REDIS_URL = REDIS_URL

    async def main():
        async with asyncio.TaskGroup() as group:
            done = asyncio.Event()
            entered, counts = [], []

            async def phone():
                async with bus.subscribe(["game-1"]):
                    entered.append(1)
                    await done.wait()

            for _ in range(300):
                group.create_task(phone())
            while len(entered) < 300:
                await asyncio.sleep(0.01)
            counts.append(redis_subscribers("game-1"))
            done.set()
        return counts

    assert asyncio.run(main()) == [1]


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set REDIS_URL")
def test_an_event_published_by_another_process_reaches_this_one(settings):
    settings.REDIS_URL = REDIS_URL
    script = (
        "import sys, django; django.setup(); from django.conf import settings;"
        "settings.DATABASES['default']['NAME'] = sys.argv[1];"
        "from quizzes.live import bus; bus.publish('game-1', 'reveal', 'Paris\\n1789')"
    )

    async def main():
        async with bus.subscribe(["game-1"]) as subscription:
            name = django_settings.DATABASES["default"]["NAME"]
            await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-c", script, str(name)],
                check=True,
                cwd=Path(__file__).parent.parent,
                env={**os.environ, "REDIS_URL": REDIS_URL},
            )
            return await receive(subscription, 1)

    assert asyncio.run(main()) == [bus.Event("reveal", "Paris\n1789")]


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set REDIS_URL")
def test_losing_redis_ends_the_streams_and_the_next_ones_listen_again(settings):
    settings.REDIS_URL = REDIS_URL

    async def main():
        async with bus.subscribe(["game-1"]) as subscription:
            kill_this_process_connection()
            async with asyncio.timeout(5):
                ended = await subscription.get()
        async with bus.subscribe(["game-1"]) as again:
            publish_soon(("game-1", "state", "back")).join()
            return ended, await receive(again, 1)

    ended, received = asyncio.run(main())
    assert ended is None
    assert received == [bus.Event("state", "back")]


def test_redis_down_is_a_clear_failure_not_a_hang(settings):
    settings.REDIS_URL = DOWN
    started = time.monotonic()
    with pytest.raises(bus.BusUnavailable, match="Redis is unreachable"):
        bus.publish("game-1", "state", "x")
    with pytest.raises(bus.BusUnavailable):
        bus.check()

    async def listen():
        async with bus.subscribe(["game-1"]):
            pass

    with pytest.raises(bus.BusUnavailable):
        asyncio.run(listen())
    assert time.monotonic() - started < 5


def test_an_event_name_is_one_line(live_bus):
    for name in ["two\nlines", "a:b", ""]:
        with pytest.raises(ValueError):
            bus.publish("game-1", name, "x")


def redis_subscribers(channel: str) -> int:
    name = bus._redis_name(channel)
    return dict(redis.Redis.from_url(REDIS_URL).pubsub_numsub(name))[name.encode()]


def kill_this_process_connection() -> None:
    client = redis.Redis.from_url(REDIS_URL)
    mine = f"quizsite-live-{os.getpid()}"
    for connection in client.client_list():
        if connection["name"] == mine:
            client.client_kill_filter(_id=connection["id"])
