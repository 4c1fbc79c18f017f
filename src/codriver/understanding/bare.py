"""A request that is only a name: "北湖公园" goes there, "周华健的歌" plays him, "到南京" too.

People often say just the destination or the singer to an in-car assistant. When nothing else in
the utterance asks for anything, a name that ends like a place (a park, a town, a station: words in
``data/<lang>/bare.yaml``) or is a division of China ("许昌", "景县") is where to go, and
"someone's songs" is what to play. The name must read
as one (no "不" or "吧" in it: ``names.plausible``), so talk stays talk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from codriver.assistant.plan import ToolCall
from codriver.errors import ConfigError
from codriver.services.maps.divisions import divisions
from codriver.understanding.frames import TITLE
from codriver.understanding.lexicon import LANGS, QueryWords
from codriver.understanding.names import dialled, plausible, starts_chinese
from codriver.yamlfile import YAMLError, read_yaml

_SPACES = re.compile(r"[\s\-]+")


@dataclass(frozen=True, slots=True)
class BareWords:
    lead: tuple[str, ...]
    to_place: tuple[str, ...]
    music_lead: tuple[str, ...]
    route_ends: tuple[str, ...]
    dial_lead: tuple[str, ...]
    phone: re.Pattern[str] | None
    place_ends: tuple[str, ...]
    music_ends: tuple[str, ...]
    not_in_names: frozenset[str]
    not_in_places: tuple[str, ...]
    not_first: tuple[str, ...]
    min_chars: int
    surnames: frozenset[str] = frozenset()
    double_surnames: tuple[str, ...] = ()
    not_artists: tuple[str, ...] = ()
    not_title_end: tuple[str, ...] = ()


def bare_request(text: str, words: QueryWords) -> ToolCall | None:
    """The call a name said alone asks for; None when ``text`` is not one."""
    marked = TITLE.fullmatch(text.strip())
    if marked:
        return ToolCall("play_media", {"query": marked.group(1).strip()})  # "《去年夏天》"
    chinese = starts_chinese(text)
    bare = _words("zh" if chinese else "en")
    name = _without_lead(text.strip(" 。.!！,，"), bare.lead, chinese)
    number = _dialled_alone(name, bare, words)
    if number is not None:
        return ToolCall("call_contact", {"contact": number})  # "13700001340", "帮我打个762"
    titled = _without_lead(name, bare.music_lead, chinese)
    if titled != name and len(titled) >= 2 and not is_talk(titled):
        return ToolCall("play_media", {"query": titled})  # "歌曲成都"
    going = _without_lead(name, bare.to_place, chinese)
    if (
        going != name
        and len(going) >= 2
        and not _talk(going, bare, chinese)
        and plausible(going, "navigate", words)
    ):
        return ToolCall("navigate_to", {"place": going})  # "到南京", "我要到东坡区"
    if not name or name.startswith(bare.not_first) or _talk(name, bare, chinese):
        return None  # "的火车站": the end of a sentence, not a name
    folded = name.casefold()
    for end in bare.music_ends:
        if _ends_with(folded, end.casefold(), chinese):
            artist = name[: len(name) - len(end)].strip()
            if len(artist) + len(end) >= bare.min_chars and plausible(artist, "call", words):
                return ToolCall("play_media", {"query": artist})
    for end in bare.route_ends:
        if _ends_with(folded, end, chinese) and len(name) - len(end) >= 2:
            return _place(name[: len(name) - len(end)], bare, words)  # "天骄小学的路"
    placed = any(_ends_with(folded, end.casefold(), chinese) for end in bare.place_ends)
    placed = placed and not any(word in name for word in bare.not_in_places)
    placed = placed and len(name) >= bare.min_chars
    placed = placed or (chinese and divisions().named(name) is not None)  # "许昌", "景县"
    if placed and plausible(name, "navigate", words):
        return ToolCall("navigate_to", {"place": name})
    return None


_TITLE = (2, 12)
"""The shortest and longest title said after a singer's name and 的."""


def artist_and_title(text: str, words: QueryWords) -> ToolCall | None:
    """ "张学友的吻别", "周华健的朋友": a person's name, 的, a title — that song, said alone."""
    if not starts_chinese(text):
        return None
    bare = _words("zh")
    name = _without_lead(text.strip(" 。.!！,，"), bare.lead, True)
    head, of, title = name.partition("的")
    if not of or not _TITLE[0] <= len(title) <= _TITLE[1] or title.endswith(bare.not_title_end):
        return None
    if "的" in title or not _person(head, bare) or not plausible(head, "call", words):
        return None
    if divisions().leading(head) is not None or title.endswith(bare.place_ends):
        return None  # "石家庄的会员" is a city's, "黄金的变电所" a place
    return ToolCall("play_media", {"query": name})


