"""Test doubles that ship with codriver, for its own tests and for integrators' tests.

- :class:`SimulatedCar` — the in-memory car (a real :class:`~codriver.vehicle.VehicleBus`).
- :class:`ScriptedBrain` — a brain that answers each utterance with the next scripted plan.
- :class:`RecordingBus` — wraps a bus and records every write that reached it.
- :func:`offline_assistant` — an assistant on a fresh simulated car, optionally preset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from codriver.assistant.plan import Brain, Plan, ToolCall, TurnContext, Utterance
from codriver.assistant.session import Assistant
from codriver.vehicle.bus import ChangeListener, Subscription, VehicleBus, WriteResult
from codriver.vehicle.catalog import Catalog, Value
from codriver.vehicle.simulator import SimulatedCar


class ScriptedBrain:
    """Returns the scripted plans in order, then "not understood"; records what it heard."""

    def __init__(self, plans: Sequence[Plan]) -> None:
        self._plans = list(plans)
        self.heard: list[Utterance] = []

    @classmethod
    def calls(cls, *turns: Sequence[tuple[str, Mapping[str, object]]]) -> ScriptedBrain:
        """One ``act`` plan per turn, from ``(tool, args)`` pairs."""
        return cls([Plan("act", tuple(ToolCall(n, a) for n, a in turn)) for turn in turns])

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        self.heard.append(utterance)
        return self._plans.pop(0) if self._plans else Plan("not_understood", confidence=0.0)


class RecordingBus:
    """A :class:`VehicleBus` wrapper that records every command (``writes``) it passes on."""

    def __init__(self, inner: VehicleBus) -> None:
        self.inner = inner
        self.writes: list[tuple[str, Value]] = []

    @property
    def catalog(self) -> Catalog:
        return self.inner.catalog

    async def get(self, path: str) -> Value | None:
        return await self.inner.get(path)

    async def snapshot(self, prefixes: Iterable[str] = ()) -> dict[str, Value | None]:
        return await self.inner.snapshot(prefixes)

    async def set(self, path: str, value: Value) -> WriteResult:
        self.writes.append((path, value))
        return await self.inner.set(path, value)

    async def set_many(self, writes: Sequence[tuple[str, Value]]) -> list[WriteResult]:
        self.writes.extend(writes)
        return await self.inner.set_many(writes)

    async def feed(self, values: Mapping[str, Value]) -> list[WriteResult]:
        return await self.inner.feed(values)

    def subscribe(self, listener: ChangeListener, prefixes: Iterable[str] = ()) -> Subscription:
        return self.inner.subscribe(listener, prefixes)


def offline_assistant(
    given: Mapping[str, Value] | None = None, brain: Brain | None = None
) -> Assistant:
    """An assistant on a fresh simulated car, with ``given`` as its starting state."""
    car = SimulatedCar(values=given)
    return Assistant(bus=car, brain=brain, clock=car.clock)


__all__ = ["RecordingBus", "ScriptedBrain", "SimulatedCar", "offline_assistant"]
