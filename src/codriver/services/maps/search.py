"""Reading a place request and scoring names against it.

A request is read as either a category ("nearest charging station", "找个停车场", "the airport"),
a category with a name ("Hongqiao railway station", "外滩停车场"), or a name ("the Bund",
"Marienplatz from"). Names score 0-100: the same name 100; a known name inside the request
("外滩看夜景") 90-99 by how much of the request it covers; the request inside a longer name
("Pudong" in "Pudong Airport") 90; otherwise a fuzzy ratio (rapidfuzz) scaled to at most 85, so
that typos and mishearings still find the place but never beat a plain match. A fuzzy ratio under
80 (75 for Chinese, where one misheard character in four is 75) counts as no match: "Eiffel
Tower" must not find the Pearl Tower.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from codriver.services.maps.divisions import divisions
from codriver.services.maps.places import CATEGORIES, Category, Place
from codriver.text import Bilingual
from codriver.yamlfile import load_yaml

EXACT = 100.0
CONTAINS_NAME = 90.0
"""A known name inside the request; plus up to 9 for how much of the request it covers."""
INSIDE_NAME = 90.0
"""The request inside a longer name."""
FUZZY_SCALE = 0.85
FUZZY_CUTOFF = 80.0
FUZZY_CUTOFF_CJK = 75.0
PICK_MIN = 60.0
PICK_MARGIN = 2.0

_CJK = re.compile(r"[\u3400-\u9fff]")
_PUNCT = re.compile(r"[\s\-_,.;:!?/()（）【】\[\]\"“”，。；：！？、·]+")


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    """A category's display names, the words that ask for it, and whether to ask which one."""

    name: Bilingual
    plural: Bilingual
    words: tuple[str, ...]
    ask: bool = False


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words of place requests: categories, "nearest" and fillers (data/categories.yaml)."""

    categories: Mapping[Category, CategoryInfo]
    nearest: tuple[str, ...]
    fillers_en: frozenset[str]
    fillers_zh: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Request:
    """A place request as read: the words that may name a place, the category asked for, the
    words beside the category word ("hongqiao" in "Hongqiao railway station"), and whether it
    asked for the nearest."""

    name: str
    category: Category | None = None
    qualifier: str = ""
    nearest: bool = False


def normalize(text: str) -> str:
    """Lowercase, width- and accent-stable, apostrophes dropped, punctuation made spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"['’`]", "", text).replace("&", " and ")
    return _PUNCT.sub(" ", text).strip()


def compact(text: str) -> str:
    return text.replace(" ", "")


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def contains(haystack: str, needle: str) -> bool:
    """``needle`` in ``haystack``: anywhere for Chinese, as whole words for Latin script."""
    if not needle:
        return False
    if is_cjk(needle):
        return compact(needle) in compact(haystack)
    return f" {needle} " in f" {haystack} "  # normalized text: words are split by single spaces


def remove(haystack: str, needle: str) -> str:
    if is_cjk(needle):
        return compact(haystack).replace(compact(needle), " ", 1).strip()
    pattern = rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])"
    return re.sub(r"\s+", " ", re.sub(pattern, " ", haystack, count=1)).strip()


def read_request(text: str, vocabulary: Vocabulary) -> Request:
    """What a request asks for: a category, "nearest", and the words left for a name."""
    rest = normalize(text)
    near = False
    for word in vocabulary.nearest:
        if contains(rest, word):
            rest, near = remove(rest, word), True
    category, longest = None, ""
    for key, info in vocabulary.categories.items():
        for word in info.words:
            if len(word) > len(longest) and contains(rest, word):
                category, longest = key, word
    name = strip_fillers(rest, vocabulary)
    qualifier = strip_fillers(remove(rest, longest), vocabulary) if category else ""
    return Request(name=name, category=category, qualifier=qualifier, nearest=near)


def strip_fillers(text: str, vocabulary: Vocabulary) -> str:
    words = [w for w in text.split() if w not in vocabulary.fillers_en]
    text = " ".join(words)
    changed = True
    while changed and text:
        changed = False
        for filler in vocabulary.fillers_zh:
            if text.startswith(filler):
                text, changed = text[len(filler) :].strip(), True
            if text.endswith(filler):
                text, changed = text[: -len(filler)].strip(), True
    return text


@dataclass(frozen=True, slots=True)
class Name:
    """A normalized name with what scoring needs of it, computed once."""

    text: str
    compact: str
    cjk: bool
    spaced: str

    @classmethod
    def of(cls, text: str) -> Name:
        normal = normalize(text)
        return cls(normal, compact(normal), is_cjk(normal), f" {normal} ")


