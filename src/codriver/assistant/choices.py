"""Answering a question the assistant asked back ("Hongqiao or Pudong?" — "Pudong")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from codriver.tools.base import Choice
from codriver.yamlfile import load_yaml

_THRESHOLD = 70


@cache
def _words() -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """Position words and pointing words, from ``data/choices.yaml``."""
    res = resources.files("codriver.assistant").joinpath("data/choices.yaml")
    raw = load_yaml(res.read_text(encoding="utf-8"), plain=True)
    return tuple(tuple(words) for words in raw["ordinals"]), tuple(raw["pointing"])


def _says(said: str, words: tuple[str, ...]) -> bool:
    return any(
        re.search(rf"(^|\W){re.escape(w)}($|\W)", said) or (w in said and not w.isascii())
        for w in words
    )


def _named(said: str, choice: Choice) -> bool:
    """The answer holds the first word ("Pudong") or first two characters ("浦东") of a name."""
    en = choice.label.en.lower().split()
    zh = choice.label.zh
    return bool((en and en[0] in said.split()) or (len(zh) >= 2 and zh[:2] in said))


def pick(text: str, choices: Sequence[Choice]) -> Choice | None:
    """The option the occupant's answer names, by name (fuzzy, either language) or by position."""
    said = text.strip().lower()
    ordinals, pointing = _words()
    for index, words in enumerate(ordinals):
        if index < len(choices) and _says(said, words):
            return choices[index]
    if choices and _says(said, pointing):
        return choices[0]  # "take me there": the first offered, the nearest
    named = [c for c in choices if _named(said, c)]
    if len(named) == 1:
        return named[0]
    scored = []
    for choice in choices:
        names = [choice.label.en.lower(), choice.label.zh]
        score = max(fuzz.partial_ratio(name, said) for name in names if name)
        scored.append((score, choice))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if not scored or scored[0][0] < _THRESHOLD:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # still ambiguous
    return scored[0][1]
