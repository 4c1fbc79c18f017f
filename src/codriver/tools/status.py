"""Status tools: answer questions about the car from its current state, acting on nothing.

The answers by topic live beside this module: the cabin (climate, seats, lights, sound) in
``status_cabin``, the body (doors, locks, windows, openings, tyres) in ``status_body``, the time,
the date, the place and the fuel in ``status_world``; energy, motion, the route, what is playing
and the automations here.
"""

from __future__ import annotations

from collections import ChainMap
from dataclasses import replace
from typing import Literal

from codriver.text import Bilingual
from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.status_body import BODY_ANSWERS
from codriver.tools.status_cabin import CABIN_ANSWERS, Answer, num, set_temperature
from codriver.tools.status_controls import CONTROL_ANSWERS
from codriver.tools.status_world import WORLD_ANSWERS
from codriver.tools.units import HMI, distance, speed, temperature
from codriver.tools.zones import PHRASES, Zone

Topic = Literal[
    "set_temperature", "cabin_temperature", "outside_temperature", "battery", "range", "locks",
    "windows", "media", "navigation", "speed", "trunk", "doors", "sunroof", "automations",
    "fan", "ac", "recirculation", "defrost_front", "defrost_rear", "seat_climate", "massage",
    "recline", "headlights", "high_beam", "fog", "hazard", "dome", "ambient", "mirror_heat",
    "volume", "wipers", "drive_mode", "hood", "frunk", "charge_port", "mirrors", "tyres",
    "time", "date", "location", "fuel", "gear", "coat", "cruise", "esc", "lane_departure",
    "driver_monitoring", "parking_brake", "child_lock", "steering_heat", "projection",
    "auto_headlights",
]  # fmt: skip
Unit = Literal["celsius", "fahrenheit", "km", "miles"]
_SHOWN = {
    "celsius": ("TemperatureUnit", "C"), "fahrenheit": ("TemperatureUnit", "F"),
    "km": ("DistanceUnit", "KILOMETERS"), "miles": ("DistanceUnit", "MILES"),
}  # fmt: skip
"""The HMI setting that makes the answer use a unit the occupant asked for ("… in Fahrenheit")."""


@tool("status")
def vehicle_status(
    ctx: ToolContext, topic: Topic, zone: Zone | None = None, unit: Unit | None = None
) -> Effect:
    """Tell the occupant something about the car: temperatures, climate, seats, lights, doors,
    locks, windows, openings, tyres, battery, fuel, range, what is playing, the route, the
    speed, where the car is, the time or the date.

    Args:
        topic: what the occupant asked about.
        zone: the seat or row asked about, where the topic has one; omitted, the speaker's own
            seat (or, for doors, locks and windows, all of them).
        unit: the unit the occupant asked the answer in ("in Fahrenheit", "how many miles");
            omitted, the units the car shows.
    """
    if unit is not None:
        setting, shown = _SHOWN[unit]
        ctx = replace(ctx, state=ChainMap({f"{HMI}.{setting}": shown}, dict(ctx.state)))
    answer: Bilingual = _ANSWERS[topic](ctx, zone)
    return Effect(answer=answer)


def _media(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    artist = ctx.state.get("Vehicle.Cabin.Infotainment.Media.Played.Artist")
    track = ctx.state.get("Vehicle.Cabin.Infotainment.Media.Played.Track")
    query = ctx.state.get("Cockpit.Media.Query")
    playing = ctx.state.get("Vehicle.Cabin.Infotainment.Media.Action") == "PLAY"
    if playing and artist:
        title = f"{track} — {artist}" if track else str(artist)
        return PHRASES.get("status.media", query=title)
    if playing and query:
        return PHRASES.get("status.media", query=query)
    return PHRASES.get("status.no_media")


def _navigation(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    place = ctx.state.get("Cockpit.Navigation.Destination")
    if place:
        return PHRASES.get("status.navigation", place=place)
    return PHRASES.get("nav.no_route")


def _automations(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    items = {
        kind: [str(t) for t in ctx.state.get(f"Cockpit.{kind}") or []]  # type: ignore[union-attr]
        for kind in ("Rules", "Reminders", "Timers")
    }
    if not any(items.values()):
        return Bilingual("no rules, reminders or timers are set", "现在没有规则、提醒或计时")
    en = "; ".join(f"{k.lower()}: {', '.join(v)}" for k, v in items.items() if v)
    names = {"Rules": "规则", "Reminders": "提醒", "Timers": "计时"}
    zh = "；".join(f"{names[k]}：{'、'.join(v)}" for k, v in items.items() if v)
    return Bilingual(en, zh)


def _battery(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    return PHRASES.get(
        "status.battery",
        value=num(ctx, "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"),
        km=distance(ctx, ctx.number("Vehicle.Powertrain.Range") / 1000),
    )


_ANSWERS: dict[str, Answer] = {
    **CABIN_ANSWERS,
    **BODY_ANSWERS,
    **WORLD_ANSWERS,
    **CONTROL_ANSWERS,
    "automations": _automations,
    "set_temperature": set_temperature,
    "cabin_temperature": lambda ctx, zone: PHRASES.get(
        "status.cabin_temperature",
        value=temperature(ctx, ctx.number("Vehicle.Cabin.HVAC.AmbientAirTemperature")),
    ),
    "outside_temperature": lambda ctx, zone: PHRASES.get(
        "status.outside_temperature",
        value=temperature(ctx, ctx.number("Vehicle.Exterior.AirTemperature")),
    ),
    "battery": _battery,
    "range": lambda ctx, zone: PHRASES.get(
        "status.range", km=distance(ctx, ctx.number("Vehicle.Powertrain.Range") / 1000)
    ),
    "media": _media,
    "navigation": _navigation,
    "speed": lambda ctx, zone: PHRASES.get(
        "status.speed", value=speed(ctx, ctx.number("Vehicle.Speed"))
    ),
    "gear": lambda ctx, zone: _gear(ctx),
}


_GEARS = {0: "N", -1: "R", 126: "P", 127: "D"}
"""VSS ``Transmission.SelectedGear`` codes: 126 park, 127 drive, -1 reverse, 0 neutral; 1–8 a
forward gear."""


def _gear(ctx: ToolContext) -> Bilingual:
    """ "What gear is it in?": the selected gear, or that it is not known."""
    value = ctx.state.get("Vehicle.Powertrain.Transmission.SelectedGear")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return PHRASES.get("status.gear_unknown")
    gear = _GEARS.get(int(value), str(int(value)))
    return PHRASES.get(f"status.gear_{gear}" if gear in "PRND" else "status.gear_n", n=gear)


STATUS_TOOLS = Toolset("status", (vehicle_status,))
