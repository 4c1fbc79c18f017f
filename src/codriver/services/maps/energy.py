"""Range reasoning grounded in numbers: will the battery last, what is left on arrival, when do
we arrive, and where to charge when it will not last.

The car's own range estimate (``Vehicle.Powertrain.Range``) is the authority: it already knows the
battery, the consumption and the weather. A trip is within range when the range left on arrival
is at least the safety reserve: 10 % of the trip, and never less than 20 km (detours, headwind,
the charger being busy). Battery on arrival assumes consumption in proportion to distance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from codriver.services.maps.places import LatLon, Place
from codriver.services.maps.provider import MapProvider
from codriver.services.maps.routing import Route, detour_distance_m, road_distance_m

SAFETY_MARGIN = 0.10
MIN_RESERVE_M = 20_000.0
CHARGE_TO_PERCENT = 80.0
"""Fast chargers slow down sharply above 80 %, so a stop charges to there."""
BATTERY_KWH = 75.0
CONSUMPTION_KWH_PER_100KM = 15.0
FULL_RANGE_M = BATTERY_KWH / CONSUMPTION_KWH_PER_100KM * 100_000.0
"""Range on a full battery when the car reports none (the simulated sedan's 75 kWh at 15 kWh per
100 km: 500 km)."""
CHARGE_POWER_KW = 90.0
"""Average power of a DC fast charge between 10 % and 80 %."""
DETOUR_SLACK_M = 5_000.0
"""Among chargers within this much of the smallest detour, the one furthest along the route wins:
it uses the battery before charging it."""


def reserve_m(distance_m: float) -> float:
    """The range that must be left on arrival after a trip of ``distance_m``."""
    return max(SAFETY_MARGIN * distance_m, MIN_RESERVE_M)


def full_range_m(range_m: float, soc_percent: float | None) -> float:
    """Range on a full battery, scaled from the car's current estimate."""
    if soc_percent is not None and soc_percent > 0 and range_m > 0:
        return range_m * 100.0 / soc_percent
    return FULL_RANGE_M


def battery_after(distance_m: float, range_m: float, soc_percent: float | None) -> float | None:
    """Battery % after driving ``distance_m`` (0 when the range runs out first)."""
    if soc_percent is None:
        return None
    if range_m <= 0:
        return 0.0
    return max(0.0, soc_percent * (range_m - distance_m) / range_m)


def charge_time_s(
    from_percent: float,
    to_percent: float = CHARGE_TO_PERCENT,
    battery_kwh: float = BATTERY_KWH,
    power_kw: float = CHARGE_POWER_KW,
) -> float:
    """Time to charge between two battery levels at an average fast-charge power."""
    return max(0.0, to_percent - from_percent) / 100.0 * battery_kwh / power_kw * 3600.0


def arrival_time(depart: datetime, duration_s: float) -> datetime:
    return depart + timedelta(seconds=duration_s)


@dataclass(frozen=True, slots=True)
class RangeCheck:
    """A trip against the range: the numbers and the verdict."""

    distance_m: float
    range_m: float
    reserve_m: float
    soc_percent: float | None = None

    @property
    def enough(self) -> bool:
        """True when the range covers the trip with the reserve to spare."""
        return self.range_m - self.distance_m >= self.reserve_m

    @property
    def needed_m(self) -> float:
        """The range the trip needs: its distance plus the reserve."""
        return self.distance_m + self.reserve_m

    @property
    def left_m(self) -> float:
        """Range left on arrival; negative when the battery runs out on the way."""
        return self.range_m - self.distance_m

    @property
    def shortfall_m(self) -> float:
        return max(0.0, self.needed_m - self.range_m)

    @property
    def soc_on_arrival(self) -> float | None:
        return battery_after(self.distance_m, self.range_m, self.soc_percent)

    def summary(self) -> str:
        """The verdict in a few words, for a trace."""
        verdict = "enough" if self.enough else f"short by {self.shortfall_m / 1000:.0f} km"
        return f"{verdict} ({self.range_m / 1000:.0f} km range, {self.needed_m / 1000:.0f} needed)"


def check_range(distance_m: float, range_m: float, soc_percent: float | None = None) -> RangeCheck:
    return RangeCheck(distance_m, range_m, reserve_m(distance_m), soc_percent)


