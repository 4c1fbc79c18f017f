"""Fakes of the voice ports for tests of the loop: tones stand for words.

A tone's pitch says what it is (the wake word is a high tone, speech a low one) and a spoken
command's length picks its text from a script, so that tests are exact and need no models.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from codriver.text import Lang, detect_lang
from codriver.voice.ports import RATE, Audio, Transcript

ENGLISH_COMMANDS = (
    "Turn on the seat heating.",
    "Play some jazz.",
    "Close all the windows.",
    "Navigate to the nearest charging station.",
    "Make it a bit warmer.",
    "Set the temperature to 22 degrees.",
)
"""Commands the engine tests and benchmark have the packaged voices speak."""

MANDARIN_COMMANDS = (
    "打开空调，温度调到二十三度",
    "打开座椅加热",
    "氛围灯调成蓝色",
    "导航到最近的加油站",
    "关闭车窗",
    "播放周杰伦的歌",
    "把音量调小一点",
    "打开后备箱",
    "我有点冷",
    "打电话给妈妈",
)

WAKE_HZ = 1500.0
SPEECH_HZ = 300.0


def tone(seconds: float, hz: float = SPEECH_HZ, level: float = 0.3) -> npt.NDArray[Any]:
    t = np.arange(int(seconds * RATE)) / RATE
    wave: npt.NDArray[np.float64] = np.sin(2 * math.pi * hz * t)
    return (wave * level * 32767).astype(np.int16)


def silence(seconds: float) -> npt.NDArray[Any]:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def _crossings_per_s(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32)
    if samples.size < 2:
        return 0.0
    flips = np.count_nonzero(np.diff(np.signbit(samples).astype(np.int8)))
    return flips * RATE / samples.size / 2


def _loud(pcm: bytes) -> bool:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    return bool(samples.size) and float(np.sqrt(np.mean(samples**2))) > 1000


def _voiced_seconds(pcm: bytes) -> float:
    """From the first to the last loud 10 ms of the audio."""
    step = RATE // 100 * 2
    loud = [i for i in range(0, len(pcm) - step + 1, step) if _loud(pcm[i : i + step])]
    return (loud[-1] - loud[0] + step) / 2 / RATE if loud else 0.0


class ToneVAD:
    """Speech is any loud chunk."""

    chunk_bytes = 1024

    def speech_probability(self, pcm: bytes) -> float:
        return 1.0 if _loud(pcm) else 0.0

    def reset(self) -> None:
        pass


class ToneWake:
    """The wake word is a loud high tone of at least 0.2 s; like a real spotter, it fires when
    the word is over."""

    name = "tone"
    chunk_bytes = 320

    def __init__(self) -> None:
        self._run = 0

    def process(self, pcm: bytes) -> bool:
        high = _loud(pcm) and _crossings_per_s(pcm) > (WAKE_HZ + SPEECH_HZ) / 2
        long_enough = self._run * self.chunk_bytes / 2 / RATE >= 0.2
        self._run = self._run + 1 if high else 0
        return long_enough and not high

    def reset(self) -> None:
        self._run = 0


class ScriptedRecognizer:
    """Hears the text the script gives for an utterance's length (to the tenth of a second)."""

    name = "scripted"

    def __init__(self, script: Mapping[float, str], confidence: float | None = None) -> None:
        self.script = dict(script)
        self.confidence = confidence
        self.heard: list[float] = []

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        voiced = _voiced_seconds(audio.pcm)
        length = min(self.script, key=lambda s: abs(s - voiced)) if self.script else 0.0
        self.heard.append(voiced)
        text = self.script.get(length, "") if abs(length - voiced) < 0.15 else ""
        return Transcript(
            text, detect_lang(text) if text else (lang or "en"), True, self.confidence
        )


class ToneSynthesizer:
    """Speaks a mid tone, 40 ms per character."""

    name = "tone"

    def __init__(self) -> None:
        self.spoken: list[str] = []

    def synthesize(self, text: str, lang: Lang) -> Audio:
        self.spoken.append(text)
        return Audio(tone(0.04 * len(text), 600.0).astype("<i2").tobytes())


def car_noise(seconds: float, seed: int = 0) -> npt.NDArray[Any]:
    """Generated cabin noise, no recording needed: road and engine rumble (brown noise, most of
    its energy below a few hundred hertz), a little broadband wind hiss, and the slow swell of a
    road surface. Float samples of unit RMS."""
    rng = np.random.default_rng(seed)
    count = round(seconds * RATE)
    brown = np.cumsum(rng.standard_normal(count))
    brown -= np.convolve(brown, np.ones(400) / 400, mode="same")  # keep it from drifting
    hiss = rng.standard_normal(count) * 0.15
    swell = 1.0 + 0.2 * np.sin(2 * math.pi * 0.4 * np.arange(count) / RATE)
    noise = (brown / (np.std(brown) or 1.0) + hiss) * swell
    unit: npt.NDArray[np.float64] = noise / (np.sqrt(np.mean(noise**2)) or 1.0)
    return unit


def mix(speech: npt.NDArray[Any], snr_db: float | None, seed: int = 0) -> npt.NDArray[Any]:
    """``speech`` (int16) with car noise at ``snr_db`` (None: clean), as int16."""
    clean = speech.astype(np.float64)
    if snr_db is None:
        return speech
    voiced = clean[np.abs(clean) > 0.02 * np.max(np.abs(clean))]
    power = float(np.mean(voiced**2)) if voiced.size else 0.0
    noise = car_noise(len(clean) / RATE, seed)[: len(clean)] * math.sqrt(
        power / 10 ** (snr_db / 10)
    )
    return np.clip(clean + noise, -32768, 32767).astype(np.int16)
