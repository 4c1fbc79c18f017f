"""What the cabin camera makes happen, as typed events a vision session returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from codriver.text import Bilingual
from codriver.vehicle.seats import Seat
from codriver.vision.levels import DriverState

if TYPE_CHECKING:
    from codriver.assistant.result import TurnResult

GestureKind = Literal["palm", "next", "previous", "thumbs_up", "point"]
Occupancy = Literal["OCCUPIED", "EMPTY", "UNKNOWN"]


@dataclass(frozen=True, slots=True)
class DriverStateEvent:
    """The driver's state, once per output period, with the signals written to VSS."""

    state: DriverState


@dataclass(frozen=True, slots=True)
class GestureEvent:
    """A gesture seen, whose hand (seat) made it, and what became of it: the assistant's turn
    when it was proposed (None when nothing was proposed, e.g. a thumbs-up with no question)."""

    t: float
    kind: GestureKind
    seat: Seat | None
    turn: TurnResult | None = None
    note: str = ""
    """Why nothing was proposed, when nothing was."""


@dataclass(frozen=True, slots=True)
class DeixisTarget:
    """What an occupant singles out by looking or pointing: a VSS branch, or None when it is
    not clearly one thing (then "that one" gets no gaze and the assistant asks)."""

    t: float
    seat: Seat
    by: Literal["gaze", "point"]
    branch: str | None
    candidates: tuple[str, ...] = ()
    """The nearest targets considered, nearest first."""


@dataclass(frozen=True, slots=True)
class OccupancyChange:
    """A seat's occupancy as the camera sees it, written to the seat's VSS OccupancyStatus."""

    t: float
    seat: Seat
    status: Occupancy


@dataclass(frozen=True, slots=True)
class Alert:
    """Something the assistant raises unasked: someone left in a parked, locked car. ``turn``
    is what the assistant did about it (the cooling the safety gate allowed), if anything."""

    t: float
    kind: Literal["left_behind"]
    seats: tuple[Seat, ...]
    message: Bilingual
    cabin_celsius: float | None
    turn: TurnResult | None = None


@dataclass(frozen=True, slots=True)
class Reaction:
    """The assistant's reaction to what the camera reported (care speaking or offering help)."""

    t: float
    turn: TurnResult


VisionEvent = DriverStateEvent | GestureEvent | DeixisTarget | OccupancyChange | Alert | Reaction
