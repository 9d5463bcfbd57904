"""The live game's event bus: a view publishes an event on a channel, and every event stream
listening to that channel receives it, in any process of any app server.

With REDIS_URL set, events travel through Redis pub/sub. Each process (each event loop) keeps
one Redis connection for all of its streams, subscribed to the channels that at least one of
them listens to, and fans every message out to those streams' queues: 300 phones on one worker
are one Redis connection, not 300. Without Redis (`make run`: SQLite, one process) a broker in
the process does the same for the streams of that process.

Nothing is stored or replayed. A stream whose queue overflows, or whose process loses Redis, is
ended: the browser reconnects and the stream's snapshot brings it up to date at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
import weakref
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache

import redis
import redis.asyncio
from django.conf import settings
from redis.backoff import NoBackoff

logger = logging.getLogger(__name__)

# Seconds to reach Redis before BusUnavailable: a clear failure, never a hang.
TIMEOUT = 1.0
# Seconds for Redis to confirm a subscription: longer, for a worker whose streams all
# reconnect at once (a restart) and queue behind each other.
CONFIRM_TIMEOUT = 5.0
# Events a stream may fall behind by (a phone whose network stalls) before it is ended.
QUEUE_SIZE = 500

NAME = re.compile(r"[^\r\n:]+")


class BusUnavailable(Exception):
    """Redis cannot be reached: the event was not delivered, or the stream cannot listen."""


@dataclass(frozen=True, slots=True)
class Event:
    event: str
    data: str


def publish(channel: str, event: str, data: str) -> None:
    """Sends an event to every stream listening to `channel` (call it after the commit that
    made the change: `transaction.on_commit(lambda: publish(...))`). Raises BusUnavailable
    when Redis cannot be reached, within TIMEOUT."""
    if not NAME.fullmatch(event):
        raise ValueError(f"An event name is one line without a colon: {event!r}")
    if settings.REDIS_URL:
        try:
            _client(settings.REDIS_URL).publish(_redis_name(channel), json.dumps([event, data]))
        except redis.RedisError as error:
            message = f"Redis is unreachable: {event!r} on {channel!r} not sent"
            raise BusUnavailable(message) from error
    else:
        _local.deliver(channel, Event(event, data))


def check() -> None:
    """Raises BusUnavailable unless the bus can deliver (with Redis: a PING)."""
    if settings.REDIS_URL:
        try:
            _client(settings.REDIS_URL).ping()
        except redis.RedisError as error:
            raise BusUnavailable("Redis is unreachable") from error


class Subscription:
    """The events of some channels, in the order published, for one stream of one loop."""

    def __init__(self, channels: Iterable[str]) -> None:
        self.channels = frozenset(channels)
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self.ended = False

    def put(self, event: Event) -> None:
        """On the subscription's loop."""
        if self.ended:
            return
        if self.queue.qsize() >= QUEUE_SIZE:
            logger.warning("A live stream fell %s events behind: ended", QUEUE_SIZE)
            self.end()
        else:
            self.queue.put_nowait(event)

    def end(self) -> None:
        if not self.ended:
            self.ended = True
            self.queue.put_nowait(None)  # wakes the reader

    async def get(self) -> list[Event] | None:
        """The next events (all those waiting), or None once the subscription has ended."""
        first = await self.queue.get()
        events = [first]
        while not self.queue.empty():
            events.append(self.queue.get_nowait())
        if self.ended:
            return None
        return events  # type: ignore[return-value]  # None only once ended


@asynccontextmanager
async def subscribe(channels: Iterable[str]) -> AsyncIterator[Subscription]:
    """Listens to `channels` from the moment this enters (with Redis: once Redis confirmed the
    subscription, so a snapshot taken inside misses no event) until it exits."""
    subscription = Subscription(channels)
    broker = _hub(settings.REDIS_URL) if settings.REDIS_URL else _local
    await broker.add(subscription)
    try:
        yield subscription
    finally:
        broker.remove(subscription)


