"""Seat tools: heating and ventilation, massage, backrest recline."""

from __future__ import annotations

from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES, Zone, clamp, seats_of, zone_name
from codriver.vehicle.seats import seat_branch

SEAT = "Vehicle.Cabin.Seat"


def _seat(seat: str, leaf: str) -> str:
    return f"{SEAT}.{seat_branch(seat)}.{leaf}"  # type: ignore[arg-type]


@tool("seats")
def set_seat_climate(ctx: ToolContext, level: int, seat: Zone | None = None) -> Effect:
    """Heat (positive level) or ventilate (negative level) a seat; 0 turns both off.

    Args:
        level: -100 full ventilation … 0 off … 100 full heating, in percent.
        seat: which seat or row; omitted, the speaker's own.
    """
    writes = {_seat(s, "HeatingCooling"): level for s in seats_of(ctx, seat)}
    name = zone_name(ctx, seat)
    if level > 0:
        done = PHRASES.get("seats.heating", zone=name, level=level)
    elif level < 0:
        done = PHRASES.get("seats.cooling", zone=name, level=-level)
    else:
        done = PHRASES.get("seats.climate_off", zone=name)
    return Effect.set(writes, done)


@tool("seats")
def adjust_seat_climate(ctx: ToolContext, delta: int, seat: Zone | None = None) -> Effect:
    """Make a seat warmer (positive delta) or cooler (negative delta), in percent points.

    Args:
        delta: change of the heating/ventilation level.
        seat: which seat or row; omitted, the speaker's own.
    """
    seats = seats_of(ctx, seat)
    level = int(clamp(ctx.number(_seat(seats[0], "HeatingCooling")) + delta, -100, 100))
    return set_seat_climate.fn(ctx, level=level, seat=seat)


@tool("seats")
def set_massage(ctx: ToolContext, level: int, seat: Zone | None = None) -> Effect:
    """Set a seat's massage intensity; 0 turns it off.

    Args:
        level: intensity in percent, 0 to 100.
        seat: which seat or row; omitted, the speaker's own.
    """
    writes = {_seat(s, "Massage.Level"): level for s in seats_of(ctx, seat)}
    name = zone_name(ctx, seat)
    done = (
        PHRASES.get("seats.massage", zone=name, level=level)
        if level
        else PHRASES.get("seats.massage_off", zone=name)
    )
    return Effect.set(writes, done)


@tool("seats")
def set_recline(ctx: ToolContext, degrees: float, seat: Zone | None = None) -> Effect:
    """Recline a seat's backrest: 0 upright, larger leans back further.

    Args:
        degrees: backrest angle from vertical, in degrees.
        seat: which seat or row; omitted, the speaker's own.
    """
    writes = {_seat(s, "Backrest.Recline"): degrees for s in seats_of(ctx, seat)}
    return Effect.set(
        writes, PHRASES.get("seats.recline", zone=zone_name(ctx, seat), degrees=degrees)
    )


@tool("seats")
def adjust_recline(ctx: ToolContext, delta: float, seat: Zone | None = None) -> Effect:
    """Lean a backrest further back (positive delta) or more upright (negative), in degrees.

    Args:
        delta: change in degrees.
        seat: which seat or row; omitted, the speaker's own.
    """
    seats = seats_of(ctx, seat)
    path = _seat(seats[0], "Backrest.Recline")
    low, high = ctx.bounds(path, -5, 45)
    return set_recline.fn(ctx, degrees=clamp(ctx.number(path, 20) + delta, low, high), seat=seat)


@tool("seats")
def set_lumbar_support(ctx: ToolContext, level: int, seat: Zone | None = None) -> Effect:
    """Set a seat's lumbar support; 0 is flat.

    Args:
        level: support in percent, 0 to 100.
        seat: which seat or row; omitted, the speaker's own.
    """
    writes = {_seat(s, "Backrest.LumbarSupport"): level for s in seats_of(ctx, seat)}
    return Effect.set(writes, PHRASES.get("seats.lumbar", zone=zone_name(ctx, seat), level=level))


SEATS_TOOLS = Toolset(
    "seats",
    (
        set_seat_climate,
        adjust_seat_climate,
        set_massage,
        set_recline,
        adjust_recline,
        set_lumbar_support,
    ),
)
