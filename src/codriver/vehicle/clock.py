"""Simulated time: the clock timers, reminders and proactive care run on."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Callback = Callable[[], Awaitable[None] | None]
Ticker = Callable[[float], None]


@dataclass(order=True)
class _Scheduled:
    due: float
    seq: int
    callback: Callback = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class TimerHandle:
    """Cancels a scheduled callback."""

    def __init__(self, entry: _Scheduled) -> None:
        self._entry = entry

    @property
    def due(self) -> float:
        return self._entry.due

    def cancel(self) -> None:
        self._entry.cancelled = True


class SimClock:
    """A clock that only moves when told to, firing what falls due in order.

    ``start`` is seconds since the Unix epoch, so wall-clock phrases ("at 6 pm") have a meaning.
    """

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self._now = start
        self._queue: list[_Scheduled] = []
        self._seq = itertools.count()
        self._tickers: list[Ticker] = []

    def now(self) -> float:
        return self._now

    def call_at(self, when: float, callback: Callback) -> TimerHandle:
        entry = _Scheduled(when, next(self._seq), callback)
        heapq.heappush(self._queue, entry)
        return TimerHandle(entry)

    def call_later(self, delay: float, callback: Callback) -> TimerHandle:
        return self.call_at(self._now + max(0.0, delay), callback)

    def on_tick(self, ticker: Ticker) -> None:
        """Call ``ticker(elapsed)`` whenever time moves (continuous processes: battery, air)."""
        self._tickers.append(ticker)

    def _move_to(self, when: float) -> None:
        elapsed = when - self._now
        self._now = when
        if elapsed > 0:
            for ticker in self._tickers:
                ticker(elapsed)

    async def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, running each due callback at its own time."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        end = self._now + seconds
        while self._queue and self._queue[0].due <= end:
            entry = heapq.heappop(self._queue)
            if entry.cancelled:
                continue
            self._move_to(max(self._now, entry.due))
            result = entry.callback()
            if result is not None:
                await result
        self._move_to(end)
