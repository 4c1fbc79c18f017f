"""A vehicle that misbehaves on purpose, for fault tests: it wraps a real bus (the simulated car)
and refuses chosen writes, takes commands it never carries out, answers slowly, or runs a hook
before a command reaches the car (a broker that dies mid-turn). Serve it with
:class:`~codriver.vehicle.kuksa.server.KuksaServer` to see what an occupant hears when the car
behind a KUKSA broker does these things."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from codriver.vehicle.bus import Applied, ChangeListener, Subscription, VehicleBus, WriteResult
from codriver.vehicle.catalog import Catalog, Rejection, RejectionCode, Value


@dataclass
class Faults:
    """What goes wrong, and when."""

    refuse: dict[str, RejectionCode] = field(default_factory=dict)
    """Writes to these paths are refused with the code (the whole request is: none is done)."""
    ignore: set[str] = field(default_factory=set)
    """Commands to these paths are accepted and never carried out (no echo ever comes)."""
    write_delay_s: float = 0.0
    read_delay_s: float = 0.0
    before_write: Callable[[], Awaitable[None]] | None = None
    """Run before a command reaches the car (then the command goes on, if it still can)."""


class FaultyBus:
    """A :class:`VehicleBus` that passes everything to ``inner`` except what ``faults`` name."""

    def __init__(self, inner: VehicleBus, faults: Faults | None = None) -> None:
        self.inner = inner
        self.faults = faults or Faults()
        self.carried: list[tuple[str, Value]] = []
        """Every command that reached the car."""

    @property
    def catalog(self) -> Catalog:
        return self.inner.catalog

    async def get(self, path: str) -> Value | None:
        await asyncio.sleep(self.faults.read_delay_s)
        return await self.inner.get(path)

    async def snapshot(self, prefixes: Iterable[str] = ()) -> dict[str, Value | None]:
        await asyncio.sleep(self.faults.read_delay_s)
        return await self.inner.snapshot(prefixes)

    async def set(self, path: str, value: Value) -> WriteResult:
        [result] = await self.set_many([(path, value)])
        return result

    async def set_many(self, writes: Sequence[tuple[str, Value]]) -> list[WriteResult]:
        if self.faults.before_write is not None:
            await self.faults.before_write()
        await asyncio.sleep(self.faults.write_delay_s)
        refused = next((p for p, _ in writes if p in self.faults.refuse), None)
        if refused is not None:
            code = self.faults.refuse[refused]
            return [Rejection(p, code, f"{p}: the car refused it ({code})") for p, _ in writes]
        real = [(p, v) for p, v in writes if p not in self.faults.ignore]
        done = iter(await self.inner.set_many(real) if real else [])
        self.carried.extend(real)
        return [Applied(p, v, ()) if p in self.faults.ignore else next(done) for p, v in writes]

    async def feed(self, values: Mapping[str, Value | None]) -> list[WriteResult]:
        return await self.inner.feed(values)

    def subscribe(self, listener: ChangeListener, prefixes: Iterable[str] = ()) -> Subscription:
        return self.inner.subscribe(listener, prefixes)
