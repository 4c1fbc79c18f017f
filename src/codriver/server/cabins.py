"""The service's cabins: opening and closing them, the real-time ticker that moves their clocks,
and the drain that lets every accepted turn finish before the service stops."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Callable, Iterator, Mapping

from codriver.assistant import Assistant
from codriver.server.cabin import Cabin
from codriver.server.config import ServerConfig
from codriver.server.events import EventStream, JsonObject
from codriver.server.problems import CabinExists, TooManyCabins, UnknownCabin
from codriver.server.route import route_summary
from codriver.text import Lang
from codriver.vehicle.catalog import Value

LANGUAGE = "Vehicle.Cabin.Infotainment.HMI.CurrentLanguage"
_LOCALES: dict[Lang, str] = {"en": "en-US", "zh": "zh-CN"}


class Cabins:
    """Every cabin by id, each on its own assistant, car and clock: nothing is shared."""

    def __init__(
        self, config: ServerConfig, make_assistant: Callable[[], Assistant] = Assistant
    ) -> None:
        self.config = config
        self._make = make_assistant
        self._cabins: dict[str, Cabin] = {}
        self._ticker: asyncio.Task[None] | None = None

    def build_with(self, make_assistant: Callable[[], Assistant]) -> None:
        """Build the cabins opened from now on with ``make_assistant`` (apps mounted, say)."""
        self._make = make_assistant

    def __iter__(self) -> Iterator[Cabin]:
        return iter(list(self._cabins.values()))

    def __len__(self) -> int:
        return len(self._cabins)

    def get(self, cabin_id: str) -> Cabin:
        cabin = self._cabins.get(cabin_id)
        if cabin is None:
            raise UnknownCabin(f"no cabin {cabin_id!r}")
        return cabin

    async def open(
        self,
        cabin_id: str | None = None,
        name: str = "",
        given: Mapping[str, Value] | None = None,
        lang: Lang | None = None,
    ) -> Cabin:
        """A new cabin in the car's default state, then ``given``; bad values raise InputError."""
        if len(self._cabins) >= self.config.max_cabins:
            raise TooManyCabins(f"this service holds at most {self.config.max_cabins} cabins")
        cabin_id = cabin_id or secrets.token_hex(4)
        if cabin_id in self._cabins:
            raise CabinExists(f"cabin {cabin_id!r} is already open")
        assistant = self._make()
        preset = dict(given or {})
        if lang is not None:
            preset.setdefault(LANGUAGE, _LOCALES[lang])
        await assistant.preset(preset)
        if cabin_id in self._cabins:  # opened by another request meanwhile
            raise CabinExists(f"cabin {cabin_id!r} is already open")
        cabin = Cabin(cabin_id, assistant, EventStream(self.config.queue_size), name)
        cabin.clock_scale = 1.0 if self.config.tick_seconds is not None else 0.0
        self._cabins[cabin_id] = cabin
        return cabin

    async def close(self, cabin_id: str, reason: str = "closed") -> None:
        """Close a cabin after its turn in progress, if any; its subscribers get ``closed``."""
        cabin = self.get(cabin_id)
        async with cabin.lock:
            self._cabins.pop(cabin_id, None)
            cabin.events.close(reason, cabin.now)

    # -- time ------------------------------------------------------------------------------

    def start_ticker(self) -> None:
        """Move every cabin's clock with real time, every ``config.tick_seconds``."""
        if self.config.tick_seconds is not None and self._ticker is None:
            self._ticker = asyncio.create_task(self._tick_forever(self.config.tick_seconds))

    async def tick(self, real_seconds: float) -> None:
        """``real_seconds`` passed: each running clock moves on by them times its scale."""
        for cabin in self:
            if cabin.clock_scale > 0 and cabin.id in self._cabins:
                await cabin.advance(real_seconds * cabin.clock_scale, cause="tick")

    async def _tick_forever(self, period: float) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(period)
            now = loop.time()
            await self.tick(now - last)
            last = now

    # -- stopping --------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """Stop the ticker, wait for every turn in progress, then end every event stream."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        for cabin in self:
            async with cabin.lock:
                cabin.events.close("shutdown", cabin.now)


async def hello(cabin: Cabin) -> JsonObject:
    """What a new subscriber needs to draw the cabin: its state, clock, route, open question and
    transcript; call it under the cabin's lock so no event falls between it and the stream."""
    state = await cabin.assistant.snapshot()
    return {
        "seq": cabin.events.seq,
        "type": "hello",
        "at": cabin.now,
        "cabin": info(cabin),
        "state": state,
        "clock": {"now": cabin.now, "scale": cabin.clock_scale},
        "route": await route_summary(cabin.assistant),
        "pending": None if cabin.pending is None else cabin.pending.to_dict(),
        "transcript": list(cabin.transcript),
    }


def info(cabin: Cabin) -> JsonObject:
    """A cabin as listed."""
    return {
        "id": cabin.id,
        "name": cabin.name,
        "turns": cabin.turns,
        "now": cabin.now,
        "clock_scale": cabin.clock_scale,
        "listeners": cabin.events.listeners,
    }
