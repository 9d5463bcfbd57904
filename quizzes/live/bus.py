"""Stand-in for h5's bus (issue 22's transport), in-process only, with its API: replaced by
theirs at merge."""

from __future__ import annotations

import queue
import threading
from collections import defaultdict

_lock = threading.Lock()
_subscribers: dict[str, set[queue.SimpleQueue]] = defaultdict(set)


def publish(channel: str, event: str, data: str) -> None:
    with _lock:
        targets = list(_subscribers.get(channel, ()))
    for target in targets:
        target.put((event, data))


def subscribe(channels: list[str]) -> queue.SimpleQueue:
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    with _lock:
        for channel in channels:
            _subscribers[channel].add(inbox)
    return inbox


def unsubscribe(channels: list[str], inbox: queue.SimpleQueue) -> None:
    with _lock:
        for channel in channels:
            _subscribers[channel].discard(inbox)
