"""Wake word on microWakeWord (``pymicro-wakeword``, Apache-2.0): small TFLite models of the four
phrases it ships, fed by the TFLite Micro audio frontend (``pymicro-features``)."""

from __future__ import annotations

from typing import Final

from codriver.errors import InputError
from codriver.voice.engines.offline import VoiceUnavailable

try:
    import pymicro_wakeword as mww
except ImportError as exc:
    raise VoiceUnavailable("pymicro-wakeword") from exc

WAKE_WORDS: Final = {
    "okay nabu": mww.Model.OKAY_NABU,
    "hey jarvis": mww.Model.HEY_JARVIS,
    "alexa": mww.Model.ALEXA,
    "hey mycroft": mww.Model.HEY_MYCROFT,
}
"""The phrases with a packaged model, by name."""


class MicroWakeWord:
    """:class:`~codriver.voice.ports.WakeWord` for one packaged phrase (see :data:`WAKE_WORDS`).

    A detection is reported once: the model starts afresh after it, so the same phrase is not
    heard again on the frames that follow."""

    chunk_bytes = 320
    """10 ms at 16 kHz: the frontend's hop."""

    def __init__(self, name: str = "hey jarvis") -> None:
        key = " ".join(name.lower().replace("_", " ").split())
        key = "okay " + key[3:] if key.startswith("ok ") else key
        if key not in WAKE_WORDS:
            raise InputError(f"no wake-word model for {name!r}; choose one of {sorted(WAKE_WORDS)}")
        self.name = key
        self._model = mww.MicroWakeWord.from_builtin(WAKE_WORDS[key])
        self._features = mww.MicroWakeWordFeatures()

    @property
    def threshold(self) -> float:
        """The model's own probability cutoff (averaged over its sliding window)."""
        return float(self._model.probability_cutoff)

    def probability(self, pcm: bytes) -> float:
        """Feed audio; the highest wake-word probability it produced (0 while warming up)."""
        best = 0.0
        for features in self._features.process_streaming(pcm):
            best = max(best, self._model.process_streaming_prob(features) or 0.0)
        return best

    def process(self, pcm: bytes) -> bool:
        heard = self.probability(pcm) > self.threshold
        if heard:
            self.reset()
        return heard

    def reset(self) -> None:
        self._model.reset()
        self._features.reset()
