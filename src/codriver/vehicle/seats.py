"""Who sits where: the four seats of the two-row sedan and their VSS names."""

from __future__ import annotations

from typing import Literal, get_args

from codriver.errors import InputError

Seat = Literal["driver", "passenger", "rear_left", "rear_right"]
SEATS: tuple[Seat, ...] = get_args(Seat)

_SEAT_BRANCH: dict[Seat, str] = {
    "driver": "Row1.DriverSide",
    "passenger": "Row1.PassengerSide",
    "rear_left": "Row2.DriverSide",
    "rear_right": "Row2.PassengerSide",
}
_STATION: dict[Seat, str] = {
    "driver": "Row1.Driver",
    "passenger": "Row1.Passenger",
    "rear_left": "Row2.Driver",
    "rear_right": "Row2.Passenger",
}


def parse_seat(text: str) -> Seat:
    """The seat named by ``text`` (``rear-right`` and ``Rear_Right`` work too)."""
    name = text.strip().lower().replace("-", "_")
    for seat in SEATS:
        if seat == name:
            return seat
    raise InputError(f"unknown seat {text!r}: use one of {', '.join(SEATS)}")


def seat_branch(seat: Seat) -> str:
    """``Row1.DriverSide`` style name used by doors, windows, seats and lights."""
    return _SEAT_BRANCH[seat]


def hvac_station(seat: Seat) -> str:
    """``Row1.Driver`` style name used by HVAC stations."""
    return _STATION[seat]


def seat_of_branch(path: str) -> Seat | None:
    """The seat a VSS path belongs to, if any (``Door.Row2.PassengerSide.Window``: rear_right)."""
    for seat in SEATS:
        if f".{_SEAT_BRANCH[seat]}." in f"{path}." or f".{_STATION[seat]}." in f"{path}.":
            return seat
    return None
