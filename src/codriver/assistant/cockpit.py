"""The assistant's own state that VSS does not cover, read and written under ``Cockpit.`` paths:
the active route, what is playing, the call, reminders, automation rules and timers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from codriver.errors import CatalogError
from codriver.vehicle.bus import Applied, SignalChange
from codriver.vehicle.catalog import Rejection, Value
from codriver.vehicle.cockpit_paths import COCKPIT_PATHS, LISTS, TEXTS, check_cockpit

__all__ = ["COCKPIT_PATHS", "CockpitState"]


class CockpitState:
    """Path-addressed assistant state with the same write and change semantics as the car."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._values: dict[str, Value] = {p: "" for p in TEXTS}
        self._values.update({p: [] for p in LISTS})
        self._listeners: list[Callable[[SignalChange], None]] = []

    def __contains__(self, path: object) -> bool:
        return path in self._values

    def value(self, path: str) -> Value:
        if path not in self._values:
            raise CatalogError(
                f"unknown cockpit path {path!r}: use one of {', '.join(COCKPIT_PATHS)}"
            )
        value = self._values[path]
        return value.copy() if isinstance(value, list) else value

    def values(self, prefixes: Iterable[str] = ()) -> dict[str, Value]:
        wanted = tuple(prefixes)
        return {
            p: self.value(p)
            for p in self._values
            if not wanted or any(p == w or p.startswith(w + ".") for w in wanted)
        }

    def check(self, path: str, value: object) -> Rejection | None:
        """Why ``value`` cannot be written to ``path``, or None when it can."""
        return check_cockpit(path, value)

    def set(self, path: str, value: Value) -> Applied | Rejection:
        problem = self.check(path, value)
        if problem is not None:
            return problem
        if isinstance(value, list):
            value = value.copy()
        old = self._values[path]
        if old == value:
            return Applied(path, value, ())
        self._values[path] = value
        change = SignalChange(path, old, value, self._clock(), "command")
        for listener in list(self._listeners):
            listener(change)
        return Applied(path, value, (change,))

    def subscribe(self, listener: Callable[[SignalChange], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def load(self, values: Mapping[str, Value]) -> list[Rejection]:
        """Set several paths at once (a scenario's ``given``); returns the rejections."""
        results = [self.set(path, value) for path, value in values.items()]
        return [r for r in results if isinstance(r, Rejection)]
