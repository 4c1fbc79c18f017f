"""The words that tell sentences apart, per language (``data/<lang>/sentence.yaml``), read once
and matched where the scan's tokens start — so "调几度" is never found inside "空调几度"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from codriver.errors import ConfigError
from codriver.understanding.lexicon import LANGS


class Phrases:
    """A list of phrases matched in lowered text: whole words for Latin ones, anywhere for
    Chinese ones; the longest first."""

    def __init__(self, phrases: Iterable[str]) -> None:
        parts = []
        for phrase in sorted(set(phrases), key=len, reverse=True):
            body = re.escape(phrase)
            if phrase[:1].isascii() and phrase[:1].isalnum():
                body = r"(?<![a-z0-9'’])" + body
            if phrase[-1:].isascii() and phrase[-1:].isalnum():
                body += r"(?![a-z0-9]|['’](?!s\b))"  # a whole word, or one with "'s"
            parts.append(body)
        self._re = re.compile("|".join(parts)) if parts else None
        self._end = re.compile(f"(?:{'|'.join(parts)})$") if parts else None

    def spans(self, text: str, starts: Iterable[int], end: int) -> list[tuple[int, int]]:
        """The longest phrase at each of ``starts`` (where words begin), up to ``end``."""
        if self._re is None:
            return []
        found = (self._re.match(text, s, end) for s in starts)
        return [m.span() for m in found if m is not None]

    def anywhere(self, text: str) -> list[tuple[int, int]]:
        return [] if self._re is None else [m.span() for m in self._re.finditer(text)]

    def at(self, text: str, position: int, end: int) -> bool:
        return self._re is not None and self._re.match(text, position, end) is not None

    def ends(self, text: str) -> tuple[int, int] | None:
        """The span of the phrase ``text`` ends with, if any."""
        found = None if self._end is None else self._end.search(text)
        return None if found is None else found.span()


@dataclass(frozen=True, slots=True)
class Words:
    ends: Phrases
    opens: Phrases
    asks: Phrases
    embeds: Phrases
    request: Phrases
    indefinite: Phrases
    elsewhere: Phrases
    past: Phrases
    others: Phrases
    habit: Phrases
    owned: Phrases
    soon: Phrases
    abuse: Phrases
    courtesy: Phrases
    delay: Phrases
    a_not_a: re.Pattern[str] | None
    negators: str


@cache
def sentence_words() -> Words:
    """Both languages' sentence words (an utterance may mix them)."""
    merged: dict[str, list[str]] = {}
    for lang in LANGS:
        for key, items in _flat(_read(lang)):
            merged.setdefault(key, []).extend(items)
    negators = "".join(merged.pop("a_not_a", []))
    pattern = rf"([\u3400-\u9fff])[{re.escape(negators)}]\1"
    fields = set(Words.__dataclass_fields__) - {"a_not_a", "negators"}
    missing = fields - set(merged)
    if missing:
        raise ConfigError(f"sentence words: missing {', '.join(sorted(missing))}")
    phrases = {f: Phrases(merged[f]) for f in fields}
    return Words(**phrases, a_not_a=re.compile(pattern) if negators else None, negators=negators)


def _flat(raw: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The lists of one language file, the question's sub-lists by their own names; "inverted"
    becomes every auxiliary before every subject ("did" + "I"), added to ``opens``."""
    out: list[tuple[str, list[str]]] = []
    for key, value in raw.items():
        if key != "question":
            out.append((key, [str(v) for v in value or []]))
            continue
        for sub, items in (value or {}).items():
            if sub == "inverted":
                pairs = [f"{a} {s}" for g in items for a in g["aux"] for s in g["subjects"]]
                out.append(("opens", pairs))
            else:
                out.append((sub, [str(v) for v in items or []]))
    return out


def _read(lang: str) -> Mapping[str, Any]:
    resource = resources.files("codriver.understanding").joinpath(f"data/{lang}/sentence.yaml")
    try:
        raw = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the {lang} sentence words: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"the {lang} sentence words are not a mapping")
    return raw
