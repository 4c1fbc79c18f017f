"""The offline engines of the ``[voice]`` extra, chosen by language: wake word, voice activity,
recognition and synthesis that run on the CPU with models shipped inside PyPI packages.

Each engine lives in its own module and imports its vendor package there, so nothing in the core
imports one; a missing package raises :class:`VoiceUnavailable` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from codriver.errors import MissingExtraError
from codriver.text import Lang
from codriver.voice.ports import Recognizer, Synthesizer, VoiceActivity, WakeWord


class VoiceUnavailable(MissingExtraError):
    """An offline voice engine whose package is not installed (or is incomplete)."""

    def __init__(self, package: str, problem: str = "is not installed") -> None:
        super().__init__(f"Offline voice ({package} {problem})", "voice")
        self.package = package


def packaged(module: str, package: str, *parts: str) -> Path:
    """A file or folder shipped inside the installed ``package`` (import name ``module``)."""
    try:
        root = resources.files(module)
    except ModuleNotFoundError as exc:
        raise VoiceUnavailable(package) from exc
    path = Path(str(root.joinpath(*parts)))
    if not path.exists():
        raise VoiceUnavailable(package, f"has no {'/'.join(parts)}")
    return path


@dataclass(frozen=True, slots=True)
class OfflineEngines:
    """One engine per port; a synthesiser per language the loop speaks."""

    wake: WakeWord
    vad: VoiceActivity
    recognizer: Recognizer
    voices: Mapping[Lang, Synthesizer]

    def synthesizer(self, lang: Lang) -> Synthesizer:
        """The voice for ``lang``, or the first one there is (a loop set up for one language)."""
        return self.voices.get(lang) or next(iter(self.voices.values()))


def offline_engines(lang: Lang | None = None, *, wake_word: str = "hey jarvis") -> OfflineEngines:
    """Loads the offline engines for ``lang``: ``"en"`` (Whisper tiny.en, Piper), ``"zh"`` (Whisper
    base, the best Mandarin voice installed: the Baker neural voice, else espeak-ng), or None for
    both (both voices; :class:`~codriver.voice.language.AutoLanguage` hears English on tiny.en,
    Mandarin on base, and detects the language only when the loop does not know it)."""
    from codriver.voice.engines.microwake import MicroWakeWord
    from codriver.voice.engines.silero import SileroVAD
    from codriver.voice.engines.whisper import WhisperRecognizer
    from codriver.voice.language import AutoLanguage

    voices: dict[Lang, Synthesizer] = {}
    if lang != "zh":
        from codriver.voice.engines.piper import PiperSynthesizer

        voices["en"] = PiperSynthesizer()
    if lang != "en":
        from codriver.voice.engines.mandarin import mandarin_voice

        voices["zh"] = mandarin_voice()
    return OfflineEngines(
        wake=MicroWakeWord(wake_word),
        vad=SileroVAD(),
        recognizer=WhisperRecognizer.for_lang(lang)
        if lang is not None
        else AutoLanguage(WhisperRecognizer("tiny.en"), WhisperRecognizer("base")),
        voices=voices,
    )
