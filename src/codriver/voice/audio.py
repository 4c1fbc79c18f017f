"""Audio in and out of files and devices: 16-bit PCM WAV, channels, resampling, chunking."""

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
from codriver.voice.frames import AudioIn
from codriver.voice.ports import RATE, Audio


@dataclass(frozen=True, slots=True)
class Capture:
    """Captured audio: one row per channel (int16), at ``rate``."""

    channels: npt.NDArray[Any]
    rate: int

    @property
    def seconds(self) -> float:
        return float(self.channels.shape[1] / self.rate)


def read_wav(path: Path) -> Capture:
    """A 16-bit PCM WAV file, any rate and channel count, resampled to 16 kHz."""
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2:
                raise InputError(f"{path}: only 16-bit PCM WAV is supported")
            channels, rate = wav.getnchannels(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise InputError(f"{path}: not a readable WAV file ({exc})") from exc
    samples = np.frombuffer(raw, dtype="<i2").reshape(-1, channels).T
    return Capture(resample(samples, rate, RATE), RATE)


def write_wav(path: Path, pcm: bytes, rate: int) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)


def resample(samples: npt.NDArray[Any], rate: int, target: int) -> npt.NDArray[Any]:
    """Linear-interpolation resampling of int16 rows (enough for speech at these rates)."""
    if rate == target:
        return samples
    count = round(samples.shape[-1] * target / rate)
    old = np.arange(samples.shape[-1]) / rate
    new = np.arange(count) / target
    rows = np.atleast_2d(samples).astype(np.float32)
    out = np.stack([np.interp(new, old, row) for row in rows])
    clipped: npt.NDArray[np.float64] = np.clip(np.round(out), -32768, 32767)
    return clipped.astype(np.int16).reshape((*samples.shape[:-1], count))


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
