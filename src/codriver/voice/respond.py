"""Responding stages: recognise the utterance (choosing among the recogniser's readings when it
is unsure, and putting near-miss command words right where that is safe), let the assistant
take the turn, synthesise the reply sentence by sentence, first sentence first."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

from codriver.assistant.session import Accept, Assistant
from codriver.errors import CodriverError, InputError
from codriver.text import Lang, detect_lang
from codriver.vehicle.seats import Seat
from codriver.voice.frames import Frame, Heard, Replied, SpeechEnded, SpeechOut, SpeechPaused
from codriver.voice.listen import LoopState
from codriver.voice.ports import Audio, Recognizer, Synthesizer, Transcript
from codriver.voice.rescore import Understand, choose
from codriver.voice.speech_text import speech_text

_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")
"""A sentence ends at . ! ? before a space (not inside 21.5 or 1.6公里) or at 。！？."""
_CLAUSE = re.compile(r"(?<=[,;:])\s+|(?<=[，；：])\s*")
"""A clause ends at a comma, semicolon or colon (not inside 1,000)."""


def spoken_pieces(reply: str, *, first_clause: bool = True) -> list[str]:
    """The reply in the pieces the voice says one after another: its sentences, and with
    ``first_clause`` the first sentence's first clause on its own, so that audio starts after
    synthesising a few words rather than a whole sentence."""
    pieces = [s for s in _SENTENCE.split(reply) if s.strip()]
    if first_clause and pieces:
        head, *tail = _CLAUSE.split(pieces[0], maxsplit=1)
        if tail and tail[0].strip():
            pieces[:1] = [head, tail[0]]
    return pieces


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
        lang = self.lang() or state.lang  # none given: the conversation's, once known
        if isinstance(frame, SpeechPaused) and self.speculate:
            task = asyncio.create_task(asyncio.to_thread(self._timed, frame.audio, lang))
            self._early = (frame, task)
            return [frame]
        if not isinstance(frame, SpeechEnded):
            return [frame]
        early, self._early = self._early, None
        if early is not None and early[0].at == frame.at:  # no speech since the pause
            heard, ms = await early[1]
            overlap = min(ms, (frame.confirmed_at - early[0].paused_at) * 1000)
        else:
            heard, ms = await asyncio.to_thread(self._timed, frame.audio, lang)
            overlap = 0.0
        raw = heard.text.strip()
        lang = heard.lang if raw else (lang or "en")
        if self.correct and raw:
            text = (await choose(replace(heard, text=raw, lang=lang), self.understand)).text
        else:
            text = raw
        transcript = Transcript(text, lang, True, heard.confidence, heard.no_speech)
        return [frame, Heard(transcript, raw, frame.confirmed_at, frame.seat, ms, overlap)]

    def _timed(self, audio: Audio, lang: Lang | None) -> tuple[Transcript, float]:
        started = time.perf_counter()
        heard = self.recognizer.transcribe(audio, lang)
        return heard, (time.perf_counter() - started) * 1000


class AssistantStage:
    """The assistant takes the turn. With ``accept`` (a loop that has a wake word), an utterance
    the car was not called for by name — one in a follow-up window — is taken only if ``accept``
    judges the assistant's plan for it said to the car; otherwise it changes nothing and the
    window closes (:mod:`codriver.voice.address`)."""

    def __init__(
        self, assistant: Assistant, *, seat: Seat = "driver", accept: Accept | None = None
    ) -> None:
        self.assistant = assistant
        self.seat = seat
        self.accept = accept

    async def process(self, frame: Frame, state: LoopState) -> list[Frame]:
        if not isinstance(frame, Heard) or not frame.transcript.text:
            return [frame]
        started = time.perf_counter()
        called, state.called = state.called, False
        accept = None if called else self.accept
        try:
            result = await self.assistant.say(
                frame.transcript.text, seat=frame.seat or self.seat, accept=accept
            )
        except InputError:
            return [frame]
        if accept is not None and result.outcome == "none":
            state.awake_until = min(state.awake_until, frame.at)  # not for the car: window shut
            return [frame]
        state.lang = frame.transcript.lang
        ms = (time.perf_counter() - started) * 1000
        return [frame, Replied(result, frame, ms)]


class TtsStage:
    """Synthesis: each sentence of the reply (the first sentence's first clause on its own, see
    :func:`spoken_pieces`), normalised for speech in its language
    (:func:`~codriver.voice.speech_text.speech_text`: units, times, numbers, abbreviations in
    words), goes to the voice; ``speak`` replaces that step for a voice that does its own."""

    def __init__(
        self,
        synthesizers: Callable[[Lang], Synthesizer],
        *,
        speak: Callable[[str, Lang], str] = speech_text,
        first_clause: bool = True,
    ) -> None:
        self.synthesizers = synthesizers
        self.speak = speak
        self.first_clause = first_clause
        for lang in ("en", "zh"):  # loads the words and number readers now, not on a first reply
            speak("1 km", lang)

    async def process(self, frame: Frame, state: LoopState) -> AsyncIterator[Frame]:
        """Each sentence goes on as soon as it is synthesised: the first plays while the next
        is made."""
        yield frame
        if not isinstance(frame, Replied) or not frame.result.reply:
            return
        lang = frame.result.lang or detect_lang(frame.result.reply)
        voice = self.synthesizers(lang)
        first = True
        for written in spoken_pieces(frame.result.reply, first_clause=self.first_clause):
            started = time.perf_counter()
            sentence = self.speak(written, lang)
            try:
                audio = await asyncio.to_thread(voice.synthesize, sentence, lang)
            except CodriverError:  # no voice for this language here: the reply stays text only
                continue
            ms = (time.perf_counter() - started) * 1000
            yield SpeechOut(audio, sentence, lang, first, ms)
            first = False
