"""The simulated car: an in-memory :class:`VehicleBus` with a clock, couplings and simple physics.

It validates every value against the vehicle's catalog (a bad write is a rejection value), reflects
actuators in sensors as a real car does (see :mod:`codriver.vehicle.couplings`), and, as simulated
time passes, drives on: speed drains the battery and the range, and the cabin air drifts towards the
climate set point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from codriver.errors import CatalogError
from codriver.vehicle.bus import Applied, ChangeListener, ChangeSource, SignalChange, WriteResult
from codriver.vehicle.catalog import Catalog, Rejection, Value
from codriver.vehicle.clock import SimClock
from codriver.vehicle.couplings import coupled
from codriver.vehicle.profile import VehicleProfile

_SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
_SOC_RAW = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
_RANGE = "Vehicle.Powertrain.Range"
_CABIN_AIR = "Vehicle.Cabin.HVAC.AmbientAirTemperature"
_CABIN_TIME_CONSTANT_S = 300.0


class _Subscription:
    def __init__(self, owner: SimulatedCar, listener: ChangeListener, prefixes: tuple[str, ...]):
        self._owner = owner
        self.listener = listener
        self.prefixes = prefixes

    def wants(self, path: str) -> bool:
        return not self.prefixes or any(
            path == p or path.startswith(p + ".") for p in self.prefixes
        )

    def cancel(self) -> None:
        self._owner._subscriptions = [s for s in self._owner._subscriptions if s is not self]


class SimulatedCar:
    """An in-memory car that behaves like the real one where codriver can tell."""

    def __init__(
        self,
        profile: VehicleProfile | None = None,
        clock: SimClock | None = None,
        values: Mapping[str, Value] | None = None,
    ) -> None:
        self.profile = profile or VehicleProfile.load()
        self.clock = clock or SimClock()
        self._values: dict[str, Value | None] = {spec.path: None for spec in self.catalog}
        self._arrays = tuple(s.path for s in self.catalog if s.datatype.endswith("[]"))
        self._values.update(self.profile.defaults)
        self._subscriptions: list[_Subscription] = []
        self.clock.on_tick(self._physics)
        if values:
            for result in self.feed_now(values):
                if isinstance(result, Rejection):
                    raise CatalogError(result.message)

    @property
    def catalog(self) -> Catalog:
        return self.profile.catalog

    # -- reading ---------------------------------------------------------------------------

    def value(self, path: str) -> Value | None:
        """Synchronous read for code that lives beside the simulator (tests, the web cockpit)."""
        if path not in self._values:
            raise CatalogError(f"unknown signal {path!r}")
        return _copy(self._values[path])

    def values(self, prefixes: Iterable[str] = ()) -> dict[str, Value | None]:
        wanted = tuple(prefixes)
        if not wanted:  # the whole tree, twice a turn: copy the dict, then the few arrays in it
            everything = dict(self._values)
            for path in self._arrays:
                everything[path] = _copy(everything[path])
            return everything
        return {
            path: _copy(value)
            for path, value in self._values.items()
            if not wanted or any(path == p or path.startswith(p + ".") for p in wanted)
        }

    async def get(self, path: str) -> Value | None:
        return self.value(path)

    async def snapshot(self, prefixes: Iterable[str] = ()) -> dict[str, Value | None]:
        return self.values(prefixes)

    # -- writing ---------------------------------------------------------------------------

    async def set(self, path: str, value: Value) -> WriteResult:
        return self._write(path, value, source="command")

    async def set_many(self, writes: Sequence[tuple[str, Value]]) -> list[WriteResult]:
        return self.set_all_now(writes)

    def set_all_now(self, writes: Sequence[tuple[str, Value]]) -> list[WriteResult]:
        """Commands applied in order when every one is valid; else none is, and each says why."""
        checked = [self.catalog.validate(path, value, write=True) for path, value in writes]
        refused = next((c for c in checked if isinstance(c, Rejection)), None)
        if refused is not None:
            return [
                c if isinstance(c, Rejection) else _not_sent(path, refused)
                for (path, _), c in zip(writes, checked, strict=True)
            ]
        return [self._write(path, value, source="command") for path, value in writes]

    async def feed(self, values: Mapping[str, Value | None]) -> list[WriteResult]:
        return self.feed_now(values)

    def feed_now(self, values: Mapping[str, Value | None]) -> list[WriteResult]:
        """World updates, applied synchronously (scenario ``given`` and ``set`` turns). ``None``
        is a signal that is no longer known (a sensor lost), never a command."""
        return [self._write(path, value, source="world") for path, value in values.items()]

    def _write(self, path: str, value: Value | None, *, source: ChangeSource) -> WriteResult:
        if value is None and source == "world":
            return self._lose(path)
        checked = self.catalog.validate(path, value, write=source == "command")
        if isinstance(checked, Rejection):
            return checked
        changes: list[SignalChange] = []
        self._store(path, checked, source, changes)
        if source == "command":
            for other, follow in coupled(path, checked, self._values).items():
                self._store(other, follow, "vehicle", changes)
        for change in changes:
            self._notify(change)
        return Applied(path, checked, tuple(changes))

    def _lose(self, path: str) -> WriteResult:
        if path not in self._values:
            return Rejection(path, "unknown_signal", f"unknown signal {path!r}")
        changes: list[SignalChange] = []
        self._store(path, None, "world", changes)
        for change in changes:
            self._notify(change)
        return Applied(path, None, tuple(changes))

    def _store(
        self, path: str, value: Value | None, source: ChangeSource, changes: list[SignalChange]
    ) -> None:
        old = self._values.get(path)
        if old == value and type(old) is type(value):
            return
        self._values[path] = value
        changes.append(SignalChange(path, _copy(old), _copy(value), self.clock.now(), source))

    def subscribe(self, listener: ChangeListener, prefixes: Iterable[str] = ()) -> _Subscription:
        subscription = _Subscription(self, listener, tuple(prefixes))
        self._subscriptions.append(subscription)
        return subscription

    def _notify(self, change: SignalChange) -> None:
        for subscription in list(self._subscriptions):
            if subscription.wants(change.path):
                subscription.listener(change)

    # -- physics ---------------------------------------------------------------------------

    def _physics(self, elapsed: float) -> None:
        changes: list[SignalChange] = []
        speed = self._values.get("Vehicle.Speed")
        soc = self._values.get(_SOC)
        if isinstance(speed, int | float) and speed > 0 and isinstance(soc, int | float):
            km = speed * elapsed / 3600.0
            used_kwh = km * self.profile.consumption_kwh_per_100km / 100.0
            new_soc = max(0.0, soc - 100.0 * used_kwh / self.profile.battery_capacity_kwh)
            self._store(_SOC, round(new_soc, 3), "vehicle", changes)
            self._store(_SOC_RAW, round(new_soc, 3), "vehicle", changes)
            self._store(_RANGE, self._range_for(new_soc), "vehicle", changes)
        air = self._values.get(_CABIN_AIR)
        target = self._values.get("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature")
        if isinstance(air, int | float) and isinstance(target, int | float) and air != target:
            step = min(1.0, elapsed / _CABIN_TIME_CONSTANT_S)
            self._store(_CABIN_AIR, round(air + (target - air) * step, 2), "vehicle", changes)
        for change in changes:
            self._notify(change)

    def _range_for(self, soc: float) -> int:
        kwh = self.profile.battery_capacity_kwh * soc / 100.0
        return int(kwh / self.profile.consumption_kwh_per_100km * 100_000)


def _not_sent(path: str, refused: Rejection) -> Rejection:
    """A write left unsent because another in the same request was refused."""
    return Rejection(path, refused.code, f"not sent: {refused.message}", refused.accepted)


def _copy(value: Value | None) -> Value | None:
    return value.copy() if isinstance(value, list) else value
