"""The event stream of one cabin: every turn, change, suggestion, notice and clock move, in order,
fanned out to each WebSocket subscriber's own bounded queue.

Events are JSON objects ``{"seq", "type", "at", ...}``; their shapes are the ``*Event`` models in
:mod:`codriver.server.event_models`, listed in ``docs/server.md``. ``seq`` counts every event of
the cabin, so a subscriber can tell when it missed some.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from typing import Literal

from codriver.vehicle.bus import SignalChange

EventType = Literal[
    "hello",
    "turn",
    "changes",
    "route",
    "suggestion",
    "suggestion_closed",
    "notice",
    "clock",
    "closed",
    "driver",
    "gesture",
]
JsonObject = dict[str, object]


class Subscriber:
    """One listener's queue of serialized events; ``None`` in the queue means the stream ended."""

    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=size + 1)
        self.size = size
        self.overflowed = False

    def push(self, text: str | None) -> None:
        if self.overflowed:
            return
        if text is not None and self.queue.qsize() >= self.size:
            self.overflowed = True  # a client that cannot keep up is let go, not waited for
            text = None
        self.queue.put_nowait(text)


class EventStream:
    """Numbered events of one cabin for every subscriber; nothing is built when nobody listens."""

    def __init__(self, queue_size: int = 1024) -> None:
        self._subscribers: list[Subscriber] = []
        self._queue_size = queue_size
        self.seq = 0
        self.closed_for: str | None = None

    @property
    def listening(self) -> bool:
        return bool(self._subscribers)

    @property
    def listeners(self) -> int:
        return len(self._subscribers)

    def subscribe(self) -> Subscriber:
        subscriber = Subscriber(self._queue_size)
        self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    def publish(self, kind: EventType, at: float, payload: Mapping[str, object]) -> int:
        """Send an event to every subscriber; returns its sequence number."""
        self.seq += 1
        if self._subscribers:
            event: JsonObject = {"seq": self.seq, "type": kind, "at": at, **payload}
            text = json.dumps(event, ensure_ascii=False)
            for subscriber in list(self._subscribers):
                subscriber.push(text)
        return self.seq

    def close(self, reason: str, at: float) -> None:
        """The cabin is gone: a last ``closed`` event, then the end of every subscriber's stream."""
        self.closed_for = reason
        self.publish("closed", at, {"reason": reason})
        for subscriber in self._subscribers:
            subscriber.push(None)
        self._subscribers.clear()


def change_list(changes: Sequence[SignalChange]) -> list[JsonObject]:
    """Signal changes as JSON objects, in the order they happened."""
    return [{"path": c.path, "old": c.old, "new": c.new, "source": c.source} for c in changes]
