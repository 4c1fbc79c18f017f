"""Answers to a question the assistant asked: yes, no, calling it off, or one of the options.

An utterance is an answer only when it is made of answer words (``data/answers.yaml``) and
fillers: "yes please" confirms, "yes, but take me home" is not a yes. Picking an option needs its
place in the list ("the second one", "第二个") or its name said clearly ("Pudong", "虹桥吧") —
never a word that merely sounds alike ("pudding"). The same rules hold under every brain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from rapidfuzz import fuzz

from codriver.tools.base import Choice
from codriver.yamlfile import read_yaml

AnswerKind = Literal["yes", "no", "cancel", "unclear"]
_SIMILAR = 80
"""How alike (0–100) a misheard English word must be to a distinctive word of an option's name."""
_WORD = re.compile(r"[a-z0-9']+|[^\sa-z0-9']", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[\s,.!?;:，。！？；：、~～…\"“”‘()（）]+")
"""Marks between words; an apostrophe inside one stays ("i'm sure", "don't")."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of the utterance and what it is: an answer word, a filler or something else."""

    kind: str
    """``yes``, ``no``, ``cancel``, ``filler``, ``back``, ``ordinal:N``, ``last``, ``pointing``,
    ``other``"""
    text: str


@cache
def _table() -> dict[str, str]:
    raw = read_yaml("codriver.understanding", "data/answers.yaml", plain=True)
    table: dict[str, str] = {}
    for kind in ("filler", "back", "yes", "no", "cancel", "unclear"):  # later kinds win a phrase
        for words in raw[kind].values():
            table.update({w.lower(): kind for w in words})
    for index, words in enumerate(raw["ordinals"]):
        table.update({w.lower(): f"ordinal:{index}" for w in words})
    table.update({w.lower(): "last" for w in raw["last"]})
    table.update({w.lower(): "pointing" for w in raw["pointing"]})
    return table


@cache
def _leads() -> frozenset[str]:
    raw = read_yaml("codriver.understanding", "data/answers.yaml", plain=True)
    return frozenset(w.lower() for words in raw["lead"].values() for w in words)


@cache
def _longest() -> int:
    return max(len(_tokens(phrase)) for phrase in _table())


def _tokens(text: str) -> list[str]:
    """English words whole, every other character alone."""
    words = _WORD.findall(_PUNCTUATION.sub(" ", text.lower().replace("’", "'")))
    return [w.strip("'") for w in words if w.strip("'")]  # 'yes' quoted is yes


def _join(tokens: Sequence[str]) -> str:
    out = ""
    for token in tokens:
        spaced = out and token.isascii() and out[-1].isascii()
        out += (" " if spaced else "") + token
    return out


def segment(text: str) -> list[Piece]:
    """The utterance as answer words, fillers and the rest, longest phrase first."""
    table, tokens, pieces = _table(), _tokens(text), []
    i = 0
    while i < len(tokens):
        for size in range(min(_longest(), len(tokens) - i), 0, -1):
            phrase = _join(tokens[i : i + size])
            if phrase in table:
                pieces.append(Piece(table[phrase], phrase))
                i += size
                break
        else:
            pieces.append(Piece("other", tokens[i]))
            i += 1
    return pieces


def answer_kind(text: str) -> AnswerKind | None:
    """``yes``, ``no`` or ``cancel`` when the utterance is nothing but that answer; ``unclear``
    for one that only sounds like a yes ("行了吧", "whatever")."""
    pieces = segment(text)
    kinds = {p.kind for p in pieces} - {"filler"}
    if "unclear" in kinds and kinds <= {"unclear", "yes"}:
        return "unclear"
    if kinds == {"yes"}:
        first = pieces[0]
        return "yes" if first.kind == "yes" or first.text in _leads() else None
    if kinds and kinds <= {"no", "cancel"}:
        return "cancel" if "cancel" in kinds else "no"
    return None


def after_yes(text: str) -> str:
    """What follows the opening yes ("yes, unlock them" → "unlock them"); "" when nothing does."""
    pieces = segment(text)
    while pieces and pieces[0].kind == "yes":
        pieces = pieces[1:]
    return _join([p.text for p in pieces])


def refers_back(text: str) -> bool:
    """The utterance has a word that refers back ("again", "再来") instead of naming a thing."""
    return any(p.kind == "back" for p in segment(text))


def starts_with_yes(text: str) -> bool:
    """The utterance opens with a yes ("yes, unlock them", "好的，开吧")."""
    said = [p for p in segment(text) if p.kind != "filler"]
    return bool(said) and said[0].kind == "yes"


def pick(text: str, choices: Sequence[Choice]) -> Choice | None:
    """The option the answer names by place or by name; None when it names none clearly."""
    if not choices:
        return None
    pieces = [p for p in segment(text) if p.kind not in ("filler", "yes")]
    kinds = {p.kind for p in pieces}
    if len(kinds) == 1 and "other" not in kinds:
        (kind,) = kinds
        if kind.startswith("ordinal:"):
            index = int(kind.split(":")[1])
            return choices[index] if index < len(choices) else None
        if kind == "last":
            return choices[-1]
        if kind == "pointing":
            return choices[0]  # "take me there": the one offered first, the nearest
        return None
    if kinds != {"other"}:
        return None
    said = [p.text for p in pieces]
    named = [c for c in choices if _names(said, c, choices)]
    return named[0] if len(named) == 1 else None


def _names(said: list[str], choice: Choice, choices: Sequence[Choice]) -> bool:
    """Everything said belongs to ``choice``'s name, and some of it to no other option's."""
    words = [w for w in said if w.isascii()]
    chars = "".join(w for w in said if not w.isascii())
    if words and chars:
        return False
    if chars:
        others = [c.label.zh for c in choices if c is not choice]
        return len(chars) >= 2 and chars in choice.label.zh and not any(chars in o for o in others)
    own = set(_tokens(choice.label.en))
    shared = {w for c in choices if c is not choice for w in _tokens(c.label.en)}
    distinctive = own - shared
    if not all(_near(w, own) for w in words):
        return False
    return any(_near(w, distinctive) for w in words)


def _near(word: str, names: set[str]) -> bool:
    return word in names or any(
        len(word) >= 4 and fuzz.ratio(word, name) >= _SIMILAR for name in names
    )
