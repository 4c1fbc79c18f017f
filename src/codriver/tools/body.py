"""Body tools: windows, sunroof and shades, doors and locks, trunk, mirrors, charge port."""

from __future__ import annotations

from typing import Literal

from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES, Zone, clamp, seats_of
from codriver.vehicle.seats import seat_branch

DOOR = "Vehicle.Cabin.Door"
Door = Literal["driver", "passenger", "rear_left", "rear_right", "front", "rear", "all"]


def _window(seat: str) -> str:
    return f"{DOOR}.{seat_branch(seat)}.Window.Position"  # type: ignore[arg-type]


def _window_name(zone: Zone | None, seats: tuple[str, ...]) -> str:
    if len(seats) == 1:
        return f"window.{seats[0]}"
    return f"window.{zone}" if zone in ("front", "rear") else "window.all"


@tool("body")
def set_window(ctx: ToolContext, position: int, window: Zone | None = None) -> Effect:
    """Open a window to a position: 0 closed, 100 fully open, 50 halfway.

    Args:
        position: how far open, in percent.
        window: which window (by seat or row); omitted, the speaker's own.
    """
    seats = seats_of(ctx, window)
    name = PHRASES.get(_window_name(window, seats))
    if position == 0:
        done = PHRASES.get("body.window_closed", window=name)
    elif position == 100:
        done = PHRASES.get("body.window_open", window=name)
    else:
        done = PHRASES.get("body.window", window=name, position=position)
    return Effect.set({_window(seat): position for seat in seats}, done)


@tool("body")
def adjust_window(ctx: ToolContext, delta: int, window: Zone | None = None) -> Effect:
    """Open a window further (positive delta) or close it a bit (negative), in percent points.

    Args:
        delta: change in percent points.
        window: which window; omitted, the speaker's own.
    """
    seats = seats_of(ctx, window)
    writes = {_window(s): int(clamp(ctx.number(_window(s)) + delta, 0, 100)) for s in seats}
    name = PHRASES.get(_window_name(window, seats))
    position = next(iter(writes.values()))
    return Effect.set(writes, PHRASES.get("body.window", window=name, position=position))


@tool("body")
def set_sunroof(ctx: ToolContext, action: Literal["OPEN", "CLOSE", "TILT_UP"]) -> Effect:
    """Open, close or tilt the sunroof.

    Args:
        action: OPEN, CLOSE or TILT_UP (tilt).
    """
    return Effect.set(
        {"Vehicle.Cabin.Sunroof.Switch": action}, PHRASES.get(f"body.sunroof.{action}")
    )


@tool("body")
def set_shade(
    ctx: ToolContext,
    position: int,
    shade: Literal["sunroof", "rear", "side"] = "sunroof",
    seat: Zone | None = None,
) -> Effect:
    """Move a sun shade: 0 covers the glass (closed), 100 fully open.

    Args:
        position: how far open, in percent.
        shade: the sunroof shade, the rear window shade, or the side window shades.
        seat: for side shades, whose window (by seat or row); omitted, both rear ones.
    """
    if shade == "sunroof":
        paths = ["Vehicle.Cabin.Sunroof.Shade.Position"]
    elif shade == "rear":
        paths = ["Vehicle.Cabin.RearShade.Position"]
    else:
        seats = seats_of(ctx, seat or "rear")
        paths = [f"{DOOR}.{seat_branch(s)}.Shade.Position" for s in seats]
    return Effect.set(
        {p: position for p in paths},
        PHRASES.get("body.shade", shade=PHRASES.get(f"shade.{shade}"), position=position),
    )


@tool("body")
def set_door_lock(ctx: ToolContext, locked: bool, door: Door | None = None) -> Effect:
    """Lock or unlock the doors.

    Args:
        locked: true to lock, false to unlock.
        door: one door (by seat) or a row; omitted, all doors.
    """
    seats = seats_of(ctx, door or "all")
    writes = {f"{DOOR}.{seat_branch(s)}.IsLocked": locked for s in seats}
    return Effect.set(writes, PHRASES.get("body.locked" if locked else "body.unlocked"))


@tool("body")
def set_door(ctx: ToolContext, open: bool, door: Door | None = None) -> Effect:
    """Open or close a powered door.

    Args:
        open: true to open, false to close.
        door: which door (by seat); omitted, the speaker's own.
    """
    seats = seats_of(ctx, door)
    writes = {f"{DOOR}.{seat_branch(s)}.IsOpen": open for s in seats}
    name = PHRASES.get(f"door.{seats[0]}" if len(seats) == 1 else "door.all")
    return Effect.set(
        writes, PHRASES.get("body.door_open" if open else "body.door_closed", door=name)
    )


