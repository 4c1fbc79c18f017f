"""Light tools: ambient colour and brightness, reading/dome light, headlights, fog, hazard."""

from __future__ import annotations

from typing import Literal

from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES, Zone, clamp, on_off, seats_of
from codriver.vehicle.catalog import Value
from codriver.vehicle.seats import seat_branch

AMBIENT = "Vehicle.Cabin.Light.AmbientLight"
LIGHTS = "Vehicle.Body.Lights"


def _ambient(seat: str, leaf: str) -> str:
    return f"{AMBIENT}.{seat_branch(seat)}.{leaf}"  # type: ignore[arg-type]


@tool("lights")
def set_ambient_light(
    ctx: ToolContext,
    on: bool = True,
    color: str | None = None,
    brightness: int | None = None,
    zone: Zone = "all",
) -> Effect:
    """Turn the ambient light on or off, optionally with a colour and a brightness.

    Args:
        on: true to turn on, false to turn off.
        color: colour as #RRGGBB, e.g. #0000FF for blue.
        brightness: intensity in percent, 1 to 100.
        zone: seat or row whose ambient light to set; omitted, the whole cabin.
    """
    writes: dict[str, Value] = {}
    for seat in seats_of(ctx, zone):
        writes[_ambient(seat, "IsLightOn")] = on
        if color is not None:
            writes[_ambient(seat, "Color")] = color.upper()
        if brightness is not None:
            writes[_ambient(seat, "Intensity")] = brightness
    if not on:
        done = PHRASES.get("lights.ambient_off")
    elif color is not None:
        key = f"color.{color.upper()}"
        name = PHRASES.get(key) if key in PHRASES else color.upper()
        done = PHRASES.get("lights.ambient_color", color=name)
    elif brightness is not None:
        done = PHRASES.get("lights.ambient_brightness", level=brightness)
    else:
        done = PHRASES.get("lights.ambient_on")
    return Effect.set(writes, done)


@tool("lights")
def adjust_ambient_brightness(ctx: ToolContext, delta: int, zone: Zone = "all") -> Effect:
    """Make the ambient light brighter (positive delta) or dimmer (negative), in percent points.

    Args:
        delta: change in percent points.
        zone: seat or row; omitted, the whole cabin.
    """
    seats = seats_of(ctx, zone)
    level = int(clamp(ctx.number(_ambient(seats[0], "Intensity"), 50) + delta, 1, 100))
    return set_ambient_light.fn(ctx, on=True, color=None, brightness=level, zone=zone)


@tool("lights")
def set_reading_light(ctx: ToolContext, on: bool) -> Effect:
    """Turn the dome (reading) light on or off.

    Args:
        on: true to turn on, false to turn off.
    """
    return Effect.set(
        {"Vehicle.Cabin.Light.IsDomeOn": on}, PHRASES.get(f"lights.dome_{on_off(on)}")
    )


@tool("lights")
def set_headlights(ctx: ToolContext, on: bool, beam: Literal["low", "high"] = "low") -> Effect:
    """Turn the headlights (low beam) or the high beams on or off.

    Args:
        on: true to turn on, false to turn off.
        beam: low (dipped) or high (main) beam.
    """
    path = f"{LIGHTS}.Beam.{beam.capitalize()}.IsOn"
    return Effect.set({path: on}, PHRASES.get(f"lights.{beam}_{on_off(on)}"))


@tool("lights")
def set_fog_lights(
    ctx: ToolContext, on: bool, which: Literal["front", "rear", "both"] = "both"
) -> Effect:
    """Turn the fog lights on or off.

    Args:
        on: true to turn on, false to turn off.
        which: front, rear or both fog lights.
    """
    sides = ("Front", "Rear") if which == "both" else (which.capitalize(),)
    return Effect.set(
        {f"{LIGHTS}.Fog.{side}.IsOn": on for side in sides}, PHRASES.get(f"lights.fog_{on_off(on)}")
    )


@tool("lights")
def set_hazard_lights(ctx: ToolContext, on: bool) -> Effect:
    """Turn the hazard warning lights on or off.

    Args:
        on: true to turn on, false to turn off.
    """
    return Effect.set(
        {f"{LIGHTS}.Hazard.IsSignaling": on}, PHRASES.get(f"lights.hazard_{on_off(on)}")
    )


@tool("lights")
def set_auto_headlights(ctx: ToolContext, on: bool) -> Effect:
    """Let the car switch its lights by itself (the light switch on AUTO), or stop it (OFF).

    Args:
        on: true for automatic lights, false for the switch off.
    """
    mode = "AUTO" if on else "OFF"
    return Effect.set({f"{LIGHTS}.LightSwitch": mode}, PHRASES.get(f"lights.auto_{on_off(on)}"))


LIGHTS_TOOLS = Toolset(
    "lights",
    (
        set_ambient_light,
        adjust_ambient_brightness,
        set_reading_light,
        set_headlights,
        set_fog_lights,
        set_hazard_lights,
        set_auto_headlights,
    ),
)
