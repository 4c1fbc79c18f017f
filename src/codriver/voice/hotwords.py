"""The command space as words to bias a recogniser with: each device's and each action's name
in the engine's lexicon (the first phrase the lexicon lists for it), for Whisper's prompt or a
server's hotword list (FunASR, sherpa-onnx)."""

from __future__ import annotations

import re
from functools import cache

from codriver.text import Lang
from codriver.understanding.lexicon_files import phrase_entries, read_phrases

_KINDS = ("device", "action")
_CJK_WORD = re.compile(r"[\u3400-\u9fff]{2,}")


@cache
def command_words(lang: Lang = "zh", limit: int = 60) -> tuple[str, ...]:
    """Up to ``limit`` names — two thirds devices, one third actions — in the lexicon's order
    (the most used first);
    in Mandarin only words of two characters or more (a single character biases too widely)."""
    names: dict[tuple[str, str], str] = {}
    for phrase, tag in phrase_entries(read_phrases(lang), lang):
        if tag.kind not in _KINDS or (tag.kind, tag.id) in names:
            continue
        if lang == "zh" and not _CJK_WORD.fullmatch(phrase):
            continue
        names[(tag.kind, tag.id)] = phrase
    devices = [p for (k, _), p in names.items() if k == "device"]
    actions = [p for (k, _), p in names.items() if k == "action"]
    ordered = devices[: limit - limit // 3] + actions[: limit // 3]
    return tuple(dict.fromkeys(ordered))


def command_hotwords(lang: Lang = "zh", limit: int = 40) -> str:
    """The command words as one prompt text for Whisper (``、``-separated in Mandarin)."""
    return ("、" if lang == "zh" else ", ").join(command_words(lang, limit)) + (
        "。" if lang == "zh" else "."
    )
