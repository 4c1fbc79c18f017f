"""Responding stages: recognise the utterance (choosing among the recogniser's readings when it
is unsure, and putting near-miss command words right where that is safe), let the assistant
take the turn, synthesise the reply sentence by sentence, first sentence first."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

from codriver.assistant.session import Assistant
from codriver.errors import CodriverError, InputError
from codriver.text import Lang, detect_lang
from codriver.vehicle.seats import Seat
from codriver.voice.frames import Frame, Heard, Replied, SpeechEnded, SpeechOut, SpeechPaused
from codriver.voice.listen import LoopState
from codriver.voice.ports import Audio, Recognizer, Synthesizer, Transcript
from codriver.voice.rescore import Understand, choose

_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")


class AsrStage:
    """Recognition, started speculatively on the first silence after speech so that it runs
    while the hangover decides whether the utterance is over; a result for audio that speech
    then continued is dropped, and the utterance is recognised whole."""

    def __init__(
        self,
        recognizer: Recognizer,
        *,
        lang: Callable[[], Lang | None] = lambda: None,
        correct: bool = True,
        speculate: bool = True,
        understand: Understand | None = None,
    ) -> None:
        self.recognizer = recognizer
        self.lang = lang
        self.correct = correct
        self.understand = understand
        self.speculate = speculate
        self._early: tuple[SpeechPaused, asyncio.Task[tuple[Transcript, float]]] | None = None

    async def process(self, frame: Frame, state: LoopState) -> list[Frame]:
        if isinstance(frame, SpeechPaused) and self.speculate:
            task = asyncio.create_task(asyncio.to_thread(self._timed, frame.audio))
            self._early = (frame, task)
            return [frame]
        if not isinstance(frame, SpeechEnded):
            return [frame]
        early, self._early = self._early, None
        if early is not None and early[0].at == frame.at:  # no speech since the pause
            heard, ms = await early[1]
            overlap = min(ms, (frame.confirmed_at - early[0].paused_at) * 1000)
        else:
            heard, ms = await asyncio.to_thread(self._timed, frame.audio)
            overlap = 0.0
        raw = heard.text.strip()
        lang = heard.lang if raw else (self.lang() or "en")
        if self.correct and raw:
            text = (await choose(replace(heard, text=raw, lang=lang), self.understand)).text
        else:
            text = raw
        transcript = Transcript(text, lang, True, heard.confidence, heard.no_speech)
        return [frame, Heard(transcript, raw, frame.confirmed_at, frame.seat, ms, overlap)]

    def _timed(self, audio: Audio) -> tuple[Transcript, float]:
        started = time.perf_counter()
        heard = self.recognizer.transcribe(audio, self.lang())
        return heard, (time.perf_counter() - started) * 1000


class AssistantStage:
    def __init__(self, assistant: Assistant, *, seat: Seat = "driver") -> None:
        self.assistant = assistant
        self.seat = seat

    async def process(self, frame: Frame, state: LoopState) -> list[Frame]:
        if not isinstance(frame, Heard) or not frame.transcript.text:
            return [frame]
        started = time.perf_counter()
        try:
            result = await self.assistant.say(frame.transcript.text, seat=frame.seat or self.seat)
        except InputError:
            return [frame]
        ms = (time.perf_counter() - started) * 1000
        return [frame, Replied(result, frame, ms)]


class TtsStage:
    def __init__(self, synthesizers: Callable[[Lang], Synthesizer]) -> None:
        self.synthesizers = synthesizers

    async def process(self, frame: Frame, state: LoopState) -> AsyncIterator[Frame]:
        """Each sentence goes on as soon as it is synthesised: the first plays while the next
        is made."""
        yield frame
        if not isinstance(frame, Replied) or not frame.result.reply:
            return
        lang = frame.result.lang or detect_lang(frame.result.reply)
        voice = self.synthesizers(lang)
        sentences = [s for s in _SENTENCE.split(frame.result.reply) if s.strip()]
        first = True
        for sentence in sentences:
            started = time.perf_counter()
            try:
                audio = await asyncio.to_thread(voice.synthesize, sentence, lang)
            except CodriverError:  # no voice for this language here: the reply stays text only
                continue
            ms = (time.perf_counter() - started) * 1000
            yield SpeechOut(audio, sentence, lang, first, ms)
            first = False
