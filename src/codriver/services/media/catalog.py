"""What can be played: artists and their songs, genres, radio stations and playback sources,
each named in both languages, loaded from a YAML data file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from codriver.text import Bilingual, Lang

MediaKind = Literal["artist", "track", "genre", "station", "source", "search"]
"""``search``: nothing in the catalog matched; the query goes to the provider's search as said."""

Source = Literal["INTERNET", "FM", "AM", "BLUETOOTH", "USB", "AUX"]
"""Where playback comes from, as VSS ``Media.Played.Source`` names it."""

SOURCES: tuple[Source, ...] = get_args(Source)


@dataclass(frozen=True, slots=True)
class MediaItem:
    """One playable thing. ``native`` is the language of its own metadata (周杰伦's songs are
    titled in Chinese, Adele's in English); ``genre`` is a genre's English name."""

    kind: MediaKind
    name: Bilingual
    source: Source = "INTERNET"
    artist: Bilingual | None = None
    genre: str = ""
    native: Lang = "en"
    frequency: float | None = None
    """A station's frequency: MHz on FM, kHz on AM."""

    @classmethod
    def search(cls, query: str) -> MediaItem:
        return cls("search", Bilingual(query, query))

    def label(self, lang: Lang) -> str:
        """The name to show and to keep as the query, with a station's frequency."""
        name = self.name.in_(lang)
        if self.frequency is None:
            return name
        sep = "" if lang == "zh" else " "
        return f"{name} {self.source}{sep}{_frequency(self)}"

    def played(self) -> dict[str, str]:
        """What a head unit reports under ``Media.Played`` (Artist, Track, Genre) for it."""
        if self.kind == "source":
            return {}
        artist = {"track": self.artist, "artist": self.name}.get(self.kind)
        return {
            "Artist": artist.in_(self.native) if artist else "",
            "Track": self.name.in_(self.native) if self.kind == "track" else "",
            "Genre": self.genre if self.kind in ("artist", "track", "genre") else "",
        }


def _frequency(item: MediaItem) -> str:
    value = item.frequency or 0.0
    return f"{value:.1f}" if item.source == "FM" else f"{value:.0f}"


@dataclass(frozen=True, slots=True)
class Entry:
    """A catalog item and every name it answers to."""

    item: MediaItem
    names: tuple[str, ...]


def load_catalog(raw: Mapping[str, Any], where: str = "catalog") -> list[Entry]:
    """Catalog entries from the parsed YAML (see ``data/catalog.yaml``)."""
    genres = {str(g["id"]): str(g["en"]) for g in raw.get("genres", [])}
    entries: list[Entry] = []
    for artist in raw.get("artists", []):
        entries.extend(_artist(artist, genres, where))
    for genre in raw.get("genres", []):
        name = _name(genre, where)
        item = MediaItem("genre", name, genre=name.en)
        entries.append(Entry(item, _names(name, genre)))
    for station in raw.get("stations", []):
        name = _name(station, where)
        band = cast(Source, str(station.get("band", "FM")))
        if band not in ("FM", "AM"):
            raise ValueError(f"{where}: station {name.en}: band must be FM or AM")
        item = MediaItem("station", name, band, frequency=float(station["frequency"]))
        entries.append(Entry(item, _names(name, station)))
    for source in raw.get("sources", []):
        code = cast(Source, str(source["source"]))
        if code not in SOURCES:
            raise ValueError(f"{where}: unknown source {code!r}; use one of {', '.join(SOURCES)}")
        name = _name(source, where)
        entries.append(Entry(MediaItem("source", name, code), _names(name, source)))
    return entries


def _artist(raw: Mapping[str, Any], genres: Mapping[str, str], where: str) -> list[Entry]:
    name = Bilingual.from_mapping(raw["name"], f"{where}: artist")
    genre_id = str(raw.get("genre", ""))
    if genre_id and genre_id not in genres:
        raise ValueError(f"{where}: {name.en}: unknown genre {genre_id!r}")
    genre = genres.get(genre_id, "")
    native: Lang = "zh" if raw.get("lang") == "zh" else "en"
    artist = MediaItem("artist", name, genre=genre, native=native)
    entries = [Entry(artist, _names(name, raw))]
    for track in raw.get("tracks", []):
        title = _name(track, f"{where}: {name.en}")
        item = MediaItem("track", title, artist=name, genre=genre, native=native)
        entries.append(Entry(item, _names(title, track)))
    return entries


def _name(raw: Mapping[str, Any], where: str) -> Bilingual:
    return Bilingual.from_mapping(raw, where)


def _names(name: Bilingual, raw: Mapping[str, Any]) -> tuple[str, ...]:
    aliases = tuple(str(a) for a in raw.get("aliases", []))
    return tuple(dict.fromkeys((name.en, name.zh, *aliases)))
