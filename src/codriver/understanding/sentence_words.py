"""The words that tell sentences apart, per language (``data/<lang>/sentence.yaml``), read once
and matched where the scan's tokens start — so "调几度" is never found inside "空调几度"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from codriver.errors import ConfigError
from codriver.understanding.lexicon import LANGS
from codriver.yamlfile import YAMLError, read_yaml


class Phrases:
    """A list of phrases matched in lowered text: whole words for Latin ones (a trailing "'s"
    allowed: "my mum's car"), anywhere for Chinese ones; the longest first. A set per length,
    so building is instant and matching costs a look-up per distinct length."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = frozenset(p for p in phrases if p)
        self._lengths = sorted({len(p) for p in self._phrases}, reverse=True)

    def _match(self, text: str, start: int, end: int) -> int | None:
        """The end of the longest phrase at ``start`` (within ``end``), or None."""
        first = text[start : start + 1]
        if start > 0 and first.isascii() and first.isalnum() and _word(text[start - 1]):
            return None  # inside a word
        for size in self._lengths:
            stop = start + size
            if stop <= end and text[start:stop] in self._phrases and _ends_word(text, stop, end):
                return stop
        return None

    def spans(self, text: str, starts: Iterable[int], end: int) -> list[tuple[int, int]]:
        """The longest phrase at each of ``starts`` (where words begin), up to ``end``."""
        found = ((s, self._match(text, s, end)) for s in starts)
        return [(s, e) for s, e in found if e is not None]

    def anywhere(self, text: str) -> list[tuple[int, int]]:
        return self.spans(text, range(len(text)), len(text))

    def whole(self, text: str) -> bool:
        """Whether ``text`` is one of the phrases, nothing more."""
        return text in self._phrases

    def at(self, text: str, position: int, end: int) -> bool:
        return position < end and self._match(text, position, end) is not None

    def ends(self, text: str) -> tuple[int, int] | None:
        """The span of the phrase ``text`` ends with, if any."""
        for size in self._lengths:
            start = len(text) - size
            if start >= 0 and self._match(text, start, len(text)) == len(text):
                return start, len(text)
        return None


def _word(char: str) -> bool:
    """A character of a Latin word (digits and apostrophes too)."""
    return (char.isascii() and (char.isalnum() or char == "'")) or char == "’"


def _ends_word(text: str, stop: int, end: int) -> bool:
    """Whether a phrase ending at ``stop`` ends a word there, or before an apostrophe: a
    possessive or a contraction ("my mum's car", "what'll", "what'st he heat at" as a recogniser
    may glue "what's the")."""
    if stop >= end or not _word(text[stop - 1]) or not _word(text[stop]):
        return True
    return text[stop] in "'’"


@dataclass(frozen=True, slots=True)
class Words:
    ends: Phrases
    breaks: Phrases
    opens: Phrases
    asks: Phrases
    embeds: Phrases
    request: Phrases
    route: Phrases
    indefinite: Phrases
    elsewhere: Phrases
    past: Phrases
    others: Phrases
    described: Phrases
    not_durative: Phrases
    """Words that begin with 着 and are no aspect of the verb before them ("着急")."""
    """How a thing is, said of it ("开着", "wide open"): after talk about elsewhere, still there."""
    habit: Phrases
    present: Phrases
    particles: Phrases
    owned: Phrases
    soon: Phrases
    abuse: Phrases
    modals: Phrases
    """能, 可以 right before a verb (or 把): a request asked as a question ("能打开天窗吗")."""
    after_colour: Phrases
    """Words that may follow a colour said as a request ("blue please", "red instead"); another
    unknown word after a colour makes it a thing's ("blue cheese", "red wine")."""
    determiners: Phrases
    """Words before a noun ("a", "the", "my"): a feeling word between one and another word
    describes that thing ("a hot take", "the cold shoulder"), not the cabin."""
    courtesy: Phrases
    delay: Phrases
    a_not_a: re.Pattern[str] | None
    negators: str
    conditional: tuple[re.Pattern[str], ...] = ()
    """A condition said without a condition word ("车速一过一百就…", "every time I …")."""


@cache
def sentence_words() -> Words:
    """Both languages' sentence words (an utterance may mix them)."""
    merged: dict[str, list[str]] = {}
    for lang in LANGS:
        for key, items in _flat(_read(lang)):
            merged.setdefault(key, []).extend(items)
    negators = "".join(merged.pop("a_not_a", []))
    conditional = tuple(re.compile(p) for p in merged.pop("conditional", []))
    pattern = rf"([\u3400-\u9fff])[{re.escape(negators)}]\1"
    fields = set(Words.__dataclass_fields__) - {"a_not_a", "negators", "conditional"}
    missing = fields - set(merged)
    if missing:
        raise ConfigError(f"sentence words: missing {', '.join(sorted(missing))}")
    phrases = {f: Phrases(merged[f]) for f in fields}
    return Words(
        **phrases,
        a_not_a=re.compile(pattern) if negators else None,
        negators=negators,
        conditional=conditional,
    )


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
    try:
        raw = read_yaml("codriver.understanding", f"data/{lang}/sentence.yaml")
    except (OSError, YAMLError) as exc:
        raise ConfigError(f"cannot read the {lang} sentence words: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"the {lang} sentence words are not a mapping")
    return raw
