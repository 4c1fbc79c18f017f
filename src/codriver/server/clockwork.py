"""Time in the service: each cabin's simulated clock follows real time in steps of
``tick_seconds`` (times the cabin's clock scale), and idle cabins expire.

A clock moves only by logged entries, so a restored cabin's clock is exactly where it was:
while a client watches a cabin's events, the ticker moves it one step at a time (a run of
identical ticks is one log entry); a cabin nobody watches sleeps, and the next call on it first
catches up the real time it slept — up to ``MAX_TICKS`` steps one by one, a longer pause as one
fast-forward (a ``jump``: timers and reminders due meanwhile fire at their own times, rules and
care react once at its end, as with ``clock/advance``). After a restart the same catch-up covers
the time the service was down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from codriver.errors import CodriverError
from codriver.server.store.log import Entry

if TYPE_CHECKING:
    from codriver.server.cabin import Cabin
    from codriver.server.cabins import Cabins

MAX_TICKS = 10
log = logging.getLogger("uvicorn.error")


def time_entries(cabin: Cabin, wall: float, period: float | None) -> list[Entry]:
    """The steps that bring a cabin's clock up to real time ``wall``: none, ticks, or a jump."""
    if period is None or cabin.clock_scale <= 0:
        return []
    due = int((wall - cabin.upto) // period)
    if due <= 0:
        return []
    if due <= MAX_TICKS:
        return [Entry("tick", {"seconds": period * cabin.clock_scale, "real": period})] * due
    jump = {"seconds": due * period * cabin.clock_scale, "real": due * period}
    return [Entry("jump", jump)]


class Clockwork:
    """The ticker of watched cabins and the sweeper of idle ones."""

    def __init__(self, cabins: Cabins) -> None:
        self.cabins = cabins
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        config = self.cabins.config
        loop = asyncio.get_running_loop()
        for task in [t for t in self._tasks if t.get_loop() is not loop]:
            task.cancel()  # started by a lifespan on another loop (two test clients on one app)
            self._tasks.remove(task)
        if self._tasks:
            return
        if config.tick_seconds is not None:
            self._tasks.append(asyncio.create_task(self._every(config.tick_seconds, self.tick)))
        if config.idle_expiry is not None:
            period = min(60.0, max(0.05, config.idle_expiry / 10))
            self._tasks.append(asyncio.create_task(self._every(period, self.sweep)))

    async def stop(self) -> None:
        loop = asyncio.get_running_loop()
        for task in self._tasks:
            task.cancel()
            if task.get_loop() is loop:  # a task of another loop cannot be awaited here
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._tasks.clear()

    async def tick(self) -> None:
        """Bring every watched cabin's running clock up to now (the turn does it)."""
        running = []
        for cabin_id in self.cabins.watched():
            copy = self.cabins.copy(cabin_id)
            if copy is None or copy.clock_scale > 0:  # no copy: rebuilt, then moved if running
                running.append(cabin_id)
        await asyncio.gather(*(self._touch(cabin_id) for cabin_id in running))

    async def sweep(self) -> None:
        """Close the cabins no client acted on or watched for ``idle_expiry`` seconds."""
        cabins, idle = self.cabins, self.cabins.config.idle_expiry
        if idle is None:
            return
        now = cabins.wall()
        watched = cabins.watched()
        await cabins.store.keep(watched, now)
        for cabin_id in await cabins.store.expired(now - idle):
            if cabin_id not in watched:
                with contextlib.suppress(CodriverError):
                    await cabins.close(cabin_id, "expired")

    async def _touch(self, cabin_id: str) -> None:
        try:
            async with self.cabins.reading(cabin_id):
                pass
        except CodriverError as exc:  # gone meanwhile, or the store is away: next time
            log.warning("cabin %s: the clock could not move: %s", cabin_id, exc)

    async def _every(self, period: float, job: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(period)
            try:
                await job()
            except CodriverError as exc:
                log.warning("%s failed: %s", getattr(job, "__name__", "a job"), exc)
