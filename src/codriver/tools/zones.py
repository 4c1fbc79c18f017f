"""Which seats a tool acts on: a named seat, everyone, or (by default) whoever spoke."""

from __future__ import annotations

from typing import Literal

from codriver.text import Bilingual, PhraseBook
from codriver.tools.base import ToolContext
from codriver.vehicle.seats import SEATS, Seat

Zone = Literal["driver", "passenger", "rear_left", "rear_right", "front", "rear", "all"]
"""A seat, a row, or the whole car. Omitted, a tool acts on the speaker's own seat."""

PHRASES = PhraseBook.load("codriver.tools", "data/phrases.yaml")

_GROUPS: dict[str, tuple[Seat, ...]] = {
    "front": ("driver", "passenger"),
    "rear": ("rear_left", "rear_right"),
    "all": SEATS,
}


def seats_of(ctx: ToolContext, zone: Zone | None) -> tuple[Seat, ...]:
    if zone is None:
        return (ctx.speaker,)
    if zone in _GROUPS:
        return _GROUPS[zone]
    return (zone,)  # type: ignore[return-value]


def zone_name(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seats = seats_of(ctx, zone)
    if len(seats) == 1:
        return PHRASES.get(f"zone.{seats[0]}")
    if zone in ("front", "rear"):
        return PHRASES.get(f"zone.{zone}")
    return PHRASES.get("zone.all")


def on_off(flag: bool) -> str:
    return "on" if flag else "off"


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
