"""Road distance and driving time estimated from straight-line distance, for the offline map.

Road distance is the great-circle distance times a road factor: 1.3 for the first 30 km (city
streets wind, ring roads go round), 1.1 beyond (expressways run close to the straight line).
People's Square to Pudong Airport comes out at about 43 km (real routes: 45-50 km), to West Lake
in Hangzhou about 190 km (real: 175-185 km), Marienplatz to Munich Airport about 37 km.

Driving time uses an average speed per distance band, door to door with traffic lights and
junctions: the first 5 km at 20 km/h, the next 15 km at 35 km/h, the next 40 km at 60 km/h and
everything beyond at 90 km/h (expressway, with the odd slowdown). A route with stops takes the
time of its whole distance plus 3 minutes per stop to leave the road and rejoin it (each leg's own
estimate would start every leg slow, as if each stop were in a city centre).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from codriver.services.maps.places import LatLon, haversine_m

CITY_FACTOR = 1.3
CITY_SPAN_M = 30_000.0
HIGHWAY_FACTOR = 1.1

SPEED_BANDS: tuple[tuple[float, float], ...] = (
    (5_000.0, 20.0),
    (15_000.0, 35.0),
    (40_000.0, 60.0),
    (float("inf"), 90.0),
)
"""(length of the band in metres, average km/h in it), in driving order."""
STOP_S = 180.0


@dataclass(frozen=True, slots=True)
class Leg:
    """One stretch of a route between two stops."""

    start: LatLon
    end: LatLon
    distance_m: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class Route:
    """A route through its stops: total distance and driving time, and its legs."""

    distance_m: float
    duration_s: float
    legs: tuple[Leg, ...] = ()


def road_distance_m(a: LatLon, b: LatLon) -> float:
    """Estimated distance by road, in metres."""
    straight = haversine_m(a, b)
    city = min(straight, CITY_SPAN_M)
    return CITY_FACTOR * city + HIGHWAY_FACTOR * (straight - city)


def drive_time_s(distance_m: float) -> float:
    """Estimated driving time for a road distance, in seconds."""
    left, seconds = distance_m, 0.0
    for length, kmh in SPEED_BANDS:
        part = min(left, length)
        seconds += part / (kmh / 3.6)
        left -= part
        if left <= 0:
            break
    return seconds


def detour_distance_m(origin: LatLon, stop: LatLon, destination: LatLon) -> float:
    """Extra distance a stop adds: measured on straight lines, times the city road factor, so that
    it does not depend on how an estimator's or a provider's legs bend."""
    extra = haversine_m(origin, stop) + haversine_m(stop, destination)
    return max(0.0, CITY_FACTOR * (extra - haversine_m(origin, destination)))


def estimate_route(origin: LatLon, destination: LatLon, waypoints: Sequence[LatLon] = ()) -> Route:
    """Route through the waypoints in order, leg by leg."""
    stops = [origin, *waypoints, destination]
    legs = []
    for start, end in pairwise(stops):
        distance = road_distance_m(start, end)
        legs.append(Leg(start, end, distance, drive_time_s(distance)))
    distance = sum(leg.distance_m for leg in legs)
    return Route(distance, drive_time_s(distance) + STOP_S * len(waypoints), tuple(legs))
