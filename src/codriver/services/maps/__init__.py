"""Maps and energy: places, search, routes, and range reasoning over them.

The port is :class:`MapProvider`; :func:`offline_maps` is the provider shipped as data (public
places around Shanghai and Munich). :mod:`~codriver.services.maps.energy` reasons about range,
battery and charging stops with any provider's routes.
"""

from codriver.services.maps.energy import (
    ChargingStop,
    RangeCheck,
    TripPlan,
    arrival_time,
    battery_after,
    charge_time_s,
    check_range,
    choose_charging_stop,
    plan_trip,
    reserve_m,
)
from codriver.services.maps.offline import OfflineMaps, offline_maps
from codriver.services.maps.places import CATEGORIES, Category, LatLon, Place, haversine_m
from codriver.services.maps.provider import MapProvider, Match, Resolution, resolve
from codriver.services.maps.routing import Leg, Route, drive_time_s, road_distance_m
from codriver.services.maps.search import pick

__all__ = [
    "CATEGORIES",
    "Category",
    "ChargingStop",
    "LatLon",
    "Leg",
    "MapProvider",
    "Match",
    "OfflineMaps",
    "Place",
    "RangeCheck",
    "Resolution",
    "Route",
    "TripPlan",
    "arrival_time",
    "battery_after",
    "charge_time_s",
    "check_range",
    "choose_charging_stop",
    "drive_time_s",
    "haversine_m",
    "offline_maps",
    "pick",
    "plan_trip",
    "reserve_m",
    "resolve",
    "road_distance_m",
]
