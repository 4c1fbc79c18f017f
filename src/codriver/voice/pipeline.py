"""The voice loop: audio chunks in, through the stages (wake word → voice activity → recognition
→ the assistant → synthesis), reply audio out to a playback; barge-in and a follow-up window in
which no wake word is needed."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from typing import Any, Protocol

from codriver.voice.audio import to_rate
from codriver.voice.frames import (
    AudioIn,
    Frame,
    Interrupted,
    Replied,
    SpeechEnded,
    SpeechOut,
    Timing,
)
from codriver.voice.listen import LoopState
from codriver.voice.ports import RATE, Audio


class Stage(Protocol):
    """Takes a frame, gives frames: its own and the ones it passes on. ``process`` returns a
    list, or is an async generator when its frames come one by one (synthesis)."""

    def process(self, frame: Frame, state: LoopState) -> Any: ...


class Playback(Protocol):
    """Where reply audio goes: a speaker, or a timeline written to a file."""

    def play(self, audio: Audio, at: float) -> tuple[float, float]:
        """Play ``audio`` from stream time ``at`` (or after what is already playing); returns
        when it starts and ends."""
        ...

    def stop(self, at: float) -> None:
        """Cut off whatever would still be playing at ``at``."""
        ...


class Timeline:
    """A playback that writes to a buffer on the stream's clock: the file ``--out`` writes."""

    def __init__(self, rate: int = RATE) -> None:
        self.rate = rate
        self.pcm = bytearray()
        self.cut_at: list[float] = []

    def play(self, audio: Audio, at: float) -> tuple[float, float]:
        pcm = to_rate(audio, self.rate).pcm
        start = max(int(at * self.rate) * 2, len(self.pcm))
        self.pcm += bytes(start - len(self.pcm))
        self.pcm += pcm
        return start / 2 / self.rate, len(self.pcm) / 2 / self.rate

    def stop(self, at: float) -> None:
        cut = int(at * self.rate) * 2
        if cut < len(self.pcm):
            del self.pcm[cut:]
            self.cut_at.append(at)

    def audio(self, seconds: float = 0.0) -> Audio:
        """Everything played, padded with silence to at least ``seconds``."""
        pad = max(0, int(seconds * self.rate) * 2 - len(self.pcm))
        return Audio(bytes(self.pcm) + bytes(pad), self.rate)


class VoiceLoop:
    """Runs audio through the stages; keeps the per-utterance timings."""

    def __init__(
        self,
        stages: Sequence[Stage],
        playback: Playback,
        *,
        follow_up_s: float = 8.0,
        on_frame: Callable[[Frame], None] | None = None,
    ) -> None:
        self.stages = list(stages)
        self.playback = playback
        self.follow_up_s = follow_up_s
        self.on_frame = on_frame
        self.state = LoopState()
        self.timings: list[Timing] = []
        self._ended: SpeechEnded | None = None
        self._replied: Replied | None = None
        self._next_at = 0.0

    async def run(self, chunks: Iterable[AudioIn] | AsyncIterable[AudioIn]) -> None:
        if isinstance(chunks, AsyncIterable):
            async for chunk in chunks:
                await self.feed(chunk)
        else:
            for chunk in chunks:
                await self.feed(chunk)

    async def feed(self, chunk: AudioIn) -> None:
        async for frame in self._through(chunk, 0):
            self._sink(frame)

    async def _through(self, frame: Frame, index: int) -> AsyncIterator[Frame]:
        if index == len(self.stages):
            yield frame
            return
        produced = self.stages[index].process(frame, self.state)
        if inspect.isawaitable(produced):
            produced = await produced
        if isinstance(produced, AsyncIterable):
            async for out in produced:
                async for final in self._through(out, index + 1):
                    yield final
            return
        for out in produced:
            async for final in self._through(out, index + 1):
                yield final

    def _sink(self, frame: Frame) -> None:
        if self.on_frame is not None and not isinstance(frame, AudioIn):
            self.on_frame(frame)
        if isinstance(frame, SpeechEnded):
            self._ended = frame
        elif isinstance(frame, Replied):
            self._replied = frame
        elif isinstance(frame, Interrupted):
            self.playback.stop(frame.at)
        elif isinstance(frame, SpeechOut):
            self._speak(frame)

    def _speak(self, frame: SpeechOut) -> None:
        replied = self._replied
        if frame.first and replied is not None:
            took = (replied.heard.ms - replied.heard.overlap_ms + replied.ms + frame.ms) / 1000
            self._next_at = replied.heard.at + took
            ended = self._ended
            self.timings.append(
                Timing(
                    replied.heard.transcript.text,
                    frame.lang,
                    (ended.confirmed_at - ended.at) * 1000 if ended else 0.0,
                    replied.heard.ms,
                    replied.ms,
                    frame.ms,
                    ended.audio.seconds if ended else 0.0,
                    replied.heard.overlap_ms,
                )
            )
        start, end = self.playback.play(frame.audio, self._next_at)
        if frame.first:
            self.state.playing_from = start
        self.state.playing_until = end
        self.state.awake_until = end + self.follow_up_s
        self._next_at = end
