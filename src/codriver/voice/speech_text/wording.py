"""The words each language's voice says for symbols, units and abbreviations, read from
``data/en.yaml`` and ``data/zh.yaml``, and the patterns made from them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
"""A number as replies write it: 43, 1,000, 21.5."""


def alternation(keys: Iterable[str]) -> str:
    """A regex alternation of ``keys``, longest first, so that km/h wins over km."""
    return "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))


def _load(name: str) -> dict[str, Any]:
    text = resources.files("codriver.voice.speech_text").joinpath(f"data/{name}").read_text("utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    return raw


def _strings(raw: Mapping[str, object]) -> dict[str, str]:
    return {str(key): str(value) for key, value in raw.items()}


@dataclass(frozen=True, slots=True)
class English:
    """``data/en.yaml``."""

    units: dict[str, tuple[str, str]]
    words: dict[str, str]
    symbols: dict[str, str]
    call_words: tuple[str, ...]
    digit_run: int
    digits: tuple[str, ...]
    between: str
    minus: str
    clock: dict[str, str]
    months: tuple[str, ...]
    say_as_word: frozenset[str]
    determiners: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Chinese:
    """``data/zh.yaml``."""

    units: dict[str, str]
    liang: str
    ordinal: str
    below_zero: str
    liang_before: tuple[str, ...]
    liang_places: frozenset[str]
    percent: str
    between: str
    minus: str
    below_zero_units: tuple[str, ...]
    point: str
    digits: tuple[str, ...]
    year_digits: tuple[str, ...]
    call_words: tuple[str, ...]
    digit_run: int
    clock: dict[str, str]
    words: dict[str, str]
    letters: dict[str, str]
    symbols: dict[str, str]


@cache
def english() -> English:
    raw = _load("en.yaml")
    return English(
        units={str(k): (str(v[0]), str(v[1])) for k, v in raw["units"].items()},
        words=_strings(raw["words"]),
        symbols=_strings(raw["symbols"]),
        call_words=tuple(str(w) for w in raw["call_words"]),
        digit_run=int(raw["digit_run"]),
        digits=tuple(str(d) for d in raw["digits"]),
        between=str(raw["between"]),
        minus=str(raw["minus"]),
        clock=_strings(raw["clock"]),
        months=tuple(str(m) for m in raw["months"]),
        say_as_word=frozenset(str(w) for w in raw["say_as_word"]),
        determiners=tuple(str(w) for w in raw["determiners"]),
    )


@cache
def chinese() -> Chinese:
    raw = _load("zh.yaml")
    return Chinese(
        units=_strings(raw["units"]),
        liang=str(raw["liang"]),
        ordinal=str(raw["ordinal"]),
        below_zero=str(raw["below_zero"]),
        liang_before=tuple(str(w) for w in raw["liang_before"]),
        liang_places=frozenset(str(w) for w in raw["liang_places"]),
        percent=str(raw["percent"]),
        between=str(raw["between"]),
        minus=str(raw["minus"]),
        below_zero_units=tuple(str(w) for w in raw["below_zero_units"]),
        point=str(raw["point"]),
        digits=tuple(str(d) for d in raw["digits"]),
        year_digits=tuple(str(d) for d in raw["year_digits"]),
        call_words=tuple(str(w) for w in raw["call_words"]),
        digit_run=int(raw["digit_run"]),
        clock=_strings(raw["clock"]),
        words=_strings(raw["words"]),
        letters=_strings(raw["letters"]),
        symbols=_strings(raw["symbols"]),
    )
