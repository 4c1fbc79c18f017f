"""Reply text as a voice should say it, per language, before synthesis: units, clock times,
durations, dates, numbers, phone numbers, abbreviations and symbols written out as words.

``speech_text(text, lang)`` is the one entry point, for any voice: the offline ones, a better
one, or a TTS server that takes plain words. The words are data (``data/en.yaml``,
``data/zh.yaml``); :func:`leftovers` lists what a voice would still spell out.
"""

from __future__ import annotations

from codriver.text import Lang
from codriver.voice.speech_text.check import leftovers


def speech_text(text: str, lang: Lang) -> str:
    """``"1 h 3 min"`` → ``"one hour three minutes"``; ``"约1小时3分钟"`` → ``"约一小时三分钟"``."""
    if lang == "zh":
        from codriver.voice.speech_text.chinese import speak_chinese

        return speak_chinese(text)
    from codriver.voice.speech_text.english import speak_english

    return speak_english(text)


__all__ = ["leftovers", "speech_text"]
