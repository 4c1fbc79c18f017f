"""The driver's own controls: cruise control, the driver-assist switches (ESC, lane departure
warning, driver monitoring) and the parking brake. What of this may be done by voice, and when, is
the safety rules' to say (``safety/data/rules.yaml``): turning an assist off asks first and is
refused while moving; the parking brake is never released by voice."""

from __future__ import annotations

from typing import Literal

from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES
from codriver.vehicle.catalog import Value

CRUISE = "Vehicle.ADAS.CruiseControl"
MIN_CRUISE_KMH = 30.0
"""Cruise control holds a speed from this one up."""
ASSISTS = {
    "esc": "Vehicle.ADAS.ESC.IsEnabled",
    "lane_departure": "Vehicle.ADAS.LaneDepartureDetection.IsEnabled",
    "driver_monitoring": "Vehicle.ADAS.DMS.IsEnabled",
}
Assist = Literal["esc", "lane_departure", "driver_monitoring"]


@tool("drive")
def set_cruise_control(
    ctx: ToolContext,
    action: Literal["on", "off", "resume", "cancel"],
    speed_kmh: int | None = None,
) -> Effect:
    """Cruise control: hold a speed (``on``: the given one, or the speed now), ``resume`` the
    speed set before, ``cancel`` holding it (the set speed is kept), or switch it ``off``.

    Args:
        action: on, off, resume or cancel.
        speed_kmh: the speed to hold, in km/h (for ``on``).
    """
    if action == "off":
        writes: dict[str, Value] = {f"{CRUISE}.IsActive": False, f"{CRUISE}.IsEnabled": False}
        return Effect.set(writes, PHRASES.get("cruise.off"))
    if action == "cancel":
        return Effect.set({f"{CRUISE}.IsActive": False}, PHRASES.get("cruise.cancel"))
    speed = ctx.state.get("Vehicle.Speed")
    if not isinstance(speed, int | float) or speed < MIN_CRUISE_KMH:
        return Effect(failed=PHRASES.get("cruise.too_slow", kmh=int(MIN_CRUISE_KMH)))
    held = ctx.state.get(f"{CRUISE}.SpeedSet")
    target = speed_kmh
    if target is None and action == "resume" and isinstance(held, int | float) and held > 0:
        target = int(held)
    if target is None:
        target = int(speed)
    writes = {
        f"{CRUISE}.IsEnabled": True,
        f"{CRUISE}.IsActive": True,
        f"{CRUISE}.SpeedSet": float(target),
    }
    return Effect.set(writes, PHRASES.get("cruise.on", kmh=target))


@tool("drive")
def set_driver_assist(ctx: ToolContext, feature: Assist, on: bool) -> Effect:
    """Switch a driver-assist system on or off: electronic stability control (esc), lane
    departure warning and lane keeping (lane_departure), driver monitoring (driver_monitoring).

    Args:
        feature: esc, lane_departure or driver_monitoring.
        on: true to switch on, false to switch off.
    """
    name = PHRASES.get(f"assist.{feature}")
    key = "assist.on" if on else "assist.off"
    return Effect.set({ASSISTS[feature]: on}, PHRASES.get(key, name=name))


@tool("drive")
def set_parking_brake(ctx: ToolContext, engaged: bool) -> Effect:
    """Apply or release the parking brake.

    Args:
        engaged: true to apply it, false to release it.
    """
    key = "parking_brake.on" if engaged else "parking_brake.off"
    return Effect.set({"Vehicle.Chassis.ParkingBrake.IsEngaged": engaged}, PHRASES.get(key))


ASSIST_TOOLS = Toolset("drive", (set_cruise_control, set_driver_assist, set_parking_brake))
