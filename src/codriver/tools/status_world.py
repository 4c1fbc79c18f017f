"""Status answers about the world around the car: the time and date by the car's clock, where the
car is (the nearest place the map knows), and what is left in the tank."""

from __future__ import annotations

import time
from datetime import datetime

from codriver.services.maps.places import haversine_m
from codriver.text import Bilingual
from codriver.tools.base import ToolContext
from codriver.tools.status_cabin import Answer, num
from codriver.tools.units import temperature
from codriver.tools.zones import PHRASES, Zone

NEAR_M = 5_000.0
"""How close the nearest known place must be to say "we're near" it."""
LAT, LON = "Vehicle.CurrentLocation.Latitude", "Vehicle.CurrentLocation.Longitude"


def car_now(ctx: ToolContext) -> datetime:
    """The car's clock (the simulated one where the assistant runs on one), local time."""
    clock = getattr(ctx.automations, "clock", None)
    return datetime.fromtimestamp(clock.now() if clock is not None else time.time())


def _time(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    now = car_now(ctx)
    en = now.strftime("%I:%M %p").lstrip("0")
    return Bilingual(
        PHRASES.get("status.time", time=en).en, PHRASES.get("status.time", time=f"{now:%H:%M}").zh
    )


def _date(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    now = car_now(ctx)
    weekday, month = PHRASES.get(f"weekday.{now.weekday()}"), PHRASES.get(f"month.{now.month}")
    said = {"day": now.day, "year": now.year}
    return Bilingual(
        PHRASES.get("status.date", weekday=weekday.en, month=month.en, **said).en,
        PHRASES.get("status.date", weekday=weekday.zh, month=month.zh, **said).zh,
    )


def _location(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    lat, lon = ctx.state.get(LAT), ctx.state.get(LON)
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return PHRASES.get("status.location_unknown")
    maps = getattr(ctx.services, "maps", None)
    places = getattr(maps, "places", ())
    here = (float(lat), float(lon))
    nearest = min(places, key=lambda p: haversine_m(here, p.at), default=None)
    if nearest is None or haversine_m(here, nearest.at) > NEAR_M:
        return PHRASES.get("status.location_far", lat=f"{lat:.4f}", lon=f"{lon:.4f}")
    return Bilingual(
        PHRASES.get("status.location", place=nearest.name_en).en,
        PHRASES.get("status.location", place=nearest.name_zh).zh,
    )


def _fuel(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    level = ctx.state.get("Vehicle.Powertrain.FuelSystem.RelativeLevel")
    if isinstance(level, int | float):
        return PHRASES.get("status.fuel", value=int(level))
    battery = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
    return PHRASES.get("status.no_fuel", value=num(ctx, battery))


COAT_BELOW_C = 12.0
"""Outside, colder than this a coat is worth bringing."""
JACKET_BELOW_C = 18.0
"""Colder than this (and not colder than ``COAT_BELOW_C``) a light jacket."""


def _coat(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    """ "Should I bring a coat?", "下车要不要穿外套": the outside temperature, and what it means."""
    outside = ctx.state.get("Vehicle.Exterior.AirTemperature")
    if not isinstance(outside, int | float) or isinstance(outside, bool):
        return PHRASES.get("status.coat_unknown")
    said = temperature(ctx, float(outside))
    key = "coat" if outside < COAT_BELOW_C else "jacket" if outside < JACKET_BELOW_C else "none"
    return PHRASES.get(f"status.coat_{key}", value=said)


WORLD_ANSWERS: dict[str, Answer] = {
    "coat": _coat,
    "time": _time,
    "date": _date,
    "location": _location,
    "fuel": _fuel,
}
