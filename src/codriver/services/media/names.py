"""Finding a name someone said among known names, in either language: exact, inside a longer
phrase ("周杰伦的稻香", "my dad"), or misspelt ("Tayler Swift", "邓紫琪").

Latin names match on whole words; Chinese ones anywhere in the text. Spaces and punctuation
between Chinese characters do not count, nor does case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz

T = TypeVar("T")

EXACT = 100.0
CONTAINED = 95.0
FIRST_NAME = 90.0

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_DROP = re.compile(r"['’`\"“”《》「」『』〈〉()（）\[\]【】!?！？,，。、;；:：~]")
_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_IS_CJK = re.compile(rf"[{_CJK}]")


def normalize(text: str) -> str:
    """Lower case, half-width, no quotes or brackets, no spaces beside Chinese characters."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DROP.sub(" ", text)
    text = _DOT.sub("", text)
    text = re.sub(r"[·•\-_/]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _SPACE_NEAR_CJK.sub("", text)


def has_cjk(text: str) -> bool:
    return bool(_IS_CJK.search(text))


def _words(name: str) -> re.Pattern[str]:
    """Where a Latin ``name`` occurs in a normalized text as whole words."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])")


@dataclass(frozen=True, slots=True)
class NameHit(Generic[T]):
    """One known item matched by what was said, how well (0–100), and through which name."""

    item: T
    name: str
    score: float


class NameIndex(Generic[T]):
    """Names (and aliases) of items, matched against what was said.

    ``filler`` words are ignored at the edges of a fuzzy comparison ("some", "的歌").
    ``first_names``: a Latin query made only of some words of a name matches it ("David" →
    "David Li"), for contacts; off for titles, where "love" would match every love song.
    """

    def __init__(
        self,
        filler: Iterable[str] = (),
        *,
        first_names: bool = False,
        latin_cutoff: float = 80.0,
        cjk_cutoff: float = 66.0,
    ) -> None:
        self._names: list[tuple[str, str, re.Pattern[str] | None, T]] = []
        self._filler = sorted({normalize(f) for f in filler if f.strip()}, key=len, reverse=True)
        self._first_names = first_names
        self._latin_cutoff = latin_cutoff
        self._cjk_cutoff = cjk_cutoff

    def add(self, item: T, *names: str) -> None:
        for name in names:
            key = normalize(name)
            if key:
                words = None if has_cjk(key) else _words(key)
                self._names.append((key, self.strip(key), words, item))

    def strip(self, text: str) -> str:
        """``text`` without filler at either end (for fuzzy comparison)."""
        changed = True
        while changed and text:
            changed = False
            for word in self._filler:
                if text == word:
                    continue
                if text.startswith(word) and _edge(text, word, at_start=True):
                    text, changed = text[len(word) :].strip(), True
                elif text.endswith(word) and _edge(text, word, at_start=False):
                    text, changed = text[: -len(word)].strip(), True
        return text

    def find(self, said: str) -> list[NameHit[T]]:
        """Every item matched by ``said``, best first (ties: the longer name first)."""
        text = normalize(said)
        if not text:
            return []
        core = self.strip(text)
        best: dict[int, tuple[NameHit[T], int]] = {}
        for key, stripped, words, item in self._names:
            score = self._score(text, core, key, stripped, words)
            if score is None:
                continue
            hit = NameHit(item, key, score)
            held = best.get(id(item))
            if held is None or (score, len(key)) > (held[0].score, len(held[0].name)):
                best[id(item)] = (hit, len(best) if held is None else held[1])
        ranked = sorted(best.values(), key=lambda h: (-h[0].score, -len(h[0].name), h[1]))
        return [hit for hit, _ in ranked]

    def _score(
        self, text: str, core: str, key: str, stripped: str, words: re.Pattern[str] | None
    ) -> float | None:
        if text == key or (core and core == stripped):
            return EXACT
        if key in text if words is None else words.search(text):
            return CONTAINED
        cjk = words is None
        if not cjk and self._first_names and core and set(core.split()) <= set(key.split()):
            return FIRST_NAME
        if not core or not stripped:
            return None
        if cjk:
            if len(stripped) < 3 or len(core) < 3 or not has_cjk(core):
                return None
            score = fuzz.ratio(core, stripped)
            if len(core) > len(stripped):  # a slip inside a longer phrase: "放周杰论的"
                score = max(score, 0.95 * fuzz.partial_ratio(core, stripped))
            return score if score >= self._cjk_cutoff else None
        if len(stripped) < 4 or has_cjk(core):
            return None
        score = fuzz.ratio(core.replace(" ", ""), stripped.replace(" ", ""))
        return score if score >= self._latin_cutoff else None


def _edge(text: str, word: str, *, at_start: bool) -> bool:
    """Removing ``word`` from that end of ``text`` cuts at a word boundary."""
    if has_cjk(word):
        return True
    rest = text[len(word) :] if at_start else text[: -len(word)]
    return rest[:1] == " " if at_start else rest[-1:] == " "
