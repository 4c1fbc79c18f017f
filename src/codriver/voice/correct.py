"""Correcting a Mandarin transcript against the engine's own command space, by sound.

A small recogniser often writes a command word with characters that sound alike but mean nothing
here (做椅 for 座椅) or, in a noisy cabin or with an accent, sound nearly alike (zh/z, ch/c, sh/s,
n/l, in/ing, en/eng, an/ang — the confusions Chinese input methods offer as "fuzzy pinyin"). This
pass finds stretches of the transcript whose fuzzy pinyin equals that of a lexicon phrase (device,
action, mode, zone, colour words) and writes the phrase instead, so that a near miss still lands
on the right command. Character readings come from the engine's own table
(``understanding/data/zh/homophones.json``, generated from pypinyin).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from functools import cache

from codriver.understanding.lexicon import (
    _SOUNDALIKE_KINDS,
    LANGS,
)
from codriver.understanding.lexicon_files import phrase_entries, read_phrases, readings_table

_CJK = re.compile(r"[\u3400-\u9fff]")
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))
_MAX_READINGS = 64


def fuzzy(syllable: str) -> str:
    """A toneless pinyin syllable with the usual fuzzy pairs merged."""
    for long, short in _INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FINALS:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


class PinyinCorrector:
    """Rewrites near-miss command words in Chinese text to the lexicon's spelling."""

    def __init__(self, phrases: Iterable[str], readings: Mapping[str, tuple[str, ...]]) -> None:
        self.readings = readings
        self.index: dict[tuple[str, ...], str] = {}
        for phrase in sorted(set(phrases), key=len):
            if len(phrase) < 2 or not all(_CJK.match(c) and c in readings for c in phrase):
                continue
            for key in self._keys(phrase):
                self.index.setdefault(key, phrase)
        self.longest = max((len(k) for k in self.index), default=0)

    def correct(self, text: str) -> str:
        out: list[str] = []
        i = 0
        while i < len(text):
            found = self._match(text, i)
            if found is None:
                out.append(text[i])
                i += 1
            else:
                out.append(found[0])
                i += found[1]
        return "".join(out)

    def _match(self, text: str, i: int) -> tuple[str, int] | None:
        for n in range(min(self.longest, len(text) - i), 1, -1):
            window = text[i : i + n]
            if not all(c in self.readings for c in window):
                continue
            for key in self._keys(window):
                phrase = self.index.get(key)
                if phrase is not None:
                    return phrase, n
        return None

    def _keys(self, text: str) -> Iterable[tuple[str, ...]]:
        options = [sorted({fuzzy(r) for r in self.readings[c]}) for c in text]
        return itertools.islice(itertools.product(*options), _MAX_READINGS)


@cache
def command_corrector() -> PinyinCorrector:
    """The corrector over the Chinese lexicon's command words."""
    phrases = [
        phrase
        for lang in LANGS
        if lang == "zh"
        for phrase, tag in phrase_entries(read_phrases(lang), lang)
        if tag.kind in _SOUNDALIKE_KINDS
    ]
    return PinyinCorrector(phrases, readings_table())


def correct_transcript(text: str, lang: str) -> str:
    """The transcript with near-miss Chinese command words put right (English is left alone)."""
    return command_corrector().correct(text) if lang == "zh" else text