class LocalBroker:
    """The bus within one process, for `make run`: publish from any thread, the events reach
    each subscription on its own loop."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.subscriptions: dict[str, set[Subscription]] = {}

    async def add(self, subscription: Subscription) -> None:
        with self.lock:
            for channel in subscription.channels:
                self.subscriptions.setdefault(channel, set()).add(subscription)

    def remove(self, subscription: Subscription) -> None:
        with self.lock:
            for channel in subscription.channels:
                listening = self.subscriptions.get(channel, set())
                listening.discard(subscription)
                if not listening:
                    self.subscriptions.pop(channel, None)

    def deliver(self, channel: str, event: Event) -> None:
        with self.lock:
            listening = list(self.subscriptions.get(channel, ()))
        for subscription in listening:
            try:
                subscription.loop.call_soon_threadsafe(subscription.put, event)
            except RuntimeError:  # its loop has closed: the stream is gone
                self.remove(subscription)


_local = LocalBroker()


class RedisHub:
    """One event loop's Redis connection, shared by all of its subscriptions. Any Redis error
    ends every subscription (their streams close and reconnect) and retires the hub: the next
    subscription opens a new one."""

    def __init__(self, url: str) -> None:
        self.url = url
        # No retries: a dropped connection must end the streams (events were lost while it
        # was down), not resubscribe quietly.
        client = redis.asyncio.Redis.from_url(
            url,
            socket_connect_timeout=TIMEOUT,
            socket_keepalive=True,
            retry=redis.asyncio.retry.Retry(NoBackoff(), 0),
            client_name=f"quizsite-live-{os.getpid()}",  # in CLIENT LIST: one per process
        )
        self.pubsub = client.pubsub()
        self.lock = asyncio.Lock()  # one command at a time on the connection
        self.subscriptions: dict[str, set[Subscription]] = {}
        self.channels: dict[bytes, str] = {}  # Redis's name -> ours
        self.ready: dict[str, asyncio.Future[None]] = {}
        self.unconfirmed: Counter[str] = Counter()
        self.reader: asyncio.Task[None] | None = None
        self.broken = False

    async def add(self, subscription: Subscription) -> None:
        if self.broken:
            raise BusUnavailable("Redis is unreachable")
        new = [channel for channel in subscription.channels if channel not in self.ready]
        loop = asyncio.get_running_loop()
        for channel in subscription.channels:
            self.subscriptions.setdefault(channel, set()).add(subscription)
        for channel in new:
            self.ready[channel] = loop.create_future()
            self.unconfirmed[channel] += 1
            self.channels[_redis_name(channel).encode()] = channel
        waiting = [self.ready[channel] for channel in subscription.channels]
        try:
            if new:
                async with self.lock:
                    await self.pubsub.subscribe(*(_redis_name(c) for c in new))
                if self.reader is None:
                    self.reader = asyncio.create_task(self._read())
            async with asyncio.timeout(CONFIRM_TIMEOUT):
                await asyncio.gather(*(asyncio.shield(future) for future in waiting))
        except (redis.RedisError, OSError) as error:
            self.remove(subscription)
            self._break(error)
            raise BusUnavailable("Redis is unreachable: cannot listen") from error
        except TimeoutError as error:
            self.remove(subscription)
            raise BusUnavailable("Redis did not confirm the subscription in time") from error
        except BusUnavailable:
            self.remove(subscription)
            raise

    def remove(self, subscription: Subscription) -> None:
        gone = []
        for channel in subscription.channels:
            listening = self.subscriptions.get(channel, set())
            listening.discard(subscription)
            if not listening and channel in self.subscriptions:
                del self.subscriptions[channel]
                self.ready.pop(channel, None)
                gone.append(channel)
        if gone and not self.broken:
            task = asyncio.get_running_loop().create_task(self._unsubscribe(gone))
            _background.add(task)
            task.add_done_callback(_background.discard)

    async def _unsubscribe(self, channels: list[str]) -> None:
        try:
            async with self.lock:
                await self.pubsub.unsubscribe(*(_redis_name(c) for c in channels))
        except (redis.RedisError, OSError) as error:
            self._break(error)

    async def _read(self) -> None:
        try:
            while True:
                message = await self.pubsub.get_message(timeout=None)
                if message is None:
                    continue
                channel = self.channels.get(message["channel"])
                if channel is None:
                    continue
                if message["type"] == "message":
                    event, data = json.loads(message["data"])
                    for subscription in list(self.subscriptions.get(channel, ())):
                        subscription.put(Event(event, data))
                elif message["type"] == "subscribe":
                    self.unconfirmed[channel] -= 1
                    future = self.ready.get(channel)
                    if self.unconfirmed[channel] <= 0 and future and not future.done():
                        future.set_result(None)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a dropped connection, above all: end the streams
            self._break(error)

    def _break(self, error: BaseException) -> None:
        if self.broken:
            return
        self.broken = True
        logger.error("Live events: lost Redis (%s); ending this process's streams", error)
        for future in self.ready.values():
            if not future.done():
                future.set_exception(BusUnavailable("Redis is unreachable"))
                future.exception()  # retrieved: no "never retrieved" warning if none waits
        for listening in self.subscriptions.values():
            for subscription in listening:
                subscription.end()
        loop = asyncio.get_running_loop()
        if _hubs.get(loop) is self:
            del _hubs[loop]
        if self.reader is not None and self.reader is not asyncio.current_task():
            self.reader.cancel()
        task = loop.create_task(self._close())
        _background.add(task)
        task.add_done_callback(_background.discard)

    async def _close(self) -> None:
        try:
            await self.pubsub.aclose()
            await self.pubsub.connection_pool.disconnect()
        except Exception:  # already gone
            pass


# One hub per event loop (a process's server has one; tests make several).
_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RedisHub] = weakref.WeakKeyDictionary()
_background: set[asyncio.Task[None]] = set()


def _hub(url: str) -> RedisHub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None or hub.url != url:
        hub = _hubs[loop] = RedisHub(url)
    return hub


@cache
def _client(url: str) -> redis.Redis:
    # One retry: a pooled connection that Redis closed (a restart) is replaced once.
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=TIMEOUT,
        socket_timeout=TIMEOUT,
        retry=redis.retry.Retry(NoBackoff(), 1),
    )


def _redis_name(channel: str) -> str:
    # Redis's pub/sub ignores the database number: two sites (or a site and its tests) on one
    # Redis are told apart by their database's name.
    return f"quizsite:live:{settings.DATABASES['default']['NAME']}:{channel}"
