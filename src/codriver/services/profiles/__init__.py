"""Occupant profiles: usual settings, home and work, favourite music, per seat."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any, Literal

from codriver.errors import ConfigError
from codriver.text import Bilingual
from codriver.yamlfile import load_yaml

Preference = Literal["temperature", "seat_heating", "music", "home", "work"]


@dataclass(frozen=True, slots=True)
class Profile:
    """One occupant's preferences."""

    name: Bilingual
    temperature: float | None = None
    seat_heating: int | None = None
    music: str | None = None
    home: str | None = None
    work: str | None = None


@dataclass
class Profiles:
    """The profiles of the people in the car, by seat; what they state is remembered."""

    by_seat: dict[str, Profile] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)

    def of(self, seat: str) -> Profile | None:
        return self.by_seat.get(seat)

    def place(self, seat: str, said: str) -> str | None:
        """The place "home" or "公司" means for the occupant of ``seat``, if their profile says."""
        profile = self.by_seat.get(seat)
        said = said.strip().lower()
        if profile is None:
            return None
        if said in self.words.get("home", ()):
            return profile.home
        if said in self.words.get("work", ()):
            return profile.work
        return None

    def remember(self, seat: str, what: Preference, value: object) -> Profile:
        current = self.by_seat.get(seat) or Profile(Bilingual(seat, seat))
        updated = replace(current, **{what: value})  # type: ignore[arg-type]
        self.by_seat[seat] = updated
        return updated


def offline_profiles() -> Profiles:
    """The sample car's profiles (each assistant gets its own copy to remember into)."""
    seats, words = _packaged()
    return Profiles(dict(seats), dict(words))


@cache
def _packaged() -> tuple[dict[str, Profile], dict[str, frozenset[str]]]:
    res = resources.files(__package__).joinpath("data/profiles.yaml")
    raw: dict[str, Any] = load_yaml(res.read_text(encoding="utf-8"))
    words = {kind: frozenset(str(w).lower() for w in ws) for kind, ws in raw.pop("words").items()}
    try:
        return {
            seat: Profile(
                name=Bilingual.from_mapping(item["name"], f"profiles.yaml: {seat}"),
                temperature=item.get("temperature"),
                seat_heating=item.get("seat_heating"),
                music=item.get("music"),
                home=item.get("home"),
                work=item.get("work"),
            )
            for seat, item in raw.items()
        }, words
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"bad profiles.yaml: {exc}") from exc


__all__ = ["Preference", "Profile", "Profiles", "offline_profiles"]
