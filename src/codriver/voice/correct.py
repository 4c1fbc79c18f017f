"""Correcting a Mandarin transcript against the engine's own command space, by sound — only
where that cannot turn conversation into a command.

A small recogniser often writes a command word with characters that sound alike but mean nothing
here (做椅 for 座椅) or, in a noisy cabin or with an accent, sound nearly alike (zh/z, ch/c, sh/s,
n/l, in/ing, en/eng, an/ang — the confusions Chinese input methods offer as "fuzzy pinyin"). This
pass finds stretches of the transcript whose fuzzy pinyin equals that of a lexicon phrase (device,
action, mode, zone, colour words) and writes the phrase instead, so that a near miss still lands
on the right command. Character readings come from the engine's own table
(``understanding/data/zh/homophones.json``, generated from pypinyin).

Ordinary speech is full of syllables that sound like command words (欢迎大家来 holds 节能's
sounds), so the rewrite is applied only when all of these hold (:func:`gate`): the recogniser
said it was unsure of what it heard, the utterance is as short as a spoken command, and the
command words found — rewritten or already right — cover most of it. A sentence of news or
conversation with one sound-alike in it is left as it was heard.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from codriver.understanding.lexicon import (
    _SOUNDALIKE_KINDS,
    LANGS,
    lower,
)
from codriver.understanding.lexicon_files import (
    load_lexicon,
    phrase_entries,
    read_phrases,
    readings_table,
)
from codriver.voice.ports import Transcript

_CJK = re.compile(r"[\u3400-\u9fff]")
_UNIT = re.compile(r"[\u3400-\u9fff]|[^\W_\u3400-\u9fff]+")
"""What an utterance's length is counted in: each Chinese character, each run of letters or
digits (23 is one unit, as 二十三 would be one number)."""
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))
_MAX_READINGS = 64

UNSURE_BELOW = 0.6
"""A transcript whose confidence is below this is one the recogniser is unsure of (Whisper: an
average token log-probability under -0.51). Above it, or with no confidence given, the
transcript is taken as heard."""
MAX_UNITS = 14
"""The longest utterance that is corrected, in units (see ``_UNIT``): spoken commands are short
(打开座椅加热 is 6, 把空调温度调到二十三度 is 10); news and conversation run longer."""
MIN_COVER = 0.6
"""The least share of the utterance's units that command words must cover, once rewritten, for
the rewrite to stand."""
_COMMAND_KINDS = (*_SOUNDALIKE_KINDS, "value", "unit")


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


@dataclass(frozen=True, slots=True)
class Match:
    """A stretch ``text[start:end]`` that sounds like the lexicon phrase ``phrase``."""

    start: int
    end: int
    phrase: str
    heard: str

    @property
    def changed(self) -> bool:
        return self.phrase != self.heard


class PinyinCorrector:
    """Finds stretches of Chinese text that sound like lexicon command words."""

    def __init__(self, phrases: Iterable[str], readings: Mapping[str, tuple[str, ...]]) -> None:
        self.readings = readings
        self.index: dict[tuple[str, ...], str] = {}
        for phrase in sorted(set(phrases), key=len):
            if len(phrase) < 2 or not all(_CJK.match(c) and c in readings for c in phrase):
                continue
            for key in self._keys(phrase):
                self.index.setdefault(key, phrase)
        self.longest = max((len(k) for k in self.index), default=0)

    def matches(self, text: str) -> tuple[Match, ...]:
        """The command-word stretches, left to right, longest first at each place."""
        found: list[Match] = []
        i = 0
        while i < len(text):
            match = self._match(text, i)
            if match is None:
                i += 1
            else:
                found.append(match)
                i = match.end
        return tuple(found)

    def correct(self, text: str) -> str:
        """``text`` with every sound-alike stretch rewritten, unconditionally (see :func:`gate`
        for when that is wise)."""
        return rewrite(text, self.matches(text))

    def _match(self, text: str, i: int) -> Match | None:
        for n in range(min(self.longest, len(text) - i), 1, -1):
            window = text[i : i + n]
            if not all(c in self.readings for c in window):
                continue
            for key in self._keys(window):
                phrase = self.index.get(key)
                if phrase is not None:
                    return Match(i, i + n, phrase, window)
        return None

    def _keys(self, text: str) -> Iterable[tuple[str, ...]]:
        options = [sorted({fuzzy(r) for r in self.readings[c]}) for c in text]
        return itertools.islice(itertools.product(*options), _MAX_READINGS)


def rewrite(text: str, matches: Sequence[Match]) -> str:
    """``text`` with each match replaced by its phrase."""
    out, at = [], 0
    for match in matches:
        out += [text[at : match.start], match.phrase]
        at = match.end
    return "".join(out) + text[at:]


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


Verdict = Literal["corrected", "not_chinese", "sure", "long", "nothing_to_correct", "sparse"]


@dataclass(frozen=True, slots=True)
class Correction:
    """What the correction made of a transcript, and why (``verdict``)."""

    text: str
    verdict: Verdict
    rewritten: int = 0
    """How many characters were rewritten (做椅加热 → 座椅加热: one)."""

    @property
    def applied(self) -> bool:
        return self.verdict == "corrected"


def units(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each unit of ``text`` (see ``_UNIT``)."""
    return [m.span() for m in _UNIT.finditer(text)]


def gate(text: str, lang: str, confidence: float | None) -> Correction:
    """Corrects ``text`` only when the recogniser was unsure, the utterance is command-short and
    the command words cover most of it; otherwise ``text`` comes back as it was, with why."""
    if lang != "zh":
        return Correction(text, "not_chinese")
    if confidence is None or confidence >= UNSURE_BELOW:
        return Correction(text, "sure")
    spans = units(text)
    if len(spans) > MAX_UNITS:
        return Correction(text, "long")
    matches = command_corrector().matches(text)
    rewritten = sum(a != b for m in matches for a, b in zip(m.heard, m.phrase, strict=True))
    if not rewritten:
        return Correction(text, "nothing_to_correct")
    fixed = rewrite(text, matches)
    if _covered(fixed) < MIN_COVER * len(spans):
        return Correction(text, "sparse")
    return Correction(fixed, "corrected", rewritten)


def _covered(text: str) -> int:
    """How many units of ``text`` the engine's lexicon reads as command words: devices,
    actions, modes, zones, colours, values, units and numbers."""
    words = [
        (t.start, t.end)
        for t in load_lexicon().scan(lower(text))
        if t.kind == "number" or any(tag.kind in _COMMAND_KINDS for tag in t.tags)
    ]
    return sum(1 for s, e in units(text) if any(a <= s and e <= b for a, b in words))


def correct(heard: Transcript) -> Correction:
    """:func:`gate` on what a recogniser heard."""
    return gate(heard.text, heard.lang, heard.confidence)
