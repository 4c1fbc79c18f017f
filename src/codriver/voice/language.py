"""Which language to hear an utterance in, when the loop is not told (``--lang auto``).

Detecting the language costs Whisper base a pass of its encoder, as much as transcribing, and
English then wants the faster tiny.en. So the loop decides it cheaply where it can
(:class:`~codriver.voice.listen.LoopState` ``lang``): the wake phrase that opened the
conversation says it (hey jarvis: English, 你好小驰: Mandarin), and a follow-up is heard in the
language of the turn before. Only the first utterance of a conversation that nothing else
decides is detected. :class:`AutoLanguage` is the recogniser for that: it detects when it must,
hears English on tiny.en, and hears again, detecting, an utterance that the expected language
fits badly (a passenger answering in the other language).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from codriver.text import Lang
from codriver.voice.audio import to_rate
from codriver.voice.ports import RATE, Audio, Recognizer, Transcript

FITS_BADLY = 0.5
"""A transcript less confident than this (the exponential of the mean token log-probability) is
heard again with the language detected. Whisper in the wrong language scores 0.1–0.4 on the
project's commands; in the right one 0.65–0.95 (docs/benchmarks.md, "Wake phrase")."""


class Detecting(Protocol):
    """A multilingual recogniser that can tell the language of some audio."""

    name: str

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript: ...

    def detect(self, samples: np.ndarray) -> Lang: ...  # type: ignore[type-arg]


class AutoLanguage:
    """:class:`~codriver.voice.ports.Recognizer` for both languages: ``english`` (tiny.en) for
    English, ``multilingual`` (base) for Mandarin and to detect the language when none is given
    or the given one fits badly."""

    def __init__(
        self, english: Recognizer, multilingual: Detecting, *, fits_badly: float = FITS_BADLY
    ) -> None:
        self.english = english
        self.multilingual = multilingual
        self.fits_badly = fits_badly
        self.name = f"{multilingual.name}+{english.name}"
        self.detections = 0

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        if lang is None:
            return self._hear(audio, self.detect(audio))
        heard = self._hear(audio, lang)
        if heard.confidence is None or heard.confidence >= self.fits_badly:
            return heard
        other = self.detect(audio)
        if other == lang:
            return heard
        again = self._hear(audio, other)
        return again if (again.confidence or 0.0) > heard.confidence else heard

    def detect(self, audio: Audio) -> Lang:
        self.detections += 1
        samples = np.frombuffer(to_rate(audio, RATE).pcm, dtype="<i2").astype(np.float32) / 32768
        return self.multilingual.detect(samples)

    def _hear(self, audio: Audio, lang: Lang) -> Transcript:
        chosen = self.english if lang == "en" else self.multilingual
        return chosen.transcribe(audio, lang)
