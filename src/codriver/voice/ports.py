"""The voice loop's ports: what a wake-word spotter, a voice-activity detector, a speech
recogniser and a synthesiser must offer. Engines (offline ones shipped as the ``[voice]`` extra,
or a production server over the network) are adapters behind these protocols.

Audio crosses the ports as 16-bit little-endian mono PCM (``bytes``) with its sample rate, so the
ports need no array library; engines convert as they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from codriver.text import Lang

RATE = 16_000
"""The sample rate of captured audio throughout the loop (Hz)."""


@dataclass(frozen=True, slots=True)
class Audio:
    """A stretch of 16-bit mono PCM."""

    pcm: bytes
    rate: int = RATE

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.rate


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another reading of the same audio, with the recogniser's confidence in it (0–1)."""

    text: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Transcript:
    """What a recogniser heard. ``final`` is False for a partial result while speech goes on.

    ``confidence`` (0–1, None when the recogniser gives none) is how sure the recogniser is of
    ``text``: for Whisper the geometric mean of its token probabilities. ``no_speech`` is its
    probability that the audio held no speech at all. ``alternatives`` are other readings of the
    audio, best first, that a recogniser may give when it is unsure (n-best); empty otherwise."""

    text: str
    lang: Lang
    final: bool = True
    confidence: float | None = None
    no_speech: float | None = None
    alternatives: tuple[Alternative, ...] = ()


class WakeWord(Protocol):
    """Spots a wake word in a stream of captured audio."""

    name: str
    chunk_bytes: int
    """The size of the chunks ``process`` takes (e.g. 10 ms = 320 bytes at 16 kHz)."""

    def process(self, pcm: bytes) -> bool:
        """Feed one chunk; True when the wake word has just been heard."""
        ...

    def reset(self) -> None: ...


class VoiceActivity(Protocol):
    """Tells speech from silence and car noise, frame by frame."""

    chunk_bytes: int
    """The size of the chunks ``speech_probability`` takes (e.g. 32 ms = 1024 bytes)."""

    def speech_probability(self, pcm: bytes) -> float:
        """0 (no speech) to 1 (speech) for one chunk."""
        ...

    def reset(self) -> None: ...


class Recognizer(Protocol):
    """Speech to text. ``lang`` is the language expected (None: detect it)."""

    name: str

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript: ...


class Synthesizer(Protocol):
    """Text to speech in one language."""

    name: str

    def synthesize(self, text: str, lang: Lang) -> Audio: ...
