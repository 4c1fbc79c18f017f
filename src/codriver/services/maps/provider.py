"""The map port: what the agents ask of any map provider, and how a search result is judged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from codriver.services.maps.places import Category, LatLon, Place
from codriver.services.maps.routing import Route
from codriver.text import Lang

MIN_SCORE = 60.0
"""Below this a candidate is no match at all."""
TIE = 2.0
"""Matches within this many points of the best are equally good."""


@dataclass(frozen=True, slots=True)
class Match:
    """A place found for a request: how well it matches (0-100) and how far it is by road from
    where the search was made (None without a position)."""

    place: Place
    score: float
    distance_m: float | None = None
    detour_m: float | None = None
    """For searches along a route: the extra distance a stop there adds."""


class MapProvider(Protocol):
    """Places, search and routes. The offline provider ships as data; an online one (a vendor's
    places and routing API) implements the same methods."""

    def search(
        self, text: str, near: LatLon | None = None, lang: Lang = "en", limit: int = 5
    ) -> list[Match]:
        """Places for a request as said (a name, "nearest X", a category), best first.

        Equally good matches get equal scores: "the airport" near Shanghai returns both airports,
        and the caller asks which. Empty when nothing matches."""
        ...

    def nearest(self, category: Category, near: LatLon, limit: int = 3) -> list[Match]:
        """The places of a category nearest to ``near``, nearest first."""
        ...

    def along_route(
        self, category: Category, origin: LatLon, destination: LatLon, limit: int = 10
    ) -> list[Match]:
        """Places of a category near the way from origin to destination, least detour first."""
        ...

    def route(self, origin: LatLon, destination: LatLon, waypoints: Sequence[LatLon] = ()) -> Route:
        """The route through the waypoints, in order, with its distance and driving time."""
        ...


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a search settled on: one place, several equally good ones, or nothing."""

    kind: Literal["found", "ambiguous", "not_found"]
    matches: tuple[Match, ...] = ()

    @property
    def match(self) -> Match:
        return self.matches[0]


def resolve(matches: Sequence[Match]) -> Resolution:
    """One place when the best match stands out. Several equally good services of one kind (two
    Tesla superchargers) resolve to the nearest; equally good destinations (two airports, an
    airport and a railway station both called Hongqiao) are ambiguous."""
    good = [m for m in matches if m.score >= MIN_SCORE]
    if not good:
        return Resolution("not_found")
    best = max(m.score for m in good)
    tied = [m for m in good if m.score >= best - TIE]
    if len(tied) == 1:
        return Resolution("found", (tied[0],))
    if all(m.place.is_service for m in tied) and len({m.place.category for m in tied}) == 1:
        nearest = min(tied, key=lambda m: (m.distance_m is None, m.distance_m or 0.0))
        return Resolution("found", (nearest,))
    inside = _inside_city(tied)
    if inside is not None:
        return Resolution("found", (inside,))
    return Resolution("ambiguous", tuple(tied))


def _inside_city(tied: Sequence[Match]) -> Match | None:
    """ "West Lake in Hangzhou": a city and one place in that city tie — the place is meant."""
    cities = [m for m in tied if m.place.category == "city"]
    places = [m for m in tied if m.place.category != "city"]
    if len(cities) == 1 and len(places) == 1 and places[0].place.city == cities[0].place.city:
        return places[0]
    return None
