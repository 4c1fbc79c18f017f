"""Navigation tools grounded in the map: places are resolved before the car goes anywhere, and
every route is checked against the range.

With a map (``ctx.services.maps``) a destination is written as the place's name in the occupant's
language, with its coordinates; several equally good places ("the airport") are a question, not a
guess; a trip beyond the range gets a charging stop. Without a map the tools keep the place as
said, so nothing that worked before breaks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

from codriver.services.maps import (
    CATEGORIES,
    Category,
    LatLon,
    MapProvider,
    Match,
    Place,
    RangeCheck,
    Route,
    TripPlan,
    check_range,
    plan_trip,
    resolve,
)
from codriver.services.maps.search import read_request, reads_as_address, vocabulary
from codriver.text import Bilingual, PhraseBook
from codriver.tools.arrival import arrival_estimate
from codriver.tools.base import Choice, Effect, ToolContext, Toolset, tool
from codriver.tools.route_words import (
    duration,
    either,
    km,
    names,
    range_note,
    sentences,
    too_far,
    verdict,
    verdict_with_stop,
)
from codriver.tools.zones import PHRASES as TOOL_PHRASES
from codriver.vehicle.catalog import Value

PHRASES = PhraseBook.load("codriver.services.maps", "data/phrases.yaml")

DESTINATION = "Cockpit.Navigation.Destination"
WAYPOINTS = "Cockpit.Navigation.Waypoints"
DEST_LAT = "Vehicle.Cabin.Infotainment.Navigation.DestinationSet.Latitude"
DEST_LON = "Vehicle.Cabin.Infotainment.Navigation.DestinationSet.Longitude"
LAT = "Vehicle.CurrentLocation.Latitude"
LON = "Vehicle.CurrentLocation.Longitude"
RANGE = "Vehicle.Powertrain.Range"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"

MAX_DRIVE_M = 2_500_000.0
"""Beyond this a destination is on another continent as far as a drive is concerned."""
NEARBY_COUNT = 3


@tool("navigation")
def navigate_to(ctx: ToolContext, place: str) -> Effect:
    """Start route guidance to a place, checking the range and adding a charging stop if needed.

    Args:
        place: the destination as said (a name, an address, or "nearest X").
    """
    maps = _maps(ctx)
    if maps is None:
        return Effect.set(
            {DESTINATION: place, WAYPOINTS: []}, TOOL_PHRASES.get("nav.destination", place=place)
        )
    found = _lookup(ctx, maps, place, "navigate_to")
    if isinstance(found, Effect):
        return _by_name_only(ctx, place, found)
    target = found.place
    writes: dict[str, Value] = {
        DESTINATION: target.name(ctx.lang),
        WAYPOINTS: [],
        DEST_LAT: target.lat,
        DEST_LON: target.lon,
    }
    here = _here(ctx)
    if here is None:
        return Effect.set(writes, PHRASES.get("nav.to_plain", place=names(target)))
    route = maps.route(here, target.at)
    if route.distance_m > MAX_DRIVE_M:
        return Effect(failed=too_far(names(target), route.distance_m))
    parts = [_route_phrase("nav.to", names(target), route)]
    range_m = _number(ctx, RANGE)
    if range_m is not None:
        soc = _number(ctx, SOC)
        if target.category == "charging":
            plan = TripPlan(route, _range(ctx, route.distance_m, range_m, soc))
        else:
            plan = _trip(ctx, maps, here, target.at, range_m, soc)
        if plan.stop is not None:
            writes[WAYPOINTS] = [plan.stop.place.name(ctx.lang)]
        parts.extend(range_note(plan, range_m, target))
    return Effect.set(writes, sentences(parts))


def _by_name_only(ctx: ToolContext, place: str, failed: Effect) -> Effect:
    """A named place the map does not hold ("七宝老街" on a map of a few hundred places): when
    its name reads as an address (``reads_as_address``), the destination is set by its name and
    the reply says that its route and arrival are not known yet. A kind of place that is not found
    ("the nearest car wash") and a name that is no address ("Glimmerwood Manor") stay not found.
    The coordinates of an earlier destination stay, unread: ``_destination`` reads a name like
    this as a place without a position."""
    request = read_request(_profile_place(ctx, place), vocabulary())
    named = not request.nearest and (request.category is None or bool(request.qualifier))
    if failed.failed is None or not named or not reads_as_address(request.name):
        return failed
    return Effect.set({DESTINATION: place, WAYPOINTS: []}, PHRASES.get("nav.by_name", place=place))


@tool("navigation")
def add_waypoint(ctx: ToolContext, place: str) -> Effect:
    """Add a stop on the way to the current destination.

    Args:
        place: the stop as said.
    """
    if not ctx.state.get(DESTINATION):
        return navigate_to.fn(ctx, place=place)
    stops = _list(ctx.state.get(WAYPOINTS))
    maps = _maps(ctx)
    if maps is None:
        return Effect.set(
            {WAYPOINTS: [*stops, place]}, TOOL_PHRASES.get("nav.waypoint", place=place)
        )
    found = _lookup(ctx, maps, place, "add_waypoint")
    if isinstance(found, Effect):
        return found
    stop = found.place
    writes: dict[str, Value] = {WAYPOINTS: [*stops, stop.name(ctx.lang)]}
    here, destination = _here(ctx), _destination(ctx, maps)
    if here is None or destination is None:
        return Effect.set(writes, TOOL_PHRASES.get("nav.waypoint", place=names(stop)))
    on_the_way = [*_stop_places(ctx, maps, stops), stop]
    route = maps.route(here, destination[1], [p.at for p in on_the_way])
    parts = [_route_phrase("nav.waypoint_route", names(stop), route)]
    range_m = _number(ctx, RANGE)
    if range_m is not None:
        check, _ = _check_to_charger(ctx, maps, here, on_the_way, route.distance_m, range_m, None)
        if not check.enough:
            parts.append(PHRASES.get("nav.waypoint_short", range=km(range_m)))
    return Effect.set(writes, sentences(parts))


@tool("navigation")
def cancel_navigation(ctx: ToolContext) -> Effect:
    """Stop route guidance."""
    if not ctx.state.get(DESTINATION):
        return Effect(answer=TOOL_PHRASES.get("nav.no_route"))
    return Effect.set({DESTINATION: "", WAYPOINTS: []}, TOOL_PHRASES.get("nav.cancel"))


@tool("navigation")
def trip_info(
    ctx: ToolContext,
    place: str | None = None,
    round_trip: bool = False,
    distance_km: float | None = None,
) -> Effect:
    """How far and how long to a place (or to the current destination), and whether the battery
    lasts: "how far is X", "how long to X", "can I make it to X without charging?"; or whether it
    lasts a distance the occupant gives ("my sister is 150 km away, is the battery enough?").

    Args:
        place: the place as said; omitted, the active route's destination.
        round_trip: there and back ("to Hangzhou and back", "来回一趟").
        distance_km: a distance said instead of a place, in km.
    """
    if distance_km is not None and not place:
        return _distance_verdict(ctx, distance_km * 1000.0, round_trip)
    maps = _maps(ctx)
    if maps is None:
        return Effect(failed=PHRASES.get("maps.unavailable"))
    here = _here(ctx)
    if here is None:
        return Effect(failed=PHRASES.get("maps.no_position"))
    stops: list[Place] = []
    if place:
        found = _lookup(ctx, maps, place, "trip_info")
        if isinstance(found, Effect):
            return found
        name: str | Bilingual = names(found.place)
        target, key = found.place.at, "trip.info"
    else:
        destination = _destination(ctx, maps)
        if destination is None:
            said = ctx.state.get(DESTINATION)
            if isinstance(said, str) and said:
                return Effect(answer=PHRASES.get("nav.not_placed", place=said))
            return Effect(answer=PHRASES.get("trip.no_destination"))
        (name, target), key = destination, "trip.route"
        stops = _stop_places(ctx, maps, _list(ctx.state.get(WAYPOINTS)))
    route = maps.route(here, target, [p.at for p in stops])
    if route.distance_m > MAX_DRIVE_M:
        return Effect(answer=too_far(name, route.distance_m))
    parts = [_route_phrase(key, name, route)]
    range_m = _number(ctx, RANGE)
    if range_m is not None:
        parts.extend(_battery_verdict(ctx, maps, here, target, stops, route, range_m, round_trip))
    return Effect(answer=sentences(parts))


def _battery_verdict(
    ctx: ToolContext,
    maps: MapProvider,
    here: LatLon,
    target: LatLon,
    stops: list[Place],
    route: Route,
    range_m: float,
    round_trip: bool,
) -> list[Bilingual]:
    """Whether the battery lasts, with the numbers: there (and back), or to the charging stop."""
    soc = _number(ctx, SOC)
    if round_trip:
        both_ways = 2 * route.distance_m
        back = _range(ctx, both_ways, range_m, soc)
        return [
            PHRASES.get("trip.round", distance=km(both_ways)),
            *verdict(TripPlan(route, back, None), range_m),
        ]
    check, charger = _check_to_charger(ctx, maps, here, stops, route.distance_m, range_m, soc)
    if charger is not None:
        return [verdict_with_stop(check, charger, range_m)]
    return verdict(_trip(ctx, maps, here, target, range_m, soc, [p.at for p in stops]), range_m)


def _distance_verdict(ctx: ToolContext, distance_m: float, round_trip: bool) -> Effect:
    """Whether the battery lasts a distance the occupant gives (there and back, if said)."""
    if not math.isfinite(distance_m) or distance_m <= 0:
        return Effect(failed=PHRASES.get("trip.bad_distance"))
    range_m = _number(ctx, RANGE)
    if range_m is None:
        return Effect(answer=PHRASES.get("trip.no_range"))
    total = 2 * distance_m if round_trip else distance_m
    check = _range(ctx, total, range_m, _number(ctx, SOC))
    key = "trip.given_round" if round_trip else "trip.given"
    parts = [PHRASES.get(key, distance=km(total))]
    if check.enough:
        soc = check.soc_on_arrival
        plain = soc is None
        parts.append(
            PHRASES.get("trip.yes_plain", range=km(range_m))
            if plain
            else PHRASES.get("trip.yes", range=km(range_m), soc=round(soc or 0))
        )
    else:
        parts.append(PHRASES.get("trip.no", range=km(range_m), needed=km(check.needed_m)))
    return Effect(answer=sentences(parts))


def _route_phrase(key: str, place: str | Bilingual, route: Route) -> Bilingual:
    """ "{place}, {distance}, about {time}" in the wording of ``key``."""
    return PHRASES.get(
        key, place=place, distance=km(route.distance_m), time=duration(route.duration_s)
    )


@tool("navigation")
def find_nearby(ctx: ToolContext, category: str) -> Effect:
    """List the nearest few places of a kind: chargers, gas stations, car parks, service areas,
    restaurants, coffee shops, hospitals, toilets.

    Args:
        category: the kind of place as said ("coffee", "充电站", "somewhere to park") or one of
            charging, fuel, parking, rest_area, restaurant, coffee, hospital, toilet.
    """
    maps = _maps(ctx)
    if maps is None:
        return Effect(failed=PHRASES.get("maps.unavailable"))
    kind = _category(category)
    if kind is None:
        return Effect(failed=PHRASES.get("nearby.unknown", category=category))
    here = _here(ctx)
    if here is None:
        return Effect(failed=PHRASES.get("maps.no_position"))
    plural = vocabulary().categories[kind].plural
    found = [
        m
        for m in maps.nearest(kind, here, limit=NEARBY_COUNT)
        if m.distance_m is not None and m.distance_m <= MAX_DRIVE_M
    ]
    if not found:
        return Effect(answer=PHRASES.get("nearby.none", kind=plural))
    items = Bilingual(
        "; ".join(f"{m.place.name_en}, {km(m.distance_m or 0.0).en}" for m in found),
        "；".join(f"{m.place.name_zh}，{km(m.distance_m or 0.0).zh}" for m in found),
    )
    choices = tuple(
        Choice(Bilingual(m.place.name_en, m.place.name_zh), "navigate_to",
               {"place": m.place.name(ctx.lang)})
        for m in found
    )  # fmt: skip
    return Effect(answer=PHRASES.get("nearby.list", kind=plural, items=items), choices=choices)


NAVIGATION_TOOLS = Toolset(
    "navigation",
    (navigate_to, add_waypoint, cancel_navigation, trip_info, find_nearby, arrival_estimate),
)


# -- looking places up ---------------------------------------------------------------------


def _maps(ctx: ToolContext) -> MapProvider | None:
    maps: MapProvider | None = getattr(ctx.services, "maps", None)
    return maps


def _profile_place(ctx: ToolContext, place: str) -> str:
    """ "take me home", "去公司": the speaker's home or work from their profile."""
    profiles = getattr(ctx.services, "profiles", None)
    found = profiles.place(ctx.speaker, place) if profiles is not None else None
    return str(found) if found else place


