"""What the broker last reported of each signal, as its subscription and live reads deliver it:
the old value every change notification needs, and the echo that confirms a write.

Readings only move forward: one older (by the broker's timestamp) than what is held is dropped,
so a live read and a late subscription message cannot undo each other. A write waits here for the
reading that shows it (:meth:`Mirror.expect`); the batch that brings it tells what it changed.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from codriver.vehicle.bus import ChangeListener, ChangeSource, SignalChange
from codriver.vehicle.catalog import Value


class LinkLost(Exception):
    """The subscription ended while a write waited for its echo."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A value as the broker reported it, and when it was taken (None: not said)."""

    value: Value | None
    at: float | None = None


@dataclass(eq=False, slots=True)
class Awaited:
    """A write waiting for the reading that shows ``target`` at ``path``."""

    path: str
    target: Value | None
    source: ChangeSource
    done: asyncio.Future[tuple[SignalChange, ...]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


@dataclass(eq=False, slots=True)
class _Listener:
    callback: ChangeListener
    prefixes: tuple[str, ...]
    owner: Mirror

    def wants(self, path: str) -> bool:
        return not self.prefixes or any(
            path == p or path.startswith(p + ".") for p in self.prefixes
        )

    def cancel(self) -> None:
        self.owner._listeners = [s for s in self.owner._listeners if s is not self]


class Mirror:
    """The broker's latest readings, the writes waiting for theirs, and who listens to changes."""

    def __init__(self, unprompted: Callable[[str], ChangeSource]) -> None:
        self._readings: dict[str, Reading] = {}
        self._awaited: list[Awaited] = []
        self._listeners: list[_Listener] = []
        self._unprompted = unprompted
        """The source of a change nobody here asked for (a sensor's, the car's own)."""

    def reading(self, path: str) -> Reading | None:
        return self._readings.get(path)

    def holds(self, path: str, value: Value | None) -> bool:
        """Whether the last reading of ``path`` is ``value``."""
        held = self._readings.get(path)
        return held is not None and same(held.value, value)

    def subscribe(self, callback: ChangeListener, prefixes: Iterable[str] = ()) -> _Listener:
        listener = _Listener(callback, tuple(prefixes), self)
        self._listeners.append(listener)
        return listener

    def expect(self, path: str, target: Value | None, source: ChangeSource) -> Awaited:
        awaited = Awaited(path, target, source)
        self._awaited.append(awaited)
        return awaited

    def forget(self, awaited: Awaited) -> None:
        self._awaited = [a for a in self._awaited if a is not awaited]

    def lose_link(self) -> None:
        """The subscription ended: no echo will come for the writes still waiting."""
        waiting, self._awaited = self._awaited, []
        for awaited in waiting:
            if not awaited.done.done():
                awaited.done.set_exception(LinkLost())

    def apply(self, readings: Mapping[str, Reading]) -> tuple[SignalChange, ...]:
        """Take one batch of readings; returns (and tells the listeners) what changed."""
        moved: list[tuple[str, Value | None, Value | None]] = []
        for path, reading in readings.items():
            held = self._readings.get(path)
            if held is not None and _older(reading, held):
                continue
            self._readings[path] = reading
            if held is None or not same(held.value, reading.value):
                moved.append((path, None if held is None else held.value, reading.value))
        shown = [a for a in self._awaited if a.path in readings and self.holds(a.path, a.target)]
        changes = self._attributed(moved, shown)
        for listener in list(self._listeners):
            for change in changes:
                if listener.wants(change.path):
                    listener.callback(change)
        return changes

    def _attributed(
        self, moved: list[tuple[str, Value | None, Value | None]], shown: list[Awaited]
    ) -> tuple[SignalChange, ...]:
        """The batch's changes with their sources; each write that the batch shows gets its own
        change, and the first of them what else moved with it (what the car did in turn)."""
        now = time.time()
        mine = {a.path: a for a in shown}
        first = shown[0] if shown else None
        owned: dict[int, list[SignalChange]] = {id(a): [] for a in shown}
        changes = []
        for path, old, new in moved:
            awaited = mine.get(path)
            if awaited is not None:
                change = SignalChange(path, old, new, now, awaited.source)
                owned[id(awaited)].append(change)
            elif first is not None and first.source == "command":
                change = SignalChange(path, old, new, now, "vehicle")
                owned[id(first)].append(change)
            else:
                change = SignalChange(path, old, new, now, self._unprompted(path))
            changes.append(change)
        for awaited in shown:
            self.forget(awaited)
            if not awaited.done.done():
                awaited.done.set_result(tuple(owned[id(awaited)]))
        return tuple(changes)


def _older(reading: Reading, held: Reading) -> bool:
    return reading.at is not None and held.at is not None and reading.at < held.at


def same(a: Value | None, b: Value | None) -> bool:
    """Equal as signal values: numbers to a 32-bit float's precision, lists item by item."""
    if isinstance(a, list) and isinstance(b, list):
        pairs = zip(a, b, strict=True)
        return len(a) == len(b) and all(same(x, y) for x, y in pairs)  # type: ignore[arg-type]
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)
    return a == b
