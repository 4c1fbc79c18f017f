"""The navigation card's numbers: the active route's distance and time, and whether the range
covers it, computed from the cabin's state with the same map and energy model the agents use."""

from __future__ import annotations

from codriver.assistant import Assistant
from codriver.server.events import JsonObject
from codriver.services.maps.energy import check_range
from codriver.services.maps.places import LatLon, Place

ROUTE_INPUTS = (
    "Cockpit.Navigation.",
    "Vehicle.Cabin.Infotainment.Navigation.DestinationSet.",
    "Vehicle.Powertrain.Range",
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed",
    "Vehicle.CurrentLocation.",
)
"""A change under one of these can change the route card."""

_DEST = "Vehicle.Cabin.Infotainment.Navigation.DestinationSet."


async def route_summary(assistant: Assistant) -> JsonObject | None:
    """The active route (None without a destination): names always, numbers when the map, the
    car's position and the destination's coordinates are known."""
    destination = assistant.cockpit.value("Cockpit.Navigation.Destination")
    if not isinstance(destination, str) or not destination:
        return None
    waypoints = assistant.cockpit.value("Cockpit.Navigation.Waypoints")
    stops = [w for w in waypoints if isinstance(w, str)] if isinstance(waypoints, list) else []
    summary: JsonObject = {"destination": destination, "waypoints": stops}
    here = await _position(assistant, "Vehicle.CurrentLocation.")
    target = await _position(assistant, _DEST)
    maps = assistant.services.maps
    range_m = _float(await assistant.read("Vehicle.Powertrain.Range"))
    soc = _float(await assistant.read("Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"))
    if maps is None or here is None or target is None or range_m is None:
        return summary
    places = [_place(maps, name, here) for name in stops]
    route = maps.route(here, target, [p.at for p in places if p is not None])
    check = check_range(route.distance_m, range_m, soc)
    charging = next((p for p in places if p is not None and p.category == "charging"), None)
    arrival = check.soc_on_arrival
    summary.update(
        distance_km=round(route.distance_m / 1000.0, 1),
        duration_min=round(route.duration_s / 60.0),
        range_km=round(range_m / 1000.0, 1),
        enough=check.enough,
        battery_on_arrival=None if arrival is None else round(arrival),
        charging_stop=None if charging is None else stops[places.index(charging)],
    )
    return summary


async def _position(assistant: Assistant, prefix: str) -> LatLon | None:
    lat = _float(await assistant.read(prefix + "Latitude"))
    lon = _float(await assistant.read(prefix + "Longitude"))
    return None if lat is None or lon is None else (lat, lon)


def _place(maps: object, name: str, near: LatLon) -> Place | None:
    found = maps.search(name, near=near, limit=1)  # type: ignore[attr-defined]
    return found[0].place if found else None


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