def _lookup(ctx: ToolContext, maps: MapProvider, place: str, tool: str) -> Match | Effect:
    """The one place meant, or the effect that says why there is none: a question when several
    are equally good (the answer calls ``tool`` again with the one chosen), a failure when
    nothing matches."""
    place = _profile_place(ctx, place)
    found = resolve(maps.search(place, near=_here(ctx), lang=ctx.lang))
    if found.kind == "found":
        return found.match
    if found.kind == "ambiguous":
        places = [m.place for m in found.matches]
        choices = tuple(
            Choice(Bilingual(p.name_en, p.name_zh), tool, {"place": p.name(ctx.lang)})
            for p in places
        )
        return Effect(answer=_which(places), choices=choices)
    return Effect(failed=PHRASES.get("nav.not_found", place=place))


def _which(places: Sequence[Place]) -> Bilingual:
    kinds = {p.category for p in places}
    kind = Bilingual("place", "地方")
    if len(kinds) == 1 and places[0].category not in ("landmark", "city"):
        kind = vocabulary().categories[places[0].category].name
    options = Bilingual(
        either([p.name_en for p in places], "en"), either([p.name_zh for p in places], "zh")
    )
    return PHRASES.get("nav.which", kind=kind, options=options)


def _category(said: str) -> Category | None:
    named = next((c for c in CATEGORIES if c == said), None)
    return named or read_request(said, vocabulary()).category