def _person(name: str, bare: BareWords) -> bool:
    """Whether ``name`` reads as a person's full name (a surname and one or two characters), not
    someone called by a title ("王老师", "张总")."""
    double = name[:2] in bare.double_surnames
    given = name[2:] if double else name[1:]
    if not (double or name[:1] in bare.surnames) or not 1 <= len(given) <= 2:
        return False
    return not given.endswith(bare.not_artists)


def _dialled_alone(name: str, bare: BareWords, words: QueryWords) -> str | None:
    """The number a name said alone dials: any number after a dialling word ("打521"), or alone
    one shaped like a phone number (a mobile, an area code, a service line: ``phone``)."""
    rest = _without_lead(name, bare.dial_lead, True)
    number = dialled(rest, words)
    if number is None or len(number) != len(_SPACES.sub("", rest)):
        return None  # digits and then more words: not a number said alone
    if rest != name or (bare.phone is not None and bare.phone.fullmatch(number)):
        return number
    return None


def _place(name: str, bare: BareWords, words: QueryWords) -> ToolCall | None:
    """A route to ``name`` when it reads as a name."""
    if is_talk(name) or not plausible(name, "navigate", words):
        return None
    return ToolCall("navigate_to", {"place": name})


def is_talk(name: str) -> bool:
    """Whether ``name`` holds a word no name said alone does ("can I make it to Hangzhou")."""
    chinese = starts_chinese(name)
    return _talk(name, _words("zh" if chinese else "en"), chinese)


def _talk(name: str, bare: BareWords, chinese: bool) -> bool:
    """Whether ``name`` holds a word no name said alone does ("我在公司")."""
    if chinese:
        return any(char in bare.not_in_names for char in name)
    return any(word in bare.not_in_names for word in name.casefold().split())


def _ends_with(text: str, end: str, chinese: bool) -> bool:
    if chinese:
        return text.endswith(end) and len(text) > len(end)
    return text.endswith(" " + end) or (end.startswith("'") and text.endswith(end))


def _without_lead(text: str, lead: tuple[str, ...], chinese: bool) -> str:
    changed = True
    while changed and text:
        changed = False
        for word in lead:
            head = text[: len(word)].casefold()
            joined = chinese or text[len(word) : len(word) + 1] in (" ", ",", "，")
            if head == word.casefold() and joined and len(text) > len(word):
                text, changed = text[len(word) :].strip(" ,，"), True
                break
    return text


@cache
def _words(lang: str) -> BareWords:
    if lang not in LANGS:
        raise ConfigError(f"no bare-name words for {lang!r}")
    try:
        raw = read_yaml("codriver.understanding", f"data/{lang}/bare.yaml")
    except (OSError, YAMLError) as exc:
        raise ConfigError(f"cannot read the {lang} bare-name words: {exc}") from exc
    ends = sorted((str(e) for e in raw.get("place_ends", [])), key=len, reverse=True)
    music = sorted((str(e) for e in raw.get("music_ends", [])), key=len, reverse=True)
    return BareWords(
        tuple(str(w) for w in raw.get("lead", [])),
        tuple(sorted((str(w) for w in raw.get("to_place", [])), key=len, reverse=True)),
        tuple(sorted((str(w) for w in raw.get("music_lead", [])), key=len, reverse=True)),
        tuple(sorted((str(w) for w in raw.get("route_ends", [])), key=len, reverse=True)),
        tuple(sorted((str(w) for w in raw.get("dial_lead", [])), key=len, reverse=True)),
        re.compile(str(raw["phone"])) if raw.get("phone") else None,
        tuple(ends), tuple(music),
        frozenset(str(w) for w in raw.get("not_in_names", [])),
        tuple(str(w) for w in raw.get("not_in_places", [])),
        tuple(str(w) for w in raw.get("not_first", [])), int(raw.get("min_chars", 3)),
        frozenset(str(w) for w in raw.get("surnames", [])),
        tuple(str(w) for w in raw.get("double_surnames", [])),
        tuple(str(w) for w in raw.get("not_artists", [])),
        tuple(str(w) for w in raw.get("not_title_end", [])),
    )  # fmt: skip
