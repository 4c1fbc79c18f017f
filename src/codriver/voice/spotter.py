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
import copy
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from codriver.voice.frames import (
    Frame,
    Heard,
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
    cut: bool = False
    """The utterance goes on past the head without a pause: it was cut at the longest a
    phrase may take."""


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
        same_breath: bool = True,
    ) -> None:
        self.recognizer = recognizer
        self.phrases = tuple(phrases)
        self.listen_s = listen_s
        self.preroll_s = preroll_s
        self.same_breath = same_breath
        self.low = min(p.seconds[0] for p in self.phrases)
        self.high = max(p.seconds[1] for p in self.phrases)
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
        """The first stage: the opening stretch up to a pause, if as long as a phrase may take;
        else the whole utterance if it is; else, with ``same_breath``, its first seconds."""
        for start, end in frame.gaps:
            voiced = start - frame.start - self.preroll_s
            if end - start >= PAUSE_S and voiced >= self.low:
                if voiced <= self.high:
                    return Head(voiced, start - frame.start, end - frame.start)
                break
        voiced = frame.at - frame.start - self.preroll_s
        if voiced < self.low:
            return None
        if voiced <= self.high:
            return Head(voiced, frame.at - frame.start, None)
        if not self.same_breath:
            return None
        return Head(self.high, self.high + self.preroll_s, None, cut=True)

    def _spot(self, audio: Audio, head: Head) -> Spotted:
        started = time.perf_counter()
        cut = _clip(audio, 0.0, head.ends + PAUSE_S)
        text = self.recognizer.transcribe(cut, self.phrases[0].lang).text
        match = next(filter(None, (match_start(p, text) for p in self.phrases)), None)
        return Spotted(match, text, (time.perf_counter() - started) * 1000)

    def _woken(
        self, frame: SpeechEnded, head: Head, match: PhraseMatch, state: LoopState
    ) -> list[Frame]:
        woke_at = frame.start + head.ends
        state.awake_until = max(state.awake_until, frame.confirmed_at + self.listen_s)
        state.called, state.lang = True, match.phrase.lang
        out: list[Frame] = [WakeHeard(woke_at, match.phrase.text, match.phrase.lang)]
        if head.rest_from is None and (head.cut or _syllables(match.rest)):
            out.append(frame)  # the command in the same breath: NameStage drops the phrase
        elif head.rest_from is not None:
            begin = max(head.ends, head.rest_from - self.preroll_s)
            rest = _clip(frame.audio, begin, None)
            gaps = tuple(g for g in frame.gaps if g[0] > frame.start + head.rest_from)
            out.append(
                SpeechEnded(
                    rest, frame.at, frame.confirmed_at, frame.seat, frame.start + begin, gaps
                )
            )
        return out


class NameStage:
    """After recognition: a command said in one breath with the wake phrase is heard with the
    phrase at its start (你好小池打开车窗); the name is no part of the command."""

    def __init__(self, phrases: Sequence[WakePhrase]) -> None:
        self.phrases = tuple(phrases)

    async def process(self, frame: Frame, state: LoopState) -> list[Frame]:
        if not isinstance(frame, Heard) or not state.called:
            return [frame]
        for phrase in self.phrases:
            match = match_start(phrase, frame.transcript.text)
            if match is not None:
                return [replace(frame, transcript=replace(frame.transcript, text=match.rest))]
        return [frame]


def brief(recognizer: Recognizer, phrases: Sequence[WakePhrase]) -> Recognizer:
    """The recogniser as the spotter uses it: a Whisper recogniser shares its model but writes
    no more than a phrase and a few syllables after it (unclear audio makes Whisper loop)."""
    if not hasattr(recognizer, "max_new_tokens"):
        return recognizer
    longest = max(len(p.sounds) for p in phrases)
    short = copy.copy(recognizer)
    short.max_new_tokens = 2 * (longest + wake_rules().extra_syllables) + 2  # type: ignore[attr-defined]
    return short


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
