"""The rest of the cabin: who sits where, as the camera sees it, and someone left behind in a
parked, locked car."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from codriver.safety.motion import motion
from codriver.vehicle.catalog import Value
from codriver.vehicle.seats import SEATS, Seat, seat_branch
from codriver.vision.events import Occupancy, OccupancyChange
from codriver.vision.geometry import CabinGeometry, LeftBehindSettings
from codriver.vision.observation import FaceObservation

CABIN_AIR = "Vehicle.Cabin.HVAC.AmbientAirTemperature"
DRIVER_DOOR_LOCKED = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked"


def occupancy_path(seat: Seat) -> str:
    """The seat's VSS occupancy signal (``Vehicle.Cabin.Seat.Row1.DriverSide.OccupancyStatus``)."""
    return f"Vehicle.Cabin.Seat.{seat_branch(seat)}.OccupancyStatus"


@dataclass
class _SeatWatch:
    status: Occupancy = "UNKNOWN"
    candidate: Occupancy | None = None
    since: float = 0.0


class OccupancyTracker:
    """A seat is OCCUPIED once a face has been seen in it for ``settle_s``, EMPTY once none has;
    UNKNOWN until then, and again when the camera stops."""

    def __init__(self, geometry: CabinGeometry) -> None:
        self.geometry = geometry
        self._seats = {seat: _SeatWatch() for seat in SEATS}

    def update(self, t: float, faces: tuple[FaceObservation, ...]) -> list[OccupancyChange]:
        minimum = self.geometry.occupancy_min_confidence
        present = {self.geometry.seat_of_face(f) for f in faces if f.confidence >= minimum}
        changes = []
        for seat, watch in self._seats.items():
            seen: Occupancy = "OCCUPIED" if seat in present else "EMPTY"
            if seen == watch.status:
                watch.candidate = None
                continue
            if seen != watch.candidate:
                watch.candidate, watch.since = seen, t
            if t - watch.since >= self.geometry.occupancy_settle_s:
                watch.status, watch.candidate = seen, None
                changes.append(OccupancyChange(t, seat, seen))
        return changes

    def stop(self, t: float) -> list[OccupancyChange]:
        """The camera stopped: nobody's presence is known any more."""
        changes = [
            OccupancyChange(t, seat, "UNKNOWN")
            for seat, watch in self._seats.items()
            if watch.status != "UNKNOWN"
        ]
        self._seats = {seat: _SeatWatch() for seat in SEATS}
        return changes

    @property
    def status(self) -> dict[Seat, Occupancy]:
        return {seat: watch.status for seat, watch in self._seats.items()}


@dataclass(frozen=True, slots=True)
class LeftBehind:
    """Someone is in the parked, locked car without its driver, and how warm it is."""

    seats: tuple[Seat, ...]
    celsius: float | None


class LeftBehindWatch:
    """Raises :class:`LeftBehind` when someone stays in a parked car whose driver's door is
    locked and whose driver's seat is empty, once the cabin is warm (or its warmth unknown);
    again every ``repeat_s`` while it lasts."""

    def __init__(self, settings: LeftBehindSettings) -> None:
        self.s = settings
        self._since: float | None = None
        self._last: float | None = None

    def check(
        self, t: float, state: Mapping[str, Value | None], seats: Mapping[Seat, Occupancy]
    ) -> LeftBehind | None:
        inside = tuple(s for s in SEATS if s != "driver" and seats.get(s) == "OCCUPIED")
        alone = (
            inside
            and seats.get("driver") == "EMPTY"
            and state.get(DRIVER_DOOR_LOCKED) is True
            and motion(state) == "parked"
        )
        if not alone:
            self._since = self._last = None
            return None
        self._since = t if self._since is None else self._since
        air = state.get(CABIN_AIR)
        celsius = float(air) if isinstance(air, int | float) and not isinstance(air, bool) else None
        warm = celsius is None or celsius >= self.s.warm_celsius
        due = self._last is None or t - self._last >= self.s.repeat_s
        if t - self._since < self.s.after_s or not warm or not due:
            return None
        self._last = t
        return LeftBehind(inside, celsius)
