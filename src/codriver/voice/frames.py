"""The typed frames that flow through the voice loop, stage to stage.

Times (``at``) are seconds of stream time: how much captured audio had been heard when the frame
was made. A file is processed faster than real time, so stream time, not the wall clock, decides
wake windows, follow-up windows and when a reply would be playing.
"""

from __future__ import annotations

from dataclasses import dataclass

from codriver.assistant.result import TurnResult
from codriver.text import Lang
from codriver.vehicle.seats import Seat
from codriver.voice.ports import Audio, Transcript


@dataclass(frozen=True, slots=True)
class AudioIn:
    """A chunk of captured audio (mono for recognition) and the seat it came loudest from."""

    pcm: bytes
    at: float
    seat: Seat | None = None


@dataclass(frozen=True, slots=True)
class WakeHeard:
    at: float
    name: str
    lang: Lang | None = None
    """The language of the phrase, when it has one (你好小驰: Mandarin)."""


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    at: float


@dataclass(frozen=True, slots=True)
class SpeechPaused:
    """The first silence after speech: maybe the end. Recognition may start on ``audio`` now,
    while the hangover decides; if speech resumes, that result is dropped."""

    audio: Audio
    at: float
    """When the last voiced chunk ended."""
    paused_at: float
    """When the silence was first heard."""


@dataclass(frozen=True, slots=True)
class SpeechEnded:
    """One utterance, from its first to its last voiced chunk."""

    audio: Audio
    at: float
    """When the last voiced chunk ended: the end of speech, before the silence confirming it."""
    confirmed_at: float
    seat: Seat | None = None
    start: float = 0.0
    """When the utterance's audio begins (its first voiced chunk, less the pre-roll)."""
    gaps: tuple[tuple[float, float], ...] = ()
    """Silences inside the utterance (from, to): where a wake phrase may end and a command
    begin in the same breath."""


@dataclass(frozen=True, slots=True)
class Heard:
    """What the recogniser made of an utterance, and what the correction made of that."""

    transcript: Transcript
    raw: str
    at: float
    seat: Seat | None
    ms: float
    """Recognition time (wall clock)."""
    overlap_ms: float = 0.0
    """How much of it ran during the hangover, started on the first silence (speculatively)."""


@dataclass(frozen=True, slots=True)
class Replied:
    """The assistant's turn for an utterance."""

    result: TurnResult
    heard: Heard
    ms: float


@dataclass(frozen=True, slots=True)
class SpeechOut:
    """Synthesised reply audio, one sentence at a time; ``first`` marks a reply's first."""

    audio: Audio
    text: str
    lang: Lang
    first: bool
    ms: float


@dataclass(frozen=True, slots=True)
class Interrupted:
    """The occupant spoke over the reply: playback stops there."""

    at: float


@dataclass(frozen=True, slots=True)
class Timing:
    """One utterance's way through the loop, in milliseconds of processing time."""

    text: str
    lang: Lang
    endpoint_ms: float
    """From the last voiced chunk to the silence that confirmed the utterance was over."""
    asr_ms: float
    assistant_ms: float
    tts_first_ms: float
    speech_s: float
    asr_overlap_ms: float = 0.0
    """Recognition that ran during the hangover (started on the first silence)."""

    @property
    def to_actuation_ms(self) -> float:
        """End of speech → the assistant has acted: end-pointing, the part of recognition still
        left when the end was confirmed, the turn."""
        return self.endpoint_ms + self.asr_ms - self.asr_overlap_ms + self.assistant_ms

    @property
    def to_first_audio_ms(self) -> float:
        """End of speech → the first reply audio is ready to play."""
        return self.to_actuation_ms + self.tts_first_ms


Frame = (
    AudioIn
    | WakeHeard
    | SpeechStarted
    | SpeechPaused
    | SpeechEnded
    | Heard
    | Replied
    | SpeechOut
    | Interrupted
)
