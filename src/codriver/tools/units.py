"""Values said in the units the car shows (``Vehicle.Cabin.Infotainment.HMI``): °C or °F, km or
miles, km/h or mph. The car computes in metric; only what is said changes."""

from __future__ import annotations

from codriver.text import Bilingual
from codriver.tools.base import ToolContext
from codriver.tools.zones import PHRASES

KM_PER_MILE = 1.609344
HMI = "Vehicle.Cabin.Infotainment.HMI"


def fahrenheit_shown(ctx: ToolContext) -> bool:
    return ctx.state.get(f"{HMI}.TemperatureUnit") == "F"


def miles_shown(ctx: ToolContext) -> bool:
    return ctx.state.get(f"{HMI}.DistanceUnit") == "MILES"


def temperature(ctx: ToolContext, celsius: float) -> Bilingual:
    """ "22°C" / "22度", or "72°F" / "华氏72度" where the car shows Fahrenheit."""
    if fahrenheit_shown(ctx):
        return PHRASES.get("unit.fahrenheit", n=round(celsius * 9 / 5 + 32))  # shown whole
    return PHRASES.get("unit.celsius", n=_number(celsius))


def distance(ctx: ToolContext, km: float) -> Bilingual:
    """ "400 km" / "400公里", or "249 miles" / "249英里" where the car shows miles."""
    if miles_shown(ctx):
        return PHRASES.get("unit.miles", n=round(km / KM_PER_MILE))
    return PHRASES.get("unit.km", n=round(km))


def speed(ctx: ToolContext, kmh: float) -> Bilingual:
    """ "60 km/h" / "60公里/小时", or "37 mph" where the car shows miles."""
    if miles_shown(ctx):
        return PHRASES.get("unit.mph", n=round(kmh / KM_PER_MILE))
    return PHRASES.get("unit.kmh", n=round(kmh))


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if float(rounded).is_integer() else f"{rounded:.1f}"
