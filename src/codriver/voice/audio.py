"""Audio in and out of files and devices: reading any common audio file into 16 kHz int16
channels, writing 16-bit WAV, resampling, chunking by the loudest channel."""

from __future__ import annotations

import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from codriver.errors import InputError
from codriver.vehicle.seats import Seat
from codriver.voice.audio_file import decode
from codriver.voice.frames import AudioIn
from codriver.voice.level import level
from codriver.voice.ports import RATE, Audio
from codriver.voice.resampling import resample_float, resample_int16, to_int16


@dataclass(frozen=True, slots=True)
class Capture:
    """Captured audio: one row per channel (int16), at ``rate``; ``notes`` say what was done to
    it on the way in (a clipped recording lowered, a cut-short file read as far as it goes)."""

    channels: npt.NDArray[Any]
    rate: int
    notes: tuple[str, ...] = ()

    @property
    def seconds(self) -> float:
        return float(self.channels.shape[1] / self.rate)


def read_audio(path: Path) -> Capture:
    """Any audio file libsndfile reads (WAV of any layout, FLAC, OGG, MP3, …), every channel,
    brought to a level the models hear and resampled to 16 kHz with an anti-aliasing filter.
    A file that cannot be listened to raises :class:`InputError` with a one-line reason."""
    decoded = decode(path)
    rows, notes = level(decoded.samples)
    return Capture(to_int16(resample_float(rows, decoded.rate, RATE)), RATE, decoded.notes + notes)


def read_wav(path: Path) -> Capture:
    """:func:`read_audio` under its older name (it reads every format, not only WAV)."""
    return read_audio(path)


def write_wav(path: Path, pcm: bytes, rate: int) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)


def resample(samples: npt.NDArray[Any], rate: int, target: int) -> npt.NDArray[Any]:
    """int16 rows (or one row) from ``rate`` to ``target`` Hz, low-pass filtered first so that
    nothing above the new Nyquist frequency folds back (:mod:`codriver.voice.resampling`)."""
    return resample_int16(samples, rate, target)


def to_rate(audio: Audio, target: int = RATE) -> Audio:
    samples = np.frombuffer(audio.pcm, dtype="<i2")
    return Audio(resample(samples, audio.rate, target).astype("<i2").tobytes(), target)


def chunks(
    capture: Capture, seats: Sequence[Seat | None], chunk_s: float = 0.02
) -> Iterator[AudioIn]:
    """The capture in chunks: the loudest channel's PCM, its start time and that channel's seat.

    ``seats`` names each channel's seat (a microphone per seat, as a car's array gives); a mono
    capture with one seat always speaks from it."""
    if len(seats) != capture.channels.shape[0]:
        raise InputError(
            f"{capture.channels.shape[0]} channel(s) in the audio but {len(seats)} seat(s) given"
        )
    step = int(capture.rate * chunk_s)
    total = capture.channels.shape[1]
    for start in range(0, total - step + 1, step):
        block = capture.channels[:, start : start + step]
        loudest = int(np.argmax(np.abs(block.astype(np.int32)).sum(axis=1)))
        yield AudioIn(block[loudest].astype("<i2").tobytes(), start / capture.rate, seats[loudest])


def rms(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
