"""The port to a vehicle: read signals, command actuators, feed sensor readings, watch changes.

The in-memory simulator is the first backend; a real vehicle bus (a KUKSA databroker, see
:mod:`codriver.vehicle.kuksa`) implements the same protocol. Writes return values (applied or
rejected), never raise for a bad value or a write the vehicle did not carry out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from codriver.vehicle.catalog import Catalog, Rejection, Value

ChangeSource = Literal["command", "world", "vehicle"]


@dataclass(frozen=True, slots=True)
class SignalChange:
    """A signal took a new value: by a command, by the world (a sensor), or by the car itself."""

    path: str
    old: Value | None
    new: Value | None
    at: float
    source: ChangeSource


@dataclass(frozen=True, slots=True)
class Applied:
    """A write that reached the vehicle, with the changes it caused (itself and coupled signals)."""

    path: str
    value: Value | None
    changes: tuple[SignalChange, ...]


WriteResult = Applied | Rejection
ChangeListener = Callable[[SignalChange], None]


class Subscription(Protocol):
    def cancel(self) -> None: ...


@runtime_checkable
class VehicleBus(Protocol):
    """What codriver needs from a vehicle."""

    @property
    def catalog(self) -> Catalog: ...

    async def get(self, path: str) -> Value | None:
        """The current value of ``path`` (None when unknown); unknown paths raise CatalogError."""
        ...

    async def snapshot(self, prefixes: Iterable[str] = ()) -> dict[str, Value | None]:
        """Current values of every signal under the prefixes (all signals when none given)."""
        ...

    async def set(self, path: str, value: Value) -> WriteResult:
        """Command an actuator to ``value``."""
        ...

    async def set_many(self, writes: Sequence[tuple[str, Value]]) -> list[WriteResult]:
        """Command several actuators as one request, one result per write in order: all are
        sent or none is (a write the vehicle refuses stops the others before they are sent);
        each sent write is then applied, or not confirmed, on its own."""
        ...

    async def feed(self, values: Mapping[str, Value | None]) -> list[WriteResult]:
        """Sensor readings (or any signal) reported by the world, as a real car's updates;
        ``None`` marks a signal that is no longer known."""
        ...

    def subscribe(self, listener: ChangeListener, prefixes: Iterable[str] = ()) -> Subscription:
        """Call ``listener`` for each change under the prefixes (every change when none given)."""
        ...
