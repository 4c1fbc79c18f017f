"""Arrival reasoning with the numbers the occupant gives: "80 km to go at about 90, can we be there
by four?" is the time those numbers take, the clock time it makes, and whether that is in time.

The distance and speed are the occupant's, not the map's: no route is looked up and nothing is
set. The clock is the car's (the simulated one where the assistant runs on one).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from codriver.text import PhraseBook
from codriver.tools.base import Effect, ToolContext, tool
from codriver.tools.route_words import duration
from codriver.tools.status_world import car_now

PHRASES = PhraseBook.load("codriver.services.maps", "data/phrases.yaml")
MAX_KMH = 200.0
"""The fastest speed taken as said; above it the numbers are more likely misheard."""


@tool("navigation")
def arrival_estimate(
    ctx: ToolContext, distance_km: float, speed_kmh: float, by: str | None = None
) -> Effect:
    """How long a distance takes at a speed the occupant gives, when that arrives, and whether it
    is before a time they name ("80 km to go at 90, can we be there by four?").

    Args:
        distance_km: the distance left, in km, as the occupant said it.
        speed_kmh: the average speed, in km/h, as the occupant said it.
        by: the time to arrive by, "H" or "H:MM"; an hour up to 12 is the next one of the
            morning or afternoon ("4" and "3:30" as people say them), 13 to 23 is that hour;
            omitted, only the time it takes.
    """
    if not (math.isfinite(distance_km) and 0 < distance_km <= 5000):
        return Effect(failed=PHRASES.get("trip.bad_distance"))
    if not (math.isfinite(speed_kmh) and 0 < speed_kmh <= MAX_KMH):
        return Effect(failed=PHRASES.get("arrival.bad_speed"))
    minutes = round(distance_km / speed_kmh * 60)
    start = car_now(ctx)
    arrive = start + timedelta(minutes=minutes)
    said = {"time": duration(minutes * 60), "at": f"{arrive:%H:%M}"}
    if by is None:
        return Effect(answer=PHRASES.get("arrival.takes", **said))
    target = _deadline(start, by)
    if target is None:
        return Effect(failed=PHRASES.get("arrival.bad_time", by=by))
    key = "arrival.in_time" if arrive <= target else "arrival.late"
    late = max(0, round((arrive - target).total_seconds() / 60))
    spare = max(0, round((target - arrive).total_seconds() / 60))
    return Effect(answer=PHRASES.get(key, by=f"{target:%H:%M}", late=late, spare=spare, **said))


def _deadline(start: datetime, by: str) -> datetime | None:
    """The next moment after ``start`` that ``by`` names: "16:00", or "4" for 4:00 or 16:00,
    whichever comes first."""
    hour_text, _, minute_text = by.partition(":")
    try:
        hour, minute = int(hour_text), int(minute_text or 0)
    except ValueError:
        return None
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    hours = [hour % 24] if hour > 12 else [hour % 12, hour % 12 + 12]
    options = []
    for h in hours:
        at = start.replace(hour=h, minute=minute, second=0, microsecond=0)
        options.append(at if at > start else at + timedelta(days=1))
    return min(options)