@tool("body")
def set_trunk(ctx: ToolContext, open: bool, trunk: Literal["rear", "front"] = "rear") -> Effect:
    """Open or close the trunk (rear) or the front trunk.

    Args:
        open: true to open, false to close.
        trunk: rear trunk or front trunk (frunk).
    """
    path = f"Vehicle.Body.Trunk.{trunk.capitalize()}.IsOpen"
    key = "body.trunk_open" if open else "body.trunk_closed"
    return Effect.set({path: open}, PHRASES.get(key, trunk=PHRASES.get(f"trunk.{trunk}")))


@tool("body")
def set_hood(ctx: ToolContext, open: bool) -> Effect:
    """Open or close the hood (bonnet).

    Args:
        open: true to open, false to close.
    """
    return Effect.set(
        {"Vehicle.Body.Hood.IsOpen": open},
        PHRASES.get("body.hood_open" if open else "body.hood_closed"),
    )


@tool("body")
def set_gear(ctx: ToolContext, gear: Literal["P", "R", "N", "D"]) -> Effect:
    """Select a gear. The safety policy keeps gear changes for the driver's own hand.

    Args:
        gear: P (park), R (reverse), N (neutral) or D (drive).
    """
    code = {"P": 126, "R": -1, "N": 0, "D": 127}[gear]
    return Effect.set(
        {"Vehicle.Powertrain.Transmission.SelectedGear": code}, PHRASES.get("body.gear", gear=gear)
    )


@tool("body")
def set_mirrors_folded(
    ctx: ToolContext, folded: bool, side: Literal["driver", "passenger", "both"] = "both"
) -> Effect:
    """Fold or unfold the side mirrors.

    Args:
        folded: true to fold, false to unfold.
        side: the driver's mirror, the passenger's, or both.
    """
    sides = {"driver": ("DriverSide",), "passenger": ("PassengerSide",)}.get(
        side, ("DriverSide", "PassengerSide")
    )
    writes = {f"Vehicle.Body.Mirrors.{s}.IsFolded": folded for s in sides}
    return Effect.set(
        writes, PHRASES.get("body.mirrors_folded" if folded else "body.mirrors_unfolded")
    )


@tool("body")
def set_mirror_heating(ctx: ToolContext, on: bool) -> Effect:
    """Heat both side mirrors to clear fog or ice.

    Args:
        on: true to turn on, false to turn off.
    """
    writes = {f"Vehicle.Body.Mirrors.{s}.IsHeatingOn": on for s in ("DriverSide", "PassengerSide")}
    return Effect.set(writes, PHRASES.get("body.mirror_heat_on" if on else "body.mirror_heat_off"))


@tool("body")
def set_window_lock(ctx: ToolContext, locked: bool) -> Effect:
    """Lock the rear passengers' window switches (child lock) or release them.

    Args:
        locked: true to lock the rear window switches, false to release them.
    """
    return Effect.set(
        {"Vehicle.Cabin.IsWindowChildLockEngaged": locked},
        PHRASES.get("body.window_lock_on" if locked else "body.window_lock_off"),
    )


@tool("body")
def set_charge_port(ctx: ToolContext, open: bool) -> Effect:
    """Open or close the charge port flap.

    Args:
        open: true to open, false to close.
    """
    path = "Vehicle.Powertrain.TractionBattery.Charging.ChargingPort.AnyPosition.IsFlapOpen"
    return Effect.set(
        {path: open}, PHRASES.get("body.charge_port_open" if open else "body.charge_port_closed")
    )


@tool("body")
def set_wipers(
    ctx: ToolContext,
    mode: Literal["OFF", "SLOW", "MEDIUM", "FAST", "INTERVAL", "RAIN_SENSOR"],
    window: Literal["front", "rear"] = "front",
) -> Effect:
    """Set the windscreen wipers.

    Args:
        mode: OFF, SLOW, MEDIUM, FAST, INTERVAL or RAIN_SENSOR (automatic).
        window: front windscreen or rear window.
    """
    path = f"Vehicle.Body.Windshield.{window.capitalize()}.Wiping.Mode"
    return Effect.set({path: mode}, PHRASES.get("wipers.mode", mode=PHRASES.get(f"wipers.{mode}")))


BODY = Toolset(
    "body",
    (
        set_window,
        adjust_window,
        set_sunroof,
        set_shade,
        set_door_lock,
        set_door,
        set_trunk,
        set_hood,
        set_gear,
        set_mirrors_folded,
        set_mirror_heating,
        set_charge_port,
        set_window_lock,
        set_wipers,
    ),
)
