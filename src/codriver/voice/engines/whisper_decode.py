"""One window of speech decoded with faster-whisper's own parts — its feature extractor, encoder,
prompt and tokenizer — and CTranslate2's ``generate``, so that the encoder runs once per
utterance: the language is detected on that encoding, the greedy reading is made from it, and,
when that reading is unsure, beam search over the same encoding returns several readings
(``num_hypotheses``) without encoding again.

A spoken command fits one 30 s window; audio beyond it is not heard (the loop cuts utterances
long before that).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy.typing as npt
from faster_whisper import WhisperModel
from faster_whisper.audio import pad_or_trim
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_suppressed_tokens

from codriver.text import Lang

NO_SPEECH_ABOVE = 0.6
LOGPROB_BELOW = -1.0
"""faster-whisper's defaults: a reading whose no-speech probability is above 0.6 and whose
average log-probability is below -1 is silence, and gives no text."""


@dataclass(frozen=True, slots=True)
class Reading:
    """One decoded reading: its text, the average log-probability of its tokens (as
    faster-whisper computes it) and the probability that the window held no speech."""

    text: str
    avg_logprob: float
    no_speech: float


class WindowDecoder:
    """Encodes and decodes one window on a loaded :class:`WhisperModel`."""

    def __init__(self, model: WhisperModel, *, max_new_tokens: int) -> None:
        self.model = model
        self.max_new_tokens = max_new_tokens

    def encode(self, samples: npt.NDArray[Any]) -> Any:
        """The encoder's output for the first 30 s of 16 kHz float samples."""
        features = self.model.feature_extractor(samples)
        window = pad_or_trim(features[:, : features.shape[-1] - 1])
        return self.model.encode(window)

    def languages(self, encoded: Any) -> dict[str, float]:
        """The model's probability for each language code, from the same encoding."""
        ranked = self.model.model.detect_language(encoded)[0]
        return {token[2:-2]: prob for token, prob in ranked}

    def decode(
        self, encoded: Any, lang: Lang, prompt: str | None, *, beam: int = 1
    ) -> tuple[Reading, ...]:
        """Greedy (``beam=1``): one reading. Beam search: ``beam`` readings, best first."""
        tokenizer = _tokenizer(self.model, self.model.model.is_multilingual, lang)
        previous = tokenizer.encode(" " + prompt.strip()) if prompt else []
        start = self.model.get_prompt(tokenizer, previous, without_timestamps=True)
        result = self.model.model.generate(
            encoded,
            [start],
            beam_size=beam,
            num_hypotheses=beam,
            max_length=len(start) + self.max_new_tokens,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=list(_suppressed(tokenizer)),
        )[0]
        readings = []
        for tokens, score in zip(result.sequences_ids, result.scores, strict=True):
            avg = score * len(tokens) / (len(tokens) + 1)  # faster-whisper's average
            silent = result.no_speech_prob > NO_SPEECH_ABOVE and avg < LOGPROB_BELOW
            text = "" if silent else tokenizer.decode(tokens).strip()
            readings.append(Reading(text, avg, result.no_speech_prob))
        return tuple(readings)


@cache
def _tokenizer(model: WhisperModel, multilingual: bool, lang: Lang) -> Tokenizer:
    return Tokenizer(model.hf_tokenizer, multilingual, task="transcribe", language=lang)


@cache
def _suppressed(tokenizer: Tokenizer) -> tuple[int, ...]:
    return tuple(get_suppressed_tokens(tokenizer, [-1]) or ())
