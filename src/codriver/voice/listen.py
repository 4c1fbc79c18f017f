"""Listening stages: the wake word opens the microphone; voice activity cuts utterances out of
the stream; speech over a playing reply interrupts it (barge-in)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from codriver.text import Lang
from codriver.vehicle.seats import Seat
from codriver.voice.frames import (
    AudioIn,
    Frame,
    Interrupted,
    SpeechEnded,
    SpeechPaused,
    SpeechStarted,
    WakeHeard,
)
from codriver.voice.ports import RATE, Audio, VoiceActivity, WakeWord

HANGOVER_S = 0.25
"""Silence that ends an utterance. Short, in-car commands: on the project's test set 0.25 s
misses no more commands than 0.3 s and keeps actuation under 300 ms (docs/benchmarks.md); a
speaker who pauses mid-command wants more (``--hangover 0.4``)."""


@dataclass
class LoopState:
    """What the stages share: until when the loop listens without a wake word, and until when a
    reply is playing (stream time, seconds)."""

    awake_until: float = float("-inf")
    playing_from: float = float("-inf")
    playing_until: float = float("-inf")
    called: bool = False
    """The car was called by name (a wake word or phrase) for the next utterance: it is
    addressed to the car whatever it says. Utterances in a follow-up window are not."""
    lang: Lang | None = None
    """The conversation's language, once known: from the wake phrase said, or the last turn."""

    def playing(self, at: float) -> bool:
        return self.playing_from <= at < self.playing_until

    def listening(self, at: float) -> bool:
        return at < self.awake_until or self.playing(at)


class WakeStage:
    """Passes audio on only while the loop listens; otherwise waits for the wake word.

    Without a wake-word engine every utterance is heard (push-to-talk, or a file of commands).
    With ``gate=False`` all audio goes on, for a later stage that spots a spoken wake phrase in
    the utterances (:class:`~codriver.voice.spotter.PhraseStage`); the wake word still opens the
    microphone. ``lang`` is the language of the wake word's phrase ("hey jarvis": English)."""

    def __init__(
        self,
        wake: WakeWord | None,
        *,
        listen_s: float = 6.0,
        gate: bool = True,
        lang: Lang | None = None,
    ) -> None:
        self.wake = wake
        self.listen_s = listen_s
        self.gate = gate
        self.lang = lang
        self._pending = b""

    async def process(self, frame: Frame, state: LoopState) -> list[Frame]:
        if not isinstance(frame, AudioIn):
            return [frame]
        if self.wake is None or state.listening(frame.at):
            self._pending = b""
            return [frame]
        passed: list[Frame] = [] if self.gate else [frame]
        self._pending += frame.pcm
        size = self.wake.chunk_bytes
        heard = False
        while len(self._pending) >= size:
            piece, self._pending = self._pending[:size], self._pending[size:]
            heard = self.wake.process(piece) or heard
        if not heard:
            return passed
        self.wake.reset()
        self._pending = b""
        state.awake_until = frame.at + self.listen_s
        state.called, state.lang = True, self.lang or state.lang
        return [*passed, WakeHeard(frame.at, self.wake.name, self.lang)]


@dataclass
class _Utterance:
    start: float
    pcm: bytearray = field(default_factory=bytearray)
    last_voice: float = 0.0
    voiced_bytes: int = 0
    seats: Counter[Seat] = field(default_factory=Counter)
    paused: bool = False
    heard: bool = True
    """The loop listened when it began: its speech keeps the loop listening until it ends."""
    gaps: list[tuple[float, float]] = field(default_factory=list)


class VadStage:
    """Cuts utterances out of the audio it is given, by voice activity with a hangover."""

    def __init__(
        self,
        vad: VoiceActivity,
        *,
        threshold: float = 0.5,
        hangover_s: float = HANGOVER_S,
        preroll_s: float = 0.2,
        min_speech_s: float = 0.15,
        max_s: float = 12.0,
    ) -> None:
        self.vad = vad
        self.threshold = threshold
        self.hangover_s = hangover_s
        self.preroll = int(preroll_s * RATE) * 2
        self.min_speech_bytes = int(min_speech_s * RATE) * 2
        self.max_bytes = int(max_s * RATE) * 2
        self._pending = b""
        self._pending_at = 0.0
        self._history = bytearray()
        self._open: _Utterance | None = None

    async def process(self, frame: Frame, state: LoopState) -> list[Frame]:
        if not isinstance(frame, AudioIn):
            return [frame]
        if not self._pending:
            self._pending_at = frame.at
        self._pending += frame.pcm
        out: list[Frame] = []
        size = self.vad.chunk_bytes
        while len(self._pending) >= size:
            piece, self._pending = self._pending[:size], self._pending[size:]
            at = self._pending_at
            self._pending_at += size / 2 / RATE
            out.extend(self._chunk(piece, at, frame.seat, state))
        return out

    def _chunk(self, pcm: bytes, at: float, seat: Seat | None, state: LoopState) -> list[Frame]:
        end = at + len(pcm) / 2 / RATE
        speech = self.vad.speech_probability(pcm) >= self.threshold
        utterance = self._open
        if utterance is None:
            self._history = (self._history + pcm)[-self.preroll :]
            if not speech:
                return []
            start = at - (len(self._history) - len(pcm)) / 2 / RATE
            utterance = _Utterance(start, bytearray(self._history), end)
            utterance.heard = state.listening(at)
            if not utterance.heard:
                state.lang = None  # a new conversation: its language is yet to be known
            self._open = utterance
            out: list[Frame] = []
            if state.playing(at):
                out.append(Interrupted(at))
                state.playing_until = at
            out.append(SpeechStarted(start))
        else:
            out = []
            utterance.pcm += pcm
        if speech:
            if at > utterance.last_voice:
                utterance.gaps.append((utterance.last_voice, at))
            utterance.last_voice = end
            utterance.voiced_bytes += len(pcm)
            if seat is not None:
                utterance.seats[seat] += 1
            if utterance.heard:
                state.awake_until = max(state.awake_until, end + self.hangover_s)
        silent_for = end - utterance.last_voice
        if silent_for < self.hangover_s and len(utterance.pcm) < self.max_bytes:
            if (
                not speech
                and not utterance.paused
                and utterance.voiced_bytes >= self.min_speech_bytes
            ):
                utterance.paused = True
                voice = self._voice(utterance, silent_for)
                out.append(SpeechPaused(voice, utterance.last_voice, end))
            if speech:
                utterance.paused = False
            return out
        self._open = None
        self._history = bytearray()
        self.vad.reset()
        if utterance.voiced_bytes < self.min_speech_bytes:
            return out
        seat_of = utterance.seats.most_common(1)[0][0] if utterance.seats else None
        voice = self._voice(utterance, silent_for)
        gaps = tuple(utterance.gaps)
        out.append(SpeechEnded(voice, utterance.last_voice, end, seat_of, utterance.start, gaps))
        return out

    def _voice(self, utterance: _Utterance, silent_for: float) -> Audio:
        """The utterance up to its last voiced chunk and one chunk of silence after it: the same
        audio whether cut at the first silence (speculatively) or at the end of the hangover."""
        voiced_end = len(utterance.pcm) - round(silent_for * RATE) * 2
        return Audio(bytes(utterance.pcm[: max(0, voiced_end + self.vad.chunk_bytes)]))
