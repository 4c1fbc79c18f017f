"""What the navigation tools say: distances and durations as people say them, the range verdicts
and notes that go with a route, and how several sentences join."""

from __future__ import annotations

from collections.abc import Sequence

from codriver.services.maps import Place, RangeCheck, TripPlan
from codriver.text import Bilingual, Lang, PhraseBook

PHRASES = PhraseBook.load("codriver.services.maps", "data/phrases.yaml")
LONG_TRIP_M = 50_000.0
LOW_ARRIVAL_PERCENT = 30.0
"""A navigation reply mentions the battery on arrival for long trips or when it will be low."""


def range_note(plan: TripPlan, range_m: float, target: Place) -> list[Bilingual]:
    """The range part of a navigation reply: a charging stop added, a warning, or the battery on
    arrival when it matters."""
    check, stop = plan.check, plan.stop
    if check.enough:
        soc = check.soc_on_arrival
        if target.category == "charging" or soc is None:
            return []
        if check.distance_m >= LONG_TRIP_M or soc < LOW_ARRIVAL_PERCENT:
            return [PHRASES.get("nav.arrive", soc=round(soc))]
        return []
    if target.category == "charging":
        return [PHRASES.get("nav.tight", range=km(range_m))]
    if stop is None:
        return [PHRASES.get("nav.no_charger", range=km(range_m))]
    key = "nav.charging_stop" if stop.covers_rest else "nav.charging_stop_more"
    soc = plan.soc_on_arrival
    return [
        PHRASES.get(
            key,
            range=km(range_m),
            stop=names(stop.place),
            stop_distance=km(stop.to_stop_m),
            charge_to=round(stop.charge_to),
            charge_time=duration(stop.charge_s),
            soc=round(soc) if soc is not None else "?",
        )
    ]


def verdict(plan: TripPlan, range_m: float) -> list[Bilingual]:
    """Yes or no, with the numbers: range, need, battery on arrival, and where to charge."""
    check, stop = plan.check, plan.stop
    if check.enough:
        soc = check.soc_on_arrival
        if soc is None:
            return [PHRASES.get("trip.yes_plain", range=km(range_m))]
        return [PHRASES.get("trip.yes", range=km(range_m), soc=round(soc))]
    parts = [PHRASES.get("trip.no", range=km(range_m), needed=km(check.needed_m))]
    if stop is not None:
        parts.append(
            PHRASES.get("trip.no_stop", stop=names(stop.place), stop_distance=km(stop.to_stop_m))
        )
    return parts


def verdict_with_stop(check: RangeCheck, charger: Place, range_m: float) -> Bilingual:
    if not check.enough:
        return PHRASES.get("trip.no", range=km(range_m), needed=km(check.needed_m))
    soc = check.soc_on_arrival
    return PHRASES.get(
        "trip.yes_with_stop",
        stop=names(charger),
        range=km(range_m),
        soc=round(soc) if soc is not None else "?",
    )


def too_far(place: str | Bilingual, distance_m: float) -> Bilingual:
    return PHRASES.get("nav.too_far", place=place, distance=km(distance_m))


def names(place: Place) -> Bilingual:
    return Bilingual(place.name_en, place.name_zh)


def km(metres: float) -> Bilingual:
    """A distance as people say it: metres under 1 km, one decimal under 10 km."""
    if metres < 1000:
        value = f"{max(100, round(metres, -2)):.0f}"
        return Bilingual(f"{value} m", f"{value}米")
    km = metres / 1000.0
    if km < 10:
        text = f"{km:.1f}".removesuffix(".0")
        return Bilingual(f"{text} km", f"{text}公里")
    return Bilingual(f"{round(km):,d} km", f"{round(km):d}公里")


def duration(seconds: float) -> Bilingual:
    minutes = max(1, round(seconds / 60.0))
    if minutes < 60:
        unit = "minute" if minutes == 1 else "minutes"
        return Bilingual(f"{minutes} {unit}", f"{minutes}分钟")
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return Bilingual(f"{hours} h", f"{hours}小时")
    return Bilingual(f"{hours} h {rest} min", f"{hours}小时{rest}分钟")


def either(names: Sequence[str], lang: Lang) -> str:
    if lang == "zh":
        return names[0] if len(names) == 1 else "、".join(names[:-1]) + "还是" + names[-1]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def sentences(parts: Sequence[Bilingual]) -> Bilingual:
    """Parts joined as sentences: the reply composer adds the final stop and capital."""
    en = ". ".join(p.en[:1].upper() + p.en[1:] if i else p.en for i, p in enumerate(parts))
    return Bilingual(en, "。".join(p.zh for p in parts))
