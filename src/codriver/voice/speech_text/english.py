"""English replies as a voice should say them: "1 h 3 min" → "one hour three minutes",
"22°C" → "twenty-two degrees Celsius", "Calling 10086" → "Calling one zero zero eight six".

Numbers become words through num2words; the words for units, symbols and abbreviations are data
(``data/en.yaml``). Each pass rewrites one kind of token, in an order where the more specific
kinds (dates, clock times, phone numbers, ranges) go before plain numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from codriver.errors import MissingExtraError
from codriver.voice.speech_text.wording import NUMBER, English, alternation, english

Pass = Callable[[str], str]


def _num2words() -> Callable[..., str]:
    try:
        from num2words import num2words
    except ImportError as exc:
        raise MissingExtraError("Speaking numbers in English needs num2words", "voice") from exc
    speller: Callable[..., str] = num2words
    return speller


def number_words(number: str) -> str:
    """``"21.5"`` → ``"twenty-one point five"``."""
    return _num2words()(number.replace(",", ""), lang="en")


def ordinal_words(number: int) -> str:
    return _num2words()(number, lang="en", to="ordinal")


def year_words(year: int) -> str:
    """2026 → "twenty twenty-six"; 2005 → "two thousand and five"."""
    return _num2words()(year, lang="en", to="year")


def digit_words(digits: str, words: English) -> str:
    return " ".join(words.digits[int(d)] for d in digits if d.isdigit())


def _sub(pattern: str, replace: Callable[[re.Match[str]], str], flags: int = 0) -> Pass:
    compiled = re.compile(pattern, flags)
    return lambda text: compiled.sub(replace, text)


def _words_pass(words: English) -> Pass:
    pattern = rf"(?<![\w/])({alternation(words.words)})(?![\w/])"
    return _sub(pattern, lambda m: words.words[m.group(1)])


def _date_pass(words: English) -> Pass:
    months = "|".join(words.months)

    def say(m: re.Match[str]) -> str:
        spoken = f"{m.group(1)} {ordinal_words(int(m.group(2)))}"
        return spoken + (f", {year_words(int(m.group(3)))}" if m.group(3) else "")

    return _sub(rf"\b({months}) (\d{{1,2}})(?:st|nd|rd|th)?\b(?:, (\d{{4}})\b)?", say)


def _clock_pass(words: English) -> Pass:
    def say(m: re.Match[str]) -> str:
        hour, minute, half = int(m.group(1)), int(m.group(2)), (m.group(3) or "").lower()
        pm = half == "p" or (not half and hour >= 12)
        spoken = number_words(str(hour % 12 or 12))
        if minute:
            oh = f"{words.clock['oh']} " if minute < 10 else ""
            spoken += f" {oh}{number_words(str(minute))}"
        return f"{spoken} {words.clock['pm' if pm else 'am']}"

    return _sub(r"\b(\d{1,2}):([0-5]\d)\b(?:\s*([AaPp])\.?[Mm]\b)?", say)


def _phone_pass(words: English) -> Pass:
    calls = "|".join(words.call_words)
    after_call = _sub(
        rf"\b({calls})(\s+)(\+?\d[\d -]{{1,}}\d)\b",
        lambda m: m.group(1) + m.group(2) + digit_words(m.group(3), words),
        re.IGNORECASE,
    )
    units = alternation(words.units)
    run = _sub(
        rf"(?<![\d.,])\d{{{words.digit_run},}}(?![\d.,]*\d)(?!\s*(?:{units})(?![A-Za-z]))",
        lambda m: digit_words(m.group(0), words),
    )
    return lambda text: run(after_call(text))


def _number_unit_pass(words: English) -> Pass:
    determiners = "|".join(words.determiners)

    def say(m: re.Match[str]) -> str:
        singular, plural = words.units[m.group(3)]
        if m.group(1):  # "the 8 min timer": the unit describes a noun, said in the singular
            return f"{m.group(1)}{number_words(m.group(2))}-{singular}"
        one = m.group(2).replace(",", "") in ("1", "1.0")
        return f"{number_words(m.group(2))} {singular if one else plural}"

    units = alternation(words.units)
    pattern = rf"(\b(?i:{determiners}) )?({NUMBER})\s?({units})(?![A-Za-z])"
    return _sub(pattern, say)


def _acronym_pass(words: English) -> Pass:
    def say(m: re.Match[str]) -> str:
        token = m.group(0)
        return token if token in words.say_as_word else " ".join(token)

    return _sub(r"\b[A-Z]{2,6}\b", say)


def _symbol_pass(words: English) -> Pass:
    return _sub(alternation(words.symbols), lambda m: words.symbols[m.group(0)])


@cache
def passes() -> tuple[Pass, ...]:
    words = english()
    return (
        _words_pass(words),
        _date_pass(words),
        _phone_pass(words),
        _sub(r"(?<=\d)\s*[–—]\s*(?=[-−]?\d)|(?<=\d)-(?=\d)", lambda _: words.between),
        _clock_pass(words),
        _sub(r"(?<![\w.])[-−](?=\d)", lambda _: words.minus),
        _sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal_words(int(m.group(1)))),
        _number_unit_pass(words),
        _sub(r"\b([A-Z]{1,2})(\d+)\b", lambda m: f"{' '.join(m.group(1))} {m.group(2)}"),
        _sub(NUMBER, lambda m: number_words(m.group(0))),
        _acronym_pass(words),
        _symbol_pass(words),
        _sub(r"\s+([,.;:!?])", lambda m: m.group(1)),
        _sub(r"\s{2,}", lambda _: " "),
    )


def speak_english(text: str) -> str:
    for step in passes():
        text = step(text)
    return text.strip()
