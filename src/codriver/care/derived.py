"""Facts a care item may test that no single signal carries: any window open, a tyre low, and
the risk of the windscreen fogging up."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from codriver.vehicle.catalog import Value

State = Mapping[str, Value | None]

OUTSIDE_AIR = "Vehicle.Exterior.AirTemperature"
OUTSIDE_HUMIDITY = "Vehicle.Exterior.Humidity"
CABIN_AIR = "Vehicle.Cabin.HVAC.AmbientAirTemperature"
RECIRCULATING = "Vehicle.Cabin.HVAC.IsRecirculationActive"

BREATH_DEW_RISE = {True: 6.0, False: 4.0}
"""How far the occupants' breath lifts the cabin air's dew point above the outside air's, in
°C, with recirculation on and off: a coarse model (VSS has no cabin humidity signal)."""

WARMER_INSIDE = 3.0
"""How much warmer than outside the cabin must be for the glass to be the cold surface, in °C."""

GLASS_SHARE = 0.2
"""Where the inside of the windscreen sits between the outside and the cabin temperature."""


def dew_point(celsius: float, relative_humidity: float) -> float:
    """Dew point by the Magnus formula (Alduchov & Eskridge 1996 constants: b = 17.625,
    c = 243.04 °C), good to a few tenths of a degree between -40 and 50 °C."""
    b, c = 17.625, 243.04
    gamma = math.log(max(relative_humidity, 1.0) / 100.0) + b * celsius / (c + celsius)
    return c * gamma / (b - gamma)


def windscreen_fog_risk(state: State) -> bool:
    """True when the inside of the windscreen is colder than the cabin air's dew point.

    Only a cabin warmer than the outside air fogs the glass from inside; a cooled cabin on a warm,
    humid day is dried by the air conditioning instead."""
    outside, humidity, cabin = (
        _number(state, p) for p in (OUTSIDE_AIR, OUTSIDE_HUMIDITY, CABIN_AIR)
    )
    if outside is None or humidity is None or cabin is None:
        return False
    if cabin - outside < WARMER_INSIDE:
        return False
    cabin_dew = dew_point(outside, humidity) + BREATH_DEW_RISE[state.get(RECIRCULATING) is True]
    glass = outside + GLASS_SHARE * (cabin - outside)
    return cabin_dew > glass


def _number(state: State, path: str) -> float | None:
    value = state.get(path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


DERIVED: dict[str, Callable[[State], bool]] = {
    "any_window_open": lambda s: any(
        isinstance(v, int | float) and v > 0
        for p, v in s.items()
        if p.startswith("Vehicle.Cabin.Door.") and p.endswith(".Window.Position")
    ),
    "any_tire_low": lambda s: any(
        v is True for p, v in s.items() if p.endswith(".Tire.IsPressureLow")
    ),
    "windscreen_fog_risk": windscreen_fog_risk,
}
