"""The offline map: public places shipped as YAML data, searched and routed on the device."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from codriver.services.maps.divisions import divisions
from codriver.services.maps.places import CATEGORIES, Category, LatLon, Place, haversine_m
from codriver.services.maps.provider import MIN_SCORE, TIE, Match
from codriver.services.maps.routing import Route, detour_distance_m, estimate_route, road_distance_m
from codriver.services.maps.search import (
    CONTAINS_NAME,
    EXACT,
    Name,
    Request,
    Vocabulary,
    indexed_score,
    read_request,
    vocabulary,
)
from codriver.text import Lang
from codriver.yamlfile import load_yaml

DATA_FILES = ("data/shanghai.yaml", "data/munich.yaml")
ASK_RADIUS_M = 100_000.0
"""Places of an ``ask`` category (airports, railway stations) this close are all candidates."""
SERVICE_PENALTY = 5.0
"""A service matched by a name it only partly shares ranks below a destination of that name."""
MAX_DISTANCE_PENALTY = 10.0
KM_PER_PENALTY_POINT = 10.0


class OfflineMaps:
    """A :class:`~codriver.services.maps.MapProvider` over a fixed list of places."""

    def __init__(self, places: Iterable[Place], words: Vocabulary | None = None) -> None:
        self.places = tuple(places)
        self.words = words or vocabulary()
        self._by_id = {p.id: p for p in self.places}
        self._names = {p.id: tuple(Name.of(n) for n in p.names) for p in self.places}
        if len(self._by_id) != len(self.places):
            raise ValueError("two places share an id")

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)

    def search(
        self, text: str, near: LatLon | None = None, lang: Lang = "en", limit: int = 5
    ) -> list[Match]:
        """Both languages match whatever ``lang`` is; it is the language of the request."""
        request = read_request(text, self.words)
        if request.category is not None and not request.qualifier:
            return self._by_category(request.category, near, request.nearest)[:limit]
        if request.category is not None:
            found = self._category_by_name(request, request.category, near)
            if found:
                return found[:limit]
        found = self._by_name(request.name, self.places, near)
        if found and found[0].score >= EXACT:
            return found[:limit]
        return (_division(request.name, near) + found)[:limit]  # "海南" is no 上海南站

    def nearest(self, category: Category, near: LatLon, limit: int = 3) -> list[Match]:
        return self._by_category(category, near, nearest=True)[:limit]

    def along_route(
        self, category: Category, origin: LatLon, destination: LatLon, limit: int = 10
    ) -> list[Match]:
        found = [
            Match(
                p,
                100.0,
                road_distance_m(origin, p.at),
                detour_distance_m(origin, p.at, destination),
            )
            for p in self.of(category)
        ]
        found.sort(key=lambda m: m.detour_m or 0.0)
        return found[:limit]

    def route(self, origin: LatLon, destination: LatLon, waypoints: Sequence[LatLon] = ()) -> Route:
        return estimate_route(origin, destination, waypoints)

    def of(self, category: Category) -> list[Place]:
        return [p for p in self.places if p.category == category]

    # -- scoring ---------------------------------------------------------------------------

    def _by_category(self, category: Category, near: LatLon | None, nearest: bool) -> list[Match]:
        """Nearest first, the nearest standing out; an ``ask`` category ("the airport") gives
        every place of it near the car the same score, so that the caller asks which."""
        places = self.of(category)
        if near is None:
            return [Match(p, CONTAINS_NAME) for p in places]
        ranked = sorted(
            (Match(p, 0.0, road_distance_m(near, p.at)) for p in places),
            key=lambda m: m.distance_m or 0.0,
        )
        if self.words.categories[category].ask and not nearest:
            close = [m for m in ranked if haversine_m(near, m.place.at) <= ASK_RADIUS_M]
            if len(close) > 1:
                return [_scored(m, CONTAINS_NAME) for m in close]
        return [
            _scored(m, CONTAINS_NAME - _distance_penalty(m) - (0.0 if i == 0 else TIE + 1.0))
            for i, m in enumerate(ranked)
        ]

    def _category_by_name(
        self, request: Request, category: Category, near: LatLon | None
    ) -> list[Match]:
        """ "Hongqiao railway station", "外滩停车场", "nearest Tesla supercharger": places of the
        category whose names match the whole request or the words beside the category."""
        found = self._by_name(request.name, self.of(category), near, request.qualifier)
        if request.nearest and found:
            top = found[0].score
            found.sort(key=lambda m: m.distance_m or 0.0)
            return [
                _scored(m, top if i == 0 else min(m.score, top - TIE - 1.0))
                for i, m in enumerate(found)
            ]
        return found

    def _by_name(
        self, name: str, places: Iterable[Place], near: LatLon | None, qualifier: str = ""
    ) -> list[Match]:
        if not name:
            return []
        request, beside = Name.of(name), Name.of(qualifier)
        found = []
        for place in places:
            names = self._names[place.id]
            score = max(indexed_score(request, n) for n in names)
            if qualifier:
                score = max(score, *(indexed_score(beside, n) for n in names))
            if score < MIN_SCORE:
                continue
            distance = road_distance_m(near, place.at) if near is not None else None
            match = Match(place, score, distance)
            if place.is_service and score < 100.0:
                score -= (0.0 if qualifier else SERVICE_PENALTY) + _distance_penalty(match)
            if score >= MIN_SCORE:
                found.append(_scored(match, score))
        found.sort(key=lambda m: (-m.score, m.distance_m or 0.0))
        return found


def _division(name: str, near: LatLon | None) -> list[Match]:
    """A division of China the map's own places lack ("许昌", "长兴县"), at its centre."""
    found = divisions().named(name.replace(" ", ""))
    if found is None:
        return []
    place = Place(
        f"cn-{found.adcode}", found.name, found.name, "city", found.lat, found.lon, found.name
    )
    return [Match(place, 100.0, road_distance_m(near, place.at) if near is not None else None)]


