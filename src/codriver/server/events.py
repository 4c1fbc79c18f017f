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
Event = tuple[EventType, float, JsonObject]
"""An event before it is numbered: its type, its simulated time and what it carries."""


class Subscriber:
    """One listener's queue of serialized events; ``None`` in the queue means the stream ended.

    It numbers its own events from ``seq`` (the stream's count when it joined) and takes only
    those of log versions after ``since``: the cabin as its ``hello`` showed it already holds
    the earlier ones (on a fleet, events of other workers can arrive after the hello).
    """

    def __init__(self, size: int, seq: int = 0, since: int = 0) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=size + 1)
        self.size = size
        self.overflowed = False
        self.seq = seq
        self.since = since

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

    def subscribe(self, since: int = 0) -> Subscriber:
        subscriber = Subscriber(self._queue_size, self.seq, since)
        self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    def publish(
        self, kind: EventType, at: float, payload: Mapping[str, object], version: int = 0
    ) -> int:
        """Send an event (of log ``version``) to every subscriber; returns the stream's count."""
        self.seq += 1
        if self._subscribers:
            event: JsonObject = {"type": kind, "at": at, **payload}
            body = json.dumps(event, ensure_ascii=False)[1:]  # numbered per subscriber below
            for subscriber in list(self._subscribers):
                if version == 0 or version > subscriber.since:
                    subscriber.seq += 1
                    subscriber.push(f'{{"seq": {subscriber.seq}, {body}')
        return self.seq

    def publish_all(self, version: int, events: Sequence[Event]) -> None:
        """The events one stored operation caused, in order."""
        for kind, at, payload in events:
            self.publish(kind, at, payload, version)

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
