"""Spotting a spoken wake phrase (你好小驰) with the recogniser the loop already has, in two
stages, for the languages no packaged wake-word model speaks.

1. **Cheap:** voice activity cuts utterances (it runs anyway); an utterance heard while the loop
   does not listen is a candidate only if its first voiced stretch — up to the first pause, or
   the whole utterance — lasts as long as the phrase could take to say.
2. **Costly, on candidates only:** the recogniser transcribes that stretch alone, in the phrase's
   language, and its sounds must begin with the phrase's (:mod:`codriver.voice.wake_phrase`).

A command said in the same breath after a pause (你好小驰，打开车窗) goes on as an utterance of its
own, addressed to the car; the phrase alone opens the microphone as a wake word does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from codriver.voice.frames import (
    Frame,
    SpeechEnded,
    SpeechPaused,
    SpeechStarted,
    WakeHeard,
)
from codriver.voice.listen import LoopState
from codriver.voice.ports import Audio, Recognizer
from codriver.voice.wake_phrase import PhraseMatch, WakePhrase, match_start, wake_rules

PAUSE_S = 0.1
"""The shortest silence that may end the phrase before a command in the same breath."""


@dataclass(frozen=True, slots=True)
class Head:
    """An utterance's first voiced stretch, and where the rest of it starts (None: nothing
    follows). Offsets are seconds into the utterance's audio."""

    voiced_s: float
    ends: float
    rest_from: float | None


@dataclass(frozen=True, slots=True)
class Spotted:
    """What the second stage made of a candidate."""

    match: PhraseMatch | None
    heard: str
    ms: float


class PhraseStage:
    """Lets through the utterances the loop listens to; of the others, spots the wake phrase.

    Place it after :class:`~codriver.voice.listen.VadStage`, fed all the audio (a
    :class:`~codriver.voice.listen.WakeStage` with ``gate=False``)."""

    def __init__(
        self,
        recognizer: Recognizer,
        phrases: Sequence[WakePhrase],
        *,
        listen_s: float = 6.0,
        preroll_s: float = 0.2,
    ) -> None:
        self.recognizer = recognizer
        self.phrases = tuple(phrases)
        self.listen_s = listen_s
        self.preroll_s = preroll_s
        self.low = min(p.seconds[0] for p in self.phrases)
        self.high = max(p.seconds[1] for p in self.phrases)
        self.extra = wake_rules().extra_syllables
        self.candidates = 0
        self.spotted: list[Spotted] = []
        self._heard = True
        self._woken_at = float("-inf")

    async def process(self, frame: Frame, state: LoopState) -> list[Frame]:
        if isinstance(frame, SpeechStarted):
            self._heard = state.listening(frame.at)
            return [frame] if self._heard else []
        if isinstance(frame, SpeechPaused):
            return [frame] if self._heard else []
        if isinstance(frame, WakeHeard):
            self._woken_at = frame.at
        if not isinstance(frame, SpeechEnded) or self._heard:
            return [frame]
        if frame.start <= self._woken_at <= frame.at:  # a wake word in this utterance
            return [_after(frame, self._woken_at)]
        head = self.head(frame)
        if head is None:
            return []
        self.candidates += 1
        spotted = await asyncio.to_thread(self._spot, frame.audio, head)
        self.spotted.append(spotted)
        if spotted.match is None:
            return []
        return self._woken(frame, head, spotted.match, state)

    def head(self, frame: SpeechEnded) -> Head | None:
        """The first stage: the opening stretch, if it is as long as a phrase may take."""
        for start, end in frame.gaps:
            voiced = start - frame.start - self.preroll_s
            if end - start >= PAUSE_S and voiced >= self.low:
                break
        else:
            voiced = frame.at - frame.start - self.preroll_s
            start, end = frame.at, -1.0
        if not self.low <= voiced <= self.high:
            return None
        rest = end - frame.start if end >= 0 else None
        return Head(voiced, start - frame.start, rest)

    def _spot(self, audio: Audio, head: Head) -> Spotted:
        started = time.perf_counter()
        cut = _clip(audio, 0.0, head.ends + PAUSE_S)
        lang = self.phrases[0].lang
        text = self.recognizer.transcribe(cut, lang).text
        match = None
        for phrase in self.phrases:
            match = match_start(phrase, text)
            if match is not None and len(_syllables(match.rest)) <= self.extra:
                break
            match = None
        return Spotted(match, text, (time.perf_counter() - started) * 1000)

    def _woken(
        self, frame: SpeechEnded, head: Head, match: PhraseMatch, state: LoopState
    ) -> list[Frame]:
        woke_at = frame.start + head.ends
        state.awake_until = max(state.awake_until, frame.confirmed_at + self.listen_s)
        state.called, state.lang = True, match.phrase.lang
        out: list[Frame] = [WakeHeard(woke_at, match.phrase.text, match.phrase.lang)]
        if head.rest_from is not None:
            begin = max(head.ends, head.rest_from - self.preroll_s)
            rest = _clip(frame.audio, begin, None)
            gaps = tuple(g for g in frame.gaps if g[0] > frame.start + head.rest_from)
            out.append(
                SpeechEnded(
                    rest, frame.at, frame.confirmed_at, frame.seat, frame.start + begin, gaps
                )
            )
        return out


def _after(frame: SpeechEnded, at: float) -> SpeechEnded:
    """The part of an utterance after ``at`` (a wake word said in it)."""
    audio = _clip(frame.audio, at - frame.start, None)
    gaps = tuple(g for g in frame.gaps if g[0] > at)
    return SpeechEnded(audio, frame.at, frame.confirmed_at, frame.seat, at, gaps)


def _clip(audio: Audio, begin: float, end: float | None) -> Audio:
    first = round(begin * audio.rate) * 2
    last = len(audio.pcm) if end is None else round(end * audio.rate) * 2
    return Audio(audio.pcm[first:last], audio.rate)


def _syllables(text: str) -> str:
    return "".join(c for c in text if "\u3400" <= c <= "\u9fff")
