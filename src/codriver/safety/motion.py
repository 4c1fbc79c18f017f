"""Whether the car is known to be parked. Every "while moving" rule treats the car as moving unless
it is: a known speed of zero in either direction, the park gear selected, and no gear engaged.
A speed or gear that is unknown (not reported yet, lost) counts as moving: the gate fails closed."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

from codriver.vehicle.catalog import Value

SPEED = "Vehicle.Speed"
SELECTED_GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"
CURRENT_GEAR = "Vehicle.Powertrain.Transmission.CurrentGear"
PARK_LOCK = "Vehicle.Powertrain.Transmission.IsParkLockEngaged"
PARK = 126
"""VSS's SelectedGear for P (127 is D, 0 neutral, negative reverse)."""
STANDSTILL_KMH = 0.5
"""Below this (either direction) a reported speed is standing still."""

Motion = Literal["parked", "moving"]


def motion(state: Mapping[str, Value | None]) -> Motion:
    """``parked`` only when the state shows it; anything else (unknown included) is ``moving``."""
    speed = _number(state.get(SPEED))
    if speed is None or abs(speed) >= STANDSTILL_KMH:
        return "moving"
    in_park = state.get(PARK_LOCK) is True or _number(state.get(SELECTED_GEAR)) == PARK
    engaged = _number(state.get(CURRENT_GEAR))
    if not in_park or (engaged is not None and engaged != 0):
        return "moving"
    return "parked"


def _number(value: Value | None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