def _scored(match: Match, score: float) -> Match:
    return Match(match.place, round(score, 2), match.distance_m, match.detour_m)


def _distance_penalty(match: Match) -> float:
    if match.distance_m is None:
        return 0.0
    return min(MAX_DISTANCE_PENALTY, match.distance_m / 1000.0 / KM_PER_PENALTY_POINT)


def offline_maps() -> OfflineMaps:
    """The offline map of Shanghai (with Hangzhou and Suzhou) and Munich, as shipped."""
    return OfflineMaps(packaged_places())


@cache
def packaged_places() -> tuple[Place, ...]:
    """The places in the package's data files, read once."""
    places: list[Place] = []
    for name in DATA_FILES:
        text = resources.files("codriver.services.maps").joinpath(name).read_text("utf-8")
        places.extend(load_places(load_yaml(text), name))
    return tuple(places)


def load_places(raw: Mapping[str, Any], where: str) -> list[Place]:
    """Places from one data file: ``city`` and ``places`` by category, each entry with ``id``,
    ``en``, ``zh``, ``at: [lat, lon]``, optional ``city`` and ``aliases``."""
    places = []
    for category, entries in raw["places"].items():
        if category not in CATEGORIES:
            raise ValueError(f"{where}: unknown category {category!r}")
        for entry in entries:
            lat, lon = (float(x) for x in entry["at"])
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                raise ValueError(f"{where}: {entry['id']}: coordinates out of range")
            places.append(
                Place(
                    id=str(entry["id"]),
                    name_en=str(entry["en"]),
                    name_zh=str(entry["zh"]),
                    category=category,
                    lat=lat,
                    lon=lon,
                    city=str(entry.get("city", raw["city"])),
                    aliases=tuple(str(a) for a in entry.get("aliases", ())),
                )
            )
    return places