@dataclass(frozen=True, slots=True)
class ChargingStop:
    """Where to charge on the way, and what it takes."""

    place: Place
    to_stop_m: float
    from_stop_m: float
    detour_m: float
    soc_at_stop: float | None
    charge_to: float
    covers_rest: bool
    """After charging to ``charge_to`` the rest of the trip is within range, reserve included."""

    @property
    def charge_s(self) -> float:
        start = self.soc_at_stop if self.soc_at_stop is not None else 10.0
        return charge_time_s(start, self.charge_to)


def choose_charging_stop(
    origin: LatLon,
    destination: LatLon,
    candidates: Iterable[Place],
    range_m: float,
    soc_percent: float | None,
    *,
    distance: Callable[[LatLon, LatLon], float] = road_distance_m,
    charge_to: float = CHARGE_TO_PERCENT,
) -> ChargingStop | None:
    """The charger to stop at: reachable with the reserve, and covering the rest of the trip once
    charged to ``charge_to``, with the least detour (near-ties go to the one furthest along).
    When none covers the rest, the reachable one that leaves the least to drive (the trip needs
    more stops); None when no charger is within reach."""
    charged_range = full_range_m(range_m, soc_percent) * charge_to / 100.0
    reachable = []
    for place in candidates:
        to_stop, from_stop = distance(origin, place.at), distance(place.at, destination)
        if range_m - to_stop < reserve_m(to_stop):
            continue
        covers = charged_range - from_stop >= reserve_m(from_stop)
        reachable.append(
            ChargingStop(
                place=place,
                to_stop_m=to_stop,
                from_stop_m=from_stop,
                detour_m=detour_distance_m(origin, place.at, destination),
                soc_at_stop=battery_after(to_stop, range_m, soc_percent),
                charge_to=charge_to,
                covers_rest=covers,
            )
        )
    covering = [s for s in reachable if s.covers_rest]
    if covering:
        least = min(s.detour_m for s in covering)
        near_least = [s for s in covering if s.detour_m <= least + DETOUR_SLACK_M]
        return max(near_least, key=lambda s: s.to_stop_m)
    if reachable:
        return min(reachable, key=lambda s: s.from_stop_m)
    return None


@dataclass(frozen=True, slots=True)
class TripPlan:
    """A trip from the car's position: the route, the range check and, when the range falls
    short, the charging stop that fixes it."""

    route: Route
    check: RangeCheck
    stop: ChargingStop | None = None

    @property
    def needs_charging(self) -> bool:
        return not self.check.enough

    @property
    def duration_s(self) -> float:
        """Driving time, plus the detour and the charging time of a stop."""
        if self.stop is None:
            return self.route.duration_s
        detour_s = self.route.duration_s * self.stop.detour_m / max(1.0, self.route.distance_m)
        return self.route.duration_s + detour_s + self.stop.charge_s

    @property
    def soc_on_arrival(self) -> float | None:
        """Battery on arrival: straight there, or after charging at the stop."""
        if self.stop is None:
            return self.check.soc_on_arrival
        charged_range = full_range_m(self.check.range_m, self.check.soc_percent)
        charged_range *= self.stop.charge_to / 100.0
        return battery_after(self.stop.from_stop_m, charged_range, self.stop.charge_to)

    def arrival(self, depart: datetime) -> datetime:
        return arrival_time(depart, self.duration_s)

    def summary(self) -> str:
        """The plan in a few words, for a trace."""
        if self.stop is not None:
            return f"{self.check.summary()}; charge at {self.stop.place.name('en')}"
        if self.needs_charging:
            return f"{self.check.summary()}; no charger in reach"
        return self.check.summary()


def plan_trip(
    maps: MapProvider,
    origin: LatLon,
    destination: LatLon,
    range_m: float,
    soc_percent: float | None = None,
    waypoints: Sequence[LatLon] = (),
) -> TripPlan:
    """Route, range check and, when needed, a charging stop between origin and destination."""
    route = maps.route(origin, destination, waypoints)
    check = check_range(route.distance_m, range_m, soc_percent)
    if check.enough:
        return TripPlan(route, check)
    chargers = [m.place for m in maps.along_route("charging", origin, destination, limit=100)]
    stop = choose_charging_stop(
        origin, destination, chargers, range_m, soc_percent, distance=_road(maps)
    )
    return TripPlan(route, check, stop)


def _road(maps: MapProvider) -> Callable[[LatLon, LatLon], float]:
    return lambda a, b: maps.route(a, b).distance_m