def name_score(request: str, name: str) -> float:
    """How well a request names a place known as ``name`` (0-100)."""
    return indexed_score(Name.of(request), Name.of(name))


def indexed_score(request: Name, name: Name) -> float:
    """:func:`name_score` on names normalized beforehand (a map indexes its names once)."""
    if not request.compact or not name.compact:
        return 0.0
    if request.compact == name.compact:
        return EXACT
    if _inside(request, name):
        return CONTAINS_NAME + 9.0 * len(name.compact) / len(request.compact)
    if _inside(name, request):
        return INSIDE_NAME
    cutoff = FUZZY_CUTOFF_CJK if name.cjk else FUZZY_CUTOFF
    score = fuzz.ratio(request.compact, name.compact, score_cutoff=cutoff)
    if len(name.compact) >= 5 and len(request.compact) > len(name.compact):
        partial = fuzz.partial_ratio(name.compact, request.compact, score_cutoff=cutoff / 0.95)
        score = max(score, 0.95 * partial)
    return FUZZY_SCALE * score if score >= cutoff else 0.0


def _inside(text: Name, part: Name) -> bool:
    """``part`` in ``text``; short Latin parts ("sha", "muc") only as whole words."""
    if part.cjk:
        return len(part.compact) >= 2 and part.compact in text.compact
    if part.spaced in text.spaced:
        return len(part.compact) >= 3
    return len(part.compact) >= 6 and part.compact in text.compact


def pick(answer: str, options: Sequence[Place]) -> Place | None:
    """The option an answer to "which one?" names ("虹桥" after "虹桥机场还是浦东机场？"): the one
    whose names match it best, or the only one of the kind it names ("the railway station");
    None when it names none or several."""
    request = read_request(answer, vocabulary())
    if request.category is not None and not request.qualifier:
        of_kind = [p for p in options if p.category == request.category]
        return of_kind[0] if len(of_kind) == 1 else None
    said = Name.of(request.name)
    scored = sorted(
        ((max(indexed_score(said, Name.of(n)) for n in p.names), p) for p in options),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < PICK_MIN:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - PICK_MARGIN:
        return None
    return scored[0][1]


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary (data/categories.yaml), read once."""
    raw = load_yaml(
        resources.files("codriver.services.maps")
        .joinpath("data/categories.yaml")
        .read_text("utf-8")
    )
    categories: dict[Category, CategoryInfo] = {}
    for key in CATEGORIES:
        entry = raw["categories"][key]
        words = entry["words"]
        categories[key] = CategoryInfo(
            name=Bilingual.from_mapping(entry["name"], f"categories.yaml: {key}"),
            plural=Bilingual.from_mapping(entry["plural"], f"categories.yaml: {key}"),
            words=tuple(normalize(str(w)) for w in [*words["en"], *words["zh"]]),
            ask=bool(entry.get("ask", False)),
        )
    unknown = set(raw["categories"]) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"categories.yaml: unknown categories {sorted(unknown)}")
    said = [*raw["nearest"]["en"], *raw["nearest"]["zh"]]
    nearest = sorted((normalize(str(w)) for w in said), key=len, reverse=True)
    return Vocabulary(
        categories=categories,
        nearest=tuple(nearest),
        fillers_en=frozenset(normalize(str(w)) for w in raw["fillers"]["en"]),
        fillers_zh=tuple(sorted((str(w) for w in raw["fillers"]["zh"]), key=len, reverse=True)),
    )


@cache
def _address_ends() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    raw = load_yaml(
        resources.files("codriver.services.maps").joinpath("data/addresses.yaml").read_text("utf-8")
    )
    en = frozenset(normalize(str(w)) for w in raw["en"])
    return tuple(str(w) for w in raw["zh"]), en, frozenset(str(w) for w in raw["en_not_in"])


def reads_as_address(name: str) -> bool:
    """Whether ``name`` ends like an address or a place a provider can route to ("七宝老街",
    "松江区中心医院", "People's Park"), with more before its last word ("街" alone is none), or
    names a division of China ("许昌")."""
    zh, en, not_in = _address_ends()
    said = normalize(name)
    if is_cjk(said):
        bare = compact(said)
        ends = any(bare.endswith(end) and len(bare) > len(end) for end in zh)
        return ends or divisions().named(bare) is not None
    words = said.split()
    return len(words) >= 2 and words[-1] in en and not not_in & set(words)
