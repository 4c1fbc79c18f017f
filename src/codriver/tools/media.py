"""Media tools: play what was asked for, pause, resume, skip, volume, video on a screen."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from codriver.safety.action import Write
from codriver.services.media import MediaItem, MediaKind, MediaProvider
from codriver.text import Bilingual, Lang, PhraseBook, detect_lang
from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES, clamp
from codriver.vehicle.catalog import Value
from codriver.yamlfile import read_yaml

MEDIA = "Vehicle.Cabin.Infotainment.Media"
NAV = "Vehicle.Cabin.Infotainment.Navigation"
QUERY = "Cockpit.Media.Query"
VIDEO = "Cockpit.Media.Video"
DEFAULT_SCREEN = "center"
SOURCE = f"{MEDIA}.Played.Source"

MEDIA_PHRASES = PhraseBook.load("codriver.services.media", "data/phrases.yaml")
_KINDS: dict[str, MediaKind | None] = {
    "artist": "artist", "genre": "genre", "title": "track", "station": "station",
    "playlist": None, "any": None,
}  # fmt: skip


@tool("media")
def play_media(
    ctx: ToolContext,
    query: str,
    kind: Literal["artist", "genre", "title", "station", "playlist", "any"] = "any",
) -> Effect:
    """Play music or audio: an artist, a genre, a song title, a radio station, a source.

    Args:
        query: what to play, as the occupant said it (e.g. "周杰伦", "jazz", "FM 101.7").
        kind: what the query names, if known.
    """
    if is_video(query):
        return play_video.fn(ctx, title=query, screen=DEFAULT_SCREEN)
    media: MediaProvider | None = getattr(ctx.services, "media", None)
    if media is None:
        return Effect.set(
            {QUERY: query, f"{MEDIA}.Action": "PLAY", VIDEO: ""},
            PHRASES.get("media.play", query=query),
        )
    item = media.resolve(query, _KINDS[kind]) or MediaItem.search(query)
    return _play(media, item, item.label(_lang_of(query, ctx.lang)))


@tool("media")
def set_media_source(
    ctx: ToolContext, source: Literal["BLUETOOTH", "USB", "AUX", "FM", "INTERNET"]
) -> Effect:
    """Switch where the music comes from (a phone over Bluetooth, a USB stick, the radio) and play.

    Args:
        source: BLUETOOTH, USB, AUX, FM (radio) or INTERNET (the online catalog).
    """
    media: MediaProvider | None = getattr(ctx.services, "media", None)
    if media is None:
        item = MediaItem("source", Bilingual(source, source), source)
    else:
        item = media.source(source)
    return _play(media, item, item.label(ctx.lang))


def _lang_of(query: str, spoken: Lang) -> Lang:
    """The language a query is in; a bare frequency ("FM101.7") is in the speaker's."""
    if re.fullmatch(r"\s*(fm|am)?[\s\d.]*(fm|am)?\s*", query, re.IGNORECASE):
        return spoken
    return detect_lang(query)


def _play(media: MediaProvider | None, item: MediaItem, query: str) -> Effect:
    """Play ``item``: the query as resolved, PLAY, and where it comes from."""
    writes: dict[str, Value] = {
        QUERY: query, f"{MEDIA}.Action": "PLAY", SOURCE: item.source, VIDEO: "",
    }  # fmt: skip
    name = Bilingual(item.label("en"), item.label("zh"))
    artist = item.artist or Bilingual("", "")
    done = MEDIA_PHRASES.get(f"media.{item.kind}", name=name, artist=artist)
    after = None if media is None else (lambda: media.play(item))
    played = {f"{MEDIA}.Played.{key}": value for key, value in item.played().items()}
    return Effect(
        tuple(Write(p, v) for p, v in writes.items()), done=done, after=after, reports=played
    )


@tool("media")
def control_playback(
    ctx: ToolContext, action: Literal["PLAY", "STOP", "SKIP_FORWARD", "SKIP_BACKWARD"]
) -> Effect:
    """Resume (PLAY), pause (STOP), next track (SKIP_FORWARD) or previous track (SKIP_BACKWARD).

    Args:
        action: the playback command.
    """
    key = {
        "PLAY": "media.resume",
        "STOP": "media.pause",
        "SKIP_FORWARD": "media.next",
        "SKIP_BACKWARD": "media.previous",
    }[action]
    writes: dict[str, Value] = {f"{MEDIA}.Action": action}
    screen = ctx.state.get(VIDEO)
    if action == "PLAY" and isinstance(screen, str) and screen:
        writes[VIDEO] = screen  # resuming a video shows it again: judged as showing it
    return Effect.set(writes, PHRASES.get(key))


@tool("media")
def set_volume(ctx: ToolContext, level: int) -> Effect:
    """Set the media volume.

    Args:
        level: volume in percent, 0 (silent) to 100.
    """
    return Effect.set({f"{MEDIA}.Volume": level}, PHRASES.get("media.volume", level=level))


@tool("media")
def adjust_volume(ctx: ToolContext, delta: int) -> Effect:
    """Turn the media volume up (positive delta) or down (negative), in percent points.

    Args:
        delta: change in percent points, e.g. 10 for "a bit louder".
    """
    level = int(clamp(ctx.number(f"{MEDIA}.Volume", 30) + delta, 0, 100))
    return set_volume.fn(ctx, level=level)


@tool("media")
def play_video(
    ctx: ToolContext,
    title: str,
    screen: Literal["front", "driver", "center", "passenger", "rear"] = "center",
) -> Effect:
    """Play a video on a screen.

    Args:
        title: what to watch.
        screen: which screen shows it.
    """
    return Effect.set(
        {QUERY: title, f"{MEDIA}.Action": "PLAY", VIDEO: screen},
        PHRASES.get("media.video", title=title, screen=PHRASES.get(f"screen.{screen}")),
    )


@cache
def _video_words() -> tuple[re.Pattern[str], tuple[str, ...]]:
    raw = read_yaml("codriver.tools", "data/video_words.yaml")
    english = "|".join(re.escape(w) for w in sorted(raw["en"], key=len, reverse=True))
    return re.compile(rf"\b({english})\b", re.IGNORECASE), tuple(raw["zh"])


def is_video(query: str) -> bool:
    """Whether ``query`` asks for something to watch ("the new Bond movie", "看个电影")."""
    english, chinese = _video_words()
    return bool(english.search(query)) or any(word in query for word in chinese)


@tool("media")
def set_navigation_voice(
    ctx: ToolContext, mode: Literal["MUTED", "ALERT_ONLY", "UNMUTED"], volume: int | None = None
) -> Effect:
    """Mute or unmute navigation guidance, optionally setting its volume.

    Args:
        mode: MUTED, ALERT_ONLY or UNMUTED.
        volume: guidance volume in percent.
    """
    writes: dict[str, object] = {f"{NAV}.Mute": mode}
    if volume is not None:
        writes[f"{NAV}.Volume"] = volume
        return Effect.set(writes, PHRASES.get("nav.volume", level=volume))  # type: ignore[arg-type]
    return Effect.set(writes, PHRASES.get("nav.mute", mode=PHRASES.get(f"nav.{mode}")))  # type: ignore[arg-type]


MEDIA_TOOLS = Toolset(
    "media",
    (
        play_media,
        set_media_source,
        control_playback,
        set_volume,
        adjust_volume,
        play_video,
        set_navigation_voice,
    ),
)
