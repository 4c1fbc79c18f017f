"""Media: the port (:class:`MediaProvider`) and an offline provider over a catalog shipped as data
(artists, songs, genres, Shanghai radio stations, playback sources, in both languages)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Protocol

from codriver.numbers import to_digits
from codriver.services.media.catalog import (
    SOURCES,
    Entry,
    MediaItem,
    MediaKind,
    Source,
    load_catalog,
)
from codriver.services.media.names import CONTAINED, NameIndex, normalize
from codriver.text import Bilingual
from codriver.yamlfile import load_yaml

# Words around a title that say nothing about which one ("some", "的歌"), ignored when comparing
# loosely; exact and contained matches see the whole query.
_FILLER = (
    "some", "a", "the", "any", "song", "songs", "music", "track", "tracks", "album", "by",
    "from", "something", "a bit of", "a little", "please", "play", "hear", "listen to",
    "的歌曲", "的歌", "歌曲", "的音乐", "一首", "几首", "一些", "来点", "放点", "来首", "听听",
    "播放", "的", "歌",
)  # fmt: skip
_FREQUENCY = re.compile(
    r"(fm|am|调频|中波)?\s*(?<![\d.])(\d{2,4}(?:\.\d{1,2})?)(?![\d.])\s*(fm|am)?"
)
_CHINESE_DIGITS = re.compile("[零〇幺一二两三四五六七八九十百]")
_KIND_ORDER: dict[MediaKind, int] = {
    "track": 0, "artist": 1, "station": 2, "genre": 3, "source": 4, "search": 5,
}  # fmt: skip


class MediaProvider(Protocol):
    """A music service or the car's own player: finds what was asked for and plays it."""

    def resolve(self, query: str, kind: MediaKind | None = None) -> MediaItem | None:
        """The best item for ``query`` (preferring ``kind``), or None when nothing fits."""
        ...

    def source(self, code: Source) -> MediaItem:
        """A playback source (Bluetooth, USB, radio …) as an item to switch to."""
        ...

    def play(self, item: MediaItem) -> None:
        """Start playing ``item`` (a ``search`` item: the provider's best hit for its name)."""
        ...


class OfflineMedia:
    """The catalog provider: resolves queries against the shipped catalog, remembers what plays."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = tuple(entries)
        self._index: NameIndex[MediaItem] = NameIndex(_FILLER)
        for entry in self.entries:
            self._index.add(entry.item, *entry.names)
        self._stations = [e.item for e in self.entries if e.item.kind == "station"]
        self._sources = {e.item.source: e.item for e in self.entries if e.item.kind == "source"}
        self.now_playing: MediaItem | None = None

    @classmethod
    def load(cls, text: str, where: str = "catalog") -> OfflineMedia:
        return cls(load_catalog(load_yaml(text), where))

    def resolve(self, query: str, kind: MediaKind | None = None) -> MediaItem | None:
        station = self._tuned(query)
        if station is not None:
            return station
        hits = self._index.find(query)
        if kind is not None and any(h.item.kind == kind for h in hits):
            hits = [h for h in hits if h.item.kind == kind]
        if not hits:
            return None
        contained = [h for h in hits if h.score >= CONTAINED]
        artists = {h.item.name for h in contained if h.item.kind == "artist"}
        songs = [h for h in contained if h.item.kind == "track" and h.item.artist in artists]
        if songs:  # "周杰伦的稻香", "Hello by Adele": the song, by that artist
            return songs[0].item
        best = max(h.score for h in hits)
        top = [h for h in hits if h.score == best]
        return min(top, key=lambda h: (-len(h.name), _KIND_ORDER[h.item.kind])).item

    def source(self, code: Source) -> MediaItem:
        known = self._sources.get(code)
        return known or MediaItem("source", Bilingual(code, code), code)

    def play(self, item: MediaItem) -> None:
        self.now_playing = item

    def _tuned(self, query: str) -> MediaItem | None:
        """A station given by frequency ("FM 101.7", "93.4", "AM 990"), known or not."""
        match = _FREQUENCY.search(_arabic(normalize(query)))
        if match is None:
            return None
        said, number = match.group(1) or match.group(3), match.group(2)
        if said is None and "." not in number:
            return None  # a bare whole number is no frequency: "动感101", "play 1989"
        band: Source = "AM" if said in ("am", "中波") else "FM"
        value = float(number)
        if band == "FM" and not 87.0 <= value <= 108.0:
            return None
        if band == "AM" and not 520 <= value <= 1710:
            return None
        for station in self._stations:
            if station.source == band and abs((station.frequency or 0) - value) < 0.05:
                return station
        label = f"{band} {value:.1f}" if band == "FM" else f"{band} {value:.0f}"
        return MediaItem("station", Bilingual(label, label.replace(" ", "")), band)


def _arabic(text: str) -> str:
    """``text`` with Chinese numbers in digits: "FM九十三点四" → "FM93.4"."""
    return to_digits(text) if _CHINESE_DIGITS.search(text) else text


def offline_media() -> OfflineMedia:
    """The provider over the catalog shipped with codriver (its own playback state)."""
    return OfflineMedia(_packaged_catalog())


@cache
def _packaged_catalog() -> tuple[Entry, ...]:
    text = resources.files(__package__).joinpath("data/catalog.yaml").read_text("utf-8")
    return OfflineMedia.load(text, "media/data/catalog.yaml").entries


__all__ = [
    "SOURCES",
    "MediaItem",
    "MediaKind",
    "MediaProvider",
    "OfflineMedia",
    "Source",
    "offline_media",
]
