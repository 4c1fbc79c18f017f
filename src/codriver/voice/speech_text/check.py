"""What a voice would still read as characters rather than words: the check that normalised
replies are fit to speak."""

from __future__ import annotations

import re

from codriver.text import Lang
from codriver.voice.speech_text.wording import alternation, chinese, english

_SYMBOLS = r"[\d%％°℃/–—~～&+>@#$·→×\\|=<{}\[\]^_*]"


def leftovers(spoken: str, lang: Lang) -> list[str]:
    """The tokens of ``spoken`` (already normalised) a voice would spell out: digits, symbols,
    unit abbreviations, and runs of capitals (in Chinese: any capital letter)."""
    found = re.findall(_SYMBOLS, spoken)
    if lang == "zh":
        units = [u for u in chinese().units if re.fullmatch(r"[A-Za-z/]+", u)]
        found += re.findall(r"(?<![A-Za-z])[A-Z]+(?![a-z])", spoken)
    else:
        units = [u for u in english().units if len(u) > 1 and u.isascii()]
        say_as_word = english().say_as_word
        capitals = re.findall(r"\b[A-Z]{2,}\b", spoken)
        found += [c for c in capitals if c not in say_as_word]
    found += re.findall(rf"(?<![\w'’])({alternation(units)})(?![\w'’])", spoken)
    return found
