"""Climate tools: set points, fan, A/C, recirculation, defrost, air distribution."""

from __future__ import annotations

from typing import Literal

from codriver.text import Bilingual
from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES, Zone, clamp, on_off, seats_of, zone_name
from codriver.vehicle.seats import hvac_station

HVAC = "Vehicle.Cabin.HVAC"


def _station(seat: str, leaf: str) -> str:
    return f"{HVAC}.Station.{hvac_station(seat)}.{leaf}"  # type: ignore[arg-type]


@tool("climate")
def set_temperature(ctx: ToolContext, celsius: float, zone: Zone | None = None) -> Effect:
    """Set the climate set point.

    Args:
        celsius: target temperature in degrees Celsius.
        zone: seat or row to set; omitted, the speaker's own zone.
    """
    writes = {_station(seat, "Temperature"): celsius for seat in seats_of(ctx, zone)}
    return Effect.set(
        writes, PHRASES.get("climate.temperature", zone=zone_name(ctx, zone), celsius=celsius)
    )


@tool("climate")
def adjust_temperature(ctx: ToolContext, delta: float, zone: Zone | None = None) -> Effect:
    """Make it warmer (positive delta) or cooler (negative delta), within the car's limits.

    Args:
        delta: change in degrees Celsius, e.g. 1 for "a bit warmer", -2 for "much cooler".
        zone: seat or row to change; omitted, the speaker's own zone.
    """
    writes: dict[str, float] = {}
    for seat in seats_of(ctx, zone):
        path = _station(seat, "Temperature")
        low, high = ctx.bounds(path, 16, 32)
        writes[path] = clamp(ctx.number(path, 22) + delta, low, high)
    target = next(iter(writes.values()))
    return Effect.set(
        writes, PHRASES.get("climate.temperature", zone=zone_name(ctx, zone), celsius=target)
    )


@tool("climate")
def set_fan_speed(ctx: ToolContext, level: int, zone: Zone | None = None) -> Effect:
    """Set the fan speed.

    Args:
        level: fan speed in percent, 0 (off) to 100 (max).
        zone: seat or row; omitted, every zone (the fan is shared).
    """
    writes = {_station(seat, "FanSpeed"): level for seat in seats_of(ctx, zone or "all")}
    return Effect.set(
        writes, PHRASES.get("climate.fan", zone=zone_name(ctx, zone or "all"), level=level)
    )


@tool("climate")
def adjust_fan_speed(ctx: ToolContext, delta: int, zone: Zone | None = None) -> Effect:
    """Turn the fan up (positive delta) or down (negative delta), in percent points.

    Args:
        delta: change in percent points, e.g. 20 for "a bit stronger".
        zone: seat or row; omitted, every zone.
    """
    writes = {}
    for seat in seats_of(ctx, zone or "all"):
        path = _station(seat, "FanSpeed")
        writes[path] = int(clamp(ctx.number(path, 30) + delta, 0, 100))
    level = next(iter(writes.values()))
    return Effect.set(
        writes, PHRASES.get("climate.fan", zone=zone_name(ctx, zone or "all"), level=level)
    )


@tool("climate")
def set_air_conditioning(ctx: ToolContext, on: bool) -> Effect:
    """Turn the air conditioning (compressor) on or off.

    Args:
        on: true to turn on, false to turn off.
    """
    return Effect.set(
        {f"{HVAC}.IsAirConditioningActive": on}, PHRASES.get(f"climate.ac_{on_off(on)}")
    )


@tool("climate")
def set_recirculation(ctx: ToolContext, on: bool) -> Effect:
    """Recirculate cabin air (on) or take in fresh air (off).

    Args:
        on: true for recirculation, false for fresh air.
    """
    return Effect.set(
        {f"{HVAC}.IsRecirculationActive": on}, PHRASES.get(f"climate.recirculation_{on_off(on)}")
    )


@tool("climate")
def set_defroster(ctx: ToolContext, on: bool, window: Literal["front", "rear"] = "front") -> Effect:
    """Defrost or demist the windscreen (front) or the rear window.

    Args:
        on: true to turn on, false to turn off.
        window: which glass.
    """
    path = f"{HVAC}.Is{window.capitalize()}DefrosterActive"
    return Effect.set({path: on}, PHRASES.get(f"climate.defrost_{window}_{on_off(on)}"))


@tool("climate")
def set_air_distribution(
    ctx: ToolContext, direction: Literal["UP", "MIDDLE", "DOWN"], zone: Zone | None = None
) -> Effect:
    """Direct the airflow to the windscreen (UP), the face (MIDDLE) or the feet (DOWN).

    Args:
        direction: where the air goes.
        zone: seat or row; omitted, the speaker's own zone.
    """
    writes = {_station(seat, "AirDistribution"): direction for seat in seats_of(ctx, zone)}
    names = {"UP": ("windscreen", "吹挡风"), "MIDDLE": ("face", "吹面"), "DOWN": ("feet", "吹脚")}
    en, zh = names[direction]
    return Effect.set(
        writes,
        PHRASES.get("climate.airflow", zone=zone_name(ctx, zone), direction=Bilingual(en, zh)),
    )


@tool("climate")
def set_steering_wheel_heating(ctx: ToolContext, on: bool, level: int = 100) -> Effect:
    """Heat the steering wheel, or stop heating it.

    Args:
        on: true to heat, false to stop.
        level: how warm, in percent (1 to 100).
    """
    value = max(1, min(level, 100)) if on else 0
    key = "climate.wheel_on" if on else "climate.wheel_off"
    return Effect.set({"Vehicle.Chassis.SteeringWheel.HeatingCooling": value}, PHRASES.get(key))


CLIMATE = Toolset(
    "climate",
    (
        set_temperature,
        adjust_temperature,
        set_fan_speed,
        adjust_fan_speed,
        set_air_conditioning,
        set_recirculation,
        set_defroster,
        set_air_distribution,
        set_steering_wheel_heating,
    ),
)
