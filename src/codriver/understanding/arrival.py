"""Arrival reasoning said with the occupant's own numbers: "we've got 80 km to go at about 90, can
we be there by four?", "还有八十公里，按九十的速度开，四点前到得了不".

A distance, a speed and (optionally) a time to arrive by, in an utterance that asks whether it can
be done or how long it takes, read by the patterns in ``data/<lang>/arrival.yaml``; the arithmetic
is the ``arrival_estimate`` tool's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from codriver.assistant.plan import ToolCall
from codriver.errors import ConfigError
from codriver.numbers import to_digits
from codriver.understanding.lexicon import LANGS
from codriver.understanding.trips import KM_PER
from codriver.yamlfile import YAMLError, read_yaml


@dataclass(frozen=True, slots=True)
class ArrivalWords:
    km: re.Pattern[str]
    miles: re.Pattern[str] | None
    speed: re.Pattern[str]
    by: re.Pattern[str]
    """Named groups: hour, and where said minute, half, ampm."""
    asks: tuple[str, ...]
    hours: dict[str, int]


def arrival_request(text: str) -> ToolCall | None:
    """The estimate ``text`` asks for, or None when it gives no distance and speed to reason
    with or does not ask."""
    for lang in LANGS:
        call = _read(to_digits(text.lower()), _words(lang))
        if call is not None:
            return call
    return None


def _read(text: str, words: ArrivalWords) -> ToolCall | None:
    if not any(ask in text for ask in words.asks):
        return None
    distance = _distance_km(text, words)
    speed = words.speed.search(text)
    if distance is None or speed is None:
        return None
    said = float(next(g for g in speed.groups() if g))  # the alternatives each have one group
    if words.km.search(text) is None:
        said = round(said * KM_PER["miles"], 1)  # "120 miles to go at about 60": miles an hour
    args: dict[str, object] = {"distance_km": distance, "speed_kmh": said}
    by = words.by.search(text)
    if by is not None:
        found = by.groupdict()
        hour_text = found.get("hour") or ""
        hour = words.hours.get(hour_text, int(hour_text) if hour_text.isdigit() else None)
        if hour is not None:
            minute = found.get("minute") or ("30" if found.get("half") else "")
            pm = (found.get("ampm") or "").startswith("p") and hour < 12
            args["by"] = f"{hour + 12 if pm else hour}" + (f":{int(minute):02d}" if minute else "")
    return ToolCall("arrival_estimate", args)


def _distance_km(text: str, words: ArrivalWords) -> float | None:
    km = words.km.search(text)
    if km is not None:
        return float(km.group(1))
    miles = words.miles.search(text) if words.miles is not None else None
    return round(float(miles.group(1)) * KM_PER["miles"], 1) if miles is not None else None


@cache
def _words(lang: str) -> ArrivalWords:
    try:
        raw = read_yaml("codriver.understanding", f"data/{lang}/arrival.yaml")
        return ArrivalWords(
            re.compile(str(raw["km"])),
            re.compile(str(raw["miles"])) if raw.get("miles") else None,
            re.compile(str(raw["speed"])),
            re.compile(str(raw["by"])),
            tuple(str(a) for a in raw["asks"]),
            {str(k): int(v) for k, v in (raw.get("hours") or {}).items()},
        )
    except (OSError, YAMLError, KeyError, re.error) as exc:
        raise ConfigError(f"cannot read the {lang} arrival words: {exc}") from exc
