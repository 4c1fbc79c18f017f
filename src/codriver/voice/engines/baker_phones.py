"""Chinese text to the phone ids of the Baker (标贝) FastSpeech2 voice: each syllable's pinyin
(pypinyin, tone-numbered, neutral tone 5) split into the initial and the toned final that the
voice's ``baker_mapper.json`` lists, ``#0`` between syllables, ``#3`` (a phrase break) at a
comma or other pause mark, ``sil`` at both ends and ``eos`` last.

The text should already be normalised for speech (``codriver.voice.speech_text``): the voice
knows Chinese syllables only, so digits, symbols and Latin words left in it are not said.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from codriver.voice.engines.offline import VoiceUnavailable

_TONED = re.compile(r"[a-z]+[1-5]")
_PAUSES = frozenset("，,、；;：:。.！!？?…—")
_SYLLABLE_GAP, _PHRASE_BREAK, _SILENCE, _END = "#0", "#3", "sil", "eos"


MOST_SYLLABLES = 60
"""Syllables the voice is given at once (it fails past about 20 s of speech, ~90 syllables)."""


def _count(pinyin: list[str]) -> int:
    return sum(bool(_TONED.fullmatch(item)) for item in pinyin)


@dataclass(frozen=True, slots=True)
class PhoneSet:
    """The voice's ``baker_mapper.json``: symbol ids and each pinyin syllable's phones."""

    ids: dict[str, int]
    syllables: dict[str, tuple[str, str]]

    @classmethod
    def load(cls, mapper: Path) -> PhoneSet:
        raw = json.loads(mapper.read_text(encoding="utf-8"))
        syllables = {str(k): (str(v[0]), str(v[1])) for k, v in raw["pinyin_dict"].items()}
        return cls({str(k): int(v) for k, v in raw["symbol_to_id"].items()}, syllables)

    def phones(self, pinyin: list[str]) -> list[str]:
        """``["da3", "kai1", "，", …]`` → ``["sil", "d", "a3", "#0", "k", "ai1", "#3", …]``."""
        out = [_SILENCE]
        for item in pinyin:
            split = self.syllables.get(item[:-1]) if _TONED.fullmatch(item) else None
            if split is not None:
                out += [split[0], split[1] + item[-1], _SYLLABLE_GAP]
            elif any(c in _PAUSES for c in item) and out[-1] == _SYLLABLE_GAP:
                out[-1] = _PHRASE_BREAK
            # anything else (a Latin word, a symbol) is not something this voice can say
        while out[-1] in (_SYLLABLE_GAP, _PHRASE_BREAK):
            out.pop()
        return [*out, _SILENCE]

    def pieces(self, pinyin: list[str], most: int = MOST_SYLLABLES) -> list[list[str]]:
        """The pinyin cut into pieces of at most ``most`` syllables, at pause marks where it
        can be: the model says no more than about 20 s at once."""
        pieces: list[list[str]] = [[]]
        clause: list[str] = []
        for item in [*pinyin, "。"]:
            clause.append(item)
            if _TONED.fullmatch(item) and len(clause) < most:
                continue
            if not _TONED.fullmatch(item) and not any(c in _PAUSES for c in item):
                continue
            if _count(pieces[-1]) + _count(clause) > most:
                pieces.append([])
            pieces[-1] += clause
            clause = []
        return [piece for piece in pieces if _count(piece)]

    def encode(self, phones: list[str]) -> list[int]:
        return [self.ids[p] for p in phones] + [self.ids[_END]]


@cache
def readings() -> dict[str, list[str]]:
    """``data/zh_readings.yaml``: words whose reading pypinyin's dictionary gets wrong in
    replies (调到 is tiao2 dao4, not diao4 dao4)."""
    text = resources.files("codriver.voice.engines").joinpath("data/zh_readings.yaml")
    raw: dict[str, str] = yaml.safe_load(text.read_text(encoding="utf-8"))
    return {str(word): str(reading).split() for word, reading in raw.items()}


def pinyin_reader() -> Callable[[str], list[str]]:
    """Text → tone-numbered pinyin per character (``打开，`` → ``["da3", "kai1", "，"]``), with
    the tone changes Mandarin speakers make (两个三声, 一, 不) and the readings of
    :func:`readings`."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError as exc:
        raise VoiceUnavailable("pypinyin") from exc
    fixed = readings()
    words = re.compile("|".join(sorted(map(re.escape, fixed), key=len, reverse=True)))

    def plain(text: str) -> list[str]:
        syllables: list[str] = lazy_pinyin(
            text, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=True
        )
        # 嗯 (n, ng, m) is read with the voice's nearest syllable, en
        return [f"en{s[-1]}" if s[:-1] in ("n", "ng", "m") else s for s in syllables]

    def read(text: str) -> list[str]:
        out: list[str] = []
        start = 0
        for found in words.finditer(text):
            out += plain(text[start : found.start()]) + fixed[found.group(0)]
            start = found.end()
        return out + plain(text[start:])

    return read
