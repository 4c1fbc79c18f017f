"""Answers about the body: doors and locks, windows, openings, mirrors, tyres. Read only."""

from __future__ import annotations

from codriver.text import Bilingual
from codriver.tools.base import ToolContext
from codriver.tools.status_cabin import STATUS, Answer
from codriver.tools.zones import PHRASES, Zone, seats_of
from codriver.vehicle.seats import SEATS, Seat, seat_branch

_PORT = "Vehicle.Powertrain.TractionBattery.Charging.ChargingPort.AnyPosition.IsFlapOpen"
_OPENINGS = {
    "trunk": "Vehicle.Body.Trunk.Rear.Position",
    "frunk": "Vehicle.Body.Trunk.Front.Position",
    "hood": "Vehicle.Body.Hood.IsOpen",
    "charge_port": _PORT,
    "sunroof": "Vehicle.Cabin.Sunroof.Position",
}
_WHEELS = ("Row1.Left", "Row1.Right", "Row2.Left", "Row2.Right")


def _listed(names: list[Bilingual]) -> Bilingual:
    return Bilingual(", ".join(n.en for n in names), "、".join(n.zh for n in names))


def _asked(ctx: ToolContext, zone: Zone | None) -> tuple[Seat, ...]:
    """The seats a question is about: the ones named, else all of them."""
    return SEATS if zone is None else seats_of(ctx, zone)


def doors(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seats = _asked(ctx, zone)
    opened = [s for s in seats if ctx.state.get(f"Vehicle.Cabin.Door.{seat_branch(s)}.IsOpen")]
    if opened:
        return STATUS.get("doors.open", doors=_listed([STATUS.get(f"door.{s}") for s in opened]))
    if zone is None:
        return PHRASES.get("status.doors_closed")
    return STATUS.get("doors.closed", doors=_listed([STATUS.get(f"door.{s}") for s in seats]))


def locks(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seats = _asked(ctx, zone)
    path = "Vehicle.Cabin.Door.{}.IsLocked"
    unlocked = [s for s in seats if ctx.state.get(path.format(seat_branch(s))) is False]
    if unlocked:
        names = _listed([STATUS.get(f"door.{s}") for s in unlocked])
        return STATUS.get("locks.unlocked", doors=names)
    if zone is None:
        return PHRASES.get("status.locked")
    return STATUS.get("locks.locked", doors=_listed([STATUS.get(f"door.{s}") for s in seats]))


def windows(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    seats = _asked(ctx, zone)
    path = "Vehicle.Cabin.Door.{}.Window.Position"
    opened = [s for s in seats if ctx.number(path.format(seat_branch(s))) > 0]
    if opened:
        names = _listed([PHRASES.get(f"window.{s}") for s in opened])
        return PHRASES.get("status.windows_open", windows=names)
    if zone is None:
        return PHRASES.get("status.windows_closed")
    return STATUS.get(
        "windows.closed", windows=_listed([PHRASES.get(f"window.{s}") for s in seats])
    )


def opening(name: str) -> Answer:
    """Open or closed: the trunk, the hood, the sunroof (also tilted), the charge port."""

    def answer(ctx: ToolContext, zone: Zone | None) -> Bilingual:
        value = ctx.state.get(_OPENINGS[name])
        if name == "sunroof" and isinstance(value, int | float) and value < 0:
            return STATUS.get("opening.tilted")
        is_open = value is True or (not isinstance(value, bool) and ctx.number(_OPENINGS[name]) > 0)
        item = STATUS.get(f"opening.{name}")
        return PHRASES.get("status.is_open" if is_open else "status.is_closed", item=item)

    return answer


def mirrors(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    folded = any(ctx.state.get(f"Vehicle.Body.Mirrors.{s}.IsFolded") is True
                 for s in ("DriverSide", "PassengerSide"))  # fmt: skip
    return STATUS.get("mirrors.folded" if folded else "mirrors.unfolded")


def tyres(ctx: ToolContext, zone: Zone | None) -> Bilingual:
    path = "Vehicle.Chassis.Axle.{}.Wheel.{}.Tire.{}"
    low = []
    pressures = []
    for wheel in _WHEELS:
        row, side = wheel.split(".")
        pressure = ctx.number(path.format(row, side, "Pressure"))
        pressures.append(pressure)
        if ctx.state.get(path.format(row, side, "IsPressureLow")) is True:
            name = STATUS.get(f"wheel.{wheel}")
            low.append(Bilingual(f"{name.en} ({pressure:g} kPa)", f"{name.zh}（{pressure:g} kPa）"))
    if low:
        return STATUS.get("tyres.low", wheels=_listed(low))
    return STATUS.get("tyres.ok", low=f"{min(pressures):g}", high=f"{max(pressures):g}")


BODY_ANSWERS: dict[str, Answer] = {
    **{name: opening(name) for name in _OPENINGS},
    "doors": doors,
    "locks": locks,
    "windows": windows,
    "mirrors": mirrors,
    "tyres": tyres,
}