def _here(ctx: ToolContext) -> LatLon | None:
    lat, lon = _number(ctx, LAT), _number(ctx, LON)
    return None if lat is None or lon is None else (lat, lon)


def _destination(ctx: ToolContext, maps: MapProvider) -> tuple[str | Bilingual, LatLon] | None:
    """The active destination's name and position: its name looked up again on the map, else
    the name as held with the coordinates that were set; None without a destination."""
    said = ctx.state.get(DESTINATION)
    if not isinstance(said, str) or not said:
        return None
    found = resolve(maps.search(said, near=_here(ctx)))
    if found.kind == "found":
        return names(found.match.place), found.match.place.at
    if reads_as_address(said):
        return None  # set by its name alone: any coordinates held are an earlier destination's
    lat, lon = _number(ctx, DEST_LAT), _number(ctx, DEST_LON)
    return None if lat is None or lon is None else (said, (lat, lon))


def _stop_places(ctx: ToolContext, maps: MapProvider, names: Sequence[str]) -> list[Place]:
    """The stops that the map knows by name (others are left out of estimates)."""
    stops = []
    for name in names:
        found = resolve(maps.search(name, near=_here(ctx)))
        if found.kind == "found":
            stops.append(found.match.place)
    return stops


def _check_to_charger(
    ctx: ToolContext,
    maps: MapProvider,
    here: LatLon,
    stops: Sequence[Place],
    total_m: float,
    range_m: float,
    soc: float | None,
) -> tuple[RangeCheck, Place | None]:
    """The range check that matters on a route: up to its first charging stop, if it has one,
    else the whole way."""
    for i, stop in enumerate(stops):
        if stop.category == "charging":
            leg = maps.route(here, stop.at, [p.at for p in stops[:i]])
            return _range(ctx, leg.distance_m, range_m, soc), stop
    return _range(ctx, total_m, range_m, soc), None


def _range(ctx: ToolContext, distance_m: float, range_m: float, soc: float | None) -> RangeCheck:
    """Navigation asks the energy agent whether the range covers a distance."""
    answer = partial(check_range, distance_m, range_m, soc)
    return ctx.ask("energy", "range_check", answer, km=round(distance_m / 1000))


def _trip(
    ctx: ToolContext,
    maps: MapProvider,
    here: LatLon,
    target: LatLon,
    range_m: float,
    soc: float | None,
    via: Sequence[LatLon] = (),
) -> TripPlan:
    """Navigation asks the energy agent to plan the trip: range check and charging stop."""
    answer = partial(plan_trip, maps, here, target, range_m, soc, via)
    return ctx.ask("energy", "plan_trip", answer, stops=len(via))


def _number(ctx: ToolContext, path: str) -> float | None:
    value = ctx.state.get(path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
