"""Answers about the cabin: climate, seats, lights, sound, drive mode. Read only."""

from __future__ import annotations

from collections.abc import Callable

from codriver.text import Bilingual, PhraseBook
from codriver.tools.base import ToolContext
from codriver.tools.units import temperature
from codriver.tools.zones import PHRASES, Zone, zone_name
from codriver.vehicle.seats import SEATS, Seat, hvac_station, seat_branch

STATUS = PhraseBook.load("codriver.tools", "data/status.yaml")

Answer = Callable[[ToolContext, Zone | None], Bilingual]

_FLAGS = {
    "ac": "Vehicle.Cabin.HVAC.IsAirConditioningActive",
    "recirculation": "Vehicle.Cabin.HVAC.IsRecirculationActive",
    "defrost_front": "Vehicle.Cabin.HVAC.IsFrontDefrosterActive",
    "defrost_rear": "Vehicle.Cabin.HVAC.IsRearDefrosterActive",
    "headlights": "Vehicle.Body.Lights.Beam.Low.IsOn",
    "high_beam": "Vehicle.Body.Lights.Beam.High.IsOn",
    "fog": "Vehicle.Body.Lights.Fog.*.IsOn",
    "hazard": "Vehicle.Body.Lights.Hazard.IsSignaling",
    "dome": "Vehicle.Cabin.Light.IsDomeOn",
    "ambient": "Vehicle.Cabin.Light.AmbientLight.*.IsLightOn",
    "mirror_heat": "Vehicle.Body.Mirrors.*.IsHeatingOn",
}
"""Things that are on or off; ``*`` stands for any of several (any fog light, any ambient zone)."""


def num(ctx: ToolContext, path: str) -> str:
    value = ctx.number(path)
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _any_on(ctx: ToolContext, pattern: str) -> bool:
    if "*" not in pattern:
        return ctx.state.get(pattern) is True
    head, tail = pattern.split("*", 1)
    return any(v is True for p, v in ctx.state.items() if p.startswith(head) and p.endswith(tail))


def flag(name: str) -> Answer:
    def answer(ctx: ToolContext, zone: Zone | None) -> Bilingual:
        on = _any_on(ctx, _FLAGS[name])
        return STATUS.get("flag.on" if on else "flag.off", item=STATUS.get(f"flag.{name}"))

    return answer


def _one_seat(ctx: ToolContext, zone: Zone | None) -> tuple[Seat, str]:
    """The seat asked about (the speaker's when none or a row is named) and its VSS branch."""
    seat = next((s for s in SEATS if s == zone), ctx.speaker)
    return seat, seat_branch(seat)


def fan(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seat, _ = _one_seat(ctx, zone)
    path = f"Vehicle.Cabin.HVAC.Station.{hvac_station(seat)}.FanSpeed"
    name = zone_name(ctx, seat)
    if ctx.number(path) <= 0:
        return STATUS.get("level.fan_off", zone=name)
    return STATUS.get("level.fan", zone=name, value=num(ctx, path))


def set_temperature(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seat, _ = _one_seat(ctx, zone)
    station = hvac_station(seat)
    value = temperature(ctx, ctx.number(f"Vehicle.Cabin.HVAC.Station.{station}.Temperature"))
    if zone is None:
        return PHRASES.get("status.set_temperature", value=value)
    return STATUS.get("level.set_temperature", zone=zone_name(ctx, seat), value=value)


def seat_climate(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seat, branch = _one_seat(ctx, zone)
    level = ctx.number(f"Vehicle.Cabin.Seat.{branch}.HeatingCooling")
    name = zone_name(ctx, seat)
    if level > 0:
        return STATUS.get("seat.heating", zone=name, value=int(level))
    if level < 0:
        return STATUS.get("seat.cooling", zone=name, value=int(-level))
    return STATUS.get("seat.off", zone=name)


def massage(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seat, branch = _one_seat(ctx, zone)
    level = ctx.number(f"Vehicle.Cabin.Seat.{branch}.Massage.Level")
    name = zone_name(ctx, seat)
    if level > 0:
        return STATUS.get("seat.massage", zone=name, value=int(level))
    return STATUS.get("seat.massage_off", zone=name)


def recline(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seat, branch = _one_seat(ctx, zone)
    value = num(ctx, f"Vehicle.Cabin.Seat.{branch}.Backrest.Recline")
    return STATUS.get("level.recline", zone=zone_name(ctx, seat), value=value)


def volume(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    return STATUS.get("level.volume", value=num(ctx, "Vehicle.Cabin.Infotainment.Media.Volume"))


def wipers(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    mode = str(ctx.state.get("Vehicle.Body.Windshield.Front.Wiping.Mode") or "OFF")
    key = f"wipers.{mode}"
    name = PHRASES.get(key) if key in PHRASES else Bilingual(mode.lower(), mode)
    return STATUS.get("wipers", mode=name)


def drive_mode(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    mode = str(ctx.state.get("Vehicle.Powertrain.Transmission.PerformanceMode") or "NORMAL")
    key = f"drive.{mode}"
    name = PHRASES.get(key) if key in PHRASES else Bilingual(mode.lower(), mode)
    return STATUS.get("drive_mode", mode=name)


CABIN_ANSWERS: dict[str, Answer] = {
    **{name: flag(name) for name in _FLAGS},
    "fan": fan,
    "set_temperature": set_temperature,
    "seat_climate": seat_climate,
    "massage": massage,
    "recline": recline,
    "volume": volume,
    "wipers": wipers,
    "drive_mode": drive_mode,
}
