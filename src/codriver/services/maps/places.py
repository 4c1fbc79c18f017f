"""Places: what a map knows about a point of interest, and how far apart two points are."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

from codriver.text import Lang

Category = Literal[
    "landmark",
    "city",
    "airport",
    "railway_station",
    "charging",
    "fuel",
    "parking",
    "rest_area",
    "restaurant",
    "coffee",
    "hospital",
    "toilet",
]
"""What kind of place it is. Services (charging to toilets) are interchangeable within their kind:
the nearest one will do. The others are destinations in their own right."""

CATEGORIES: tuple[Category, ...] = get_args(Category)
SERVICES: frozenset[Category] = frozenset(
    ("charging", "fuel", "parking", "rest_area", "restaurant", "coffee", "hospital", "toilet")
)

LatLon = tuple[float, float]
"""WGS 84 latitude and longitude in degrees."""

EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True, slots=True)
class Place:
    """A point of interest with its names in both languages."""

    id: str
    name_en: str
    name_zh: str
    category: Category
    lat: float
    lon: float
    city: str
    aliases: tuple[str, ...] = ()

    @property
    def at(self) -> LatLon:
        return (self.lat, self.lon)

    def name(self, lang: Lang) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it answers to: English, Chinese, then the aliases."""
        return (self.name_en, self.name_zh, *self.aliases)

    @property
    def is_service(self) -> bool:
        return self.category in SERVICES


def haversine_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))
