"""Answering a question the assistant asked back ("Hongqiao or Pudong?" — "Pudong")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from codriver.tools.base import Choice

_ORDINALS = {
    0: ("first", "1st", "the first one", "第一个", "第一", "前一个", "前面那个"),
    1: ("second", "2nd", "the second one", "第二个", "第二", "后一个", "后面那个"),
    2: ("third", "3rd", "第三个", "第三"),
}
_THRESHOLD = 70
_THE_FIRST = (
    "there",
    "that one",
    "that place",
    "the nearest",
    "the closest",
    "那里",
    "那儿",
    "去那",
    "最近的",
)
"""An answer that points at the options without naming one takes the first (the nearest)."""


def _named(said: str, choice: Choice) -> bool:
    """The answer holds the first word ("Pudong") or first two characters ("浦东") of a name."""
    en = choice.label.en.lower().split()
    zh = choice.label.zh
    return bool((en and en[0] in said.split()) or (len(zh) >= 2 and zh[:2] in said))


def pick(text: str, choices: Sequence[Choice]) -> Choice | None:
    """The option the occupant's answer names, by name (fuzzy, either language) or by position."""
    said = text.strip().lower()
    for index, words in _ORDINALS.items():
        if index < len(choices) and any(
            re.search(rf"(^|\W){re.escape(w)}($|\W)", said) or (w in said and not w.isascii())
            for w in words
        ):
            return choices[index]
    if choices and any(
        re.search(rf"(^|\W){re.escape(w)}($|\W)", said) or (w in said and not w.isascii())
        for w in _THE_FIRST
    ):
        return choices[0]
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
