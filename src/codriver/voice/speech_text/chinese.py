"""Chinese replies as a Mandarin voice should say them: 21.5度 → 二十一点五度, 2公里 → 两公里,
14:13 → 十四点十三分, 呼叫10086 → 呼叫幺零零八六, 50% → 百分之五十, 100km/h → 一百公里每小时,
ESC → 伊艾斯西.

Numbers are read by cn2an; which measure words take 两, the units, the letter names and the
symbols are data (``data/zh.yaml``). Latin words the data does not know and that are not
capitals (names such as Alice) are left for the voice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import cn2an

from codriver.voice.speech_text.wording import NUMBER, Chinese, alternation, chinese

Pass = Callable[[str], str]
_LATIN = r"A-Za-z"


def read_number(number: str) -> str:
    """``"21.5"`` → ``"二十一点五"``, ``"-3"`` → ``"负三"``."""
    spoken: str = cn2an.an2cn(number.replace(",", ""))
    return spoken


def read_digits(digits: str, table: tuple[str, ...], point: str) -> str:
    return "".join(table[int(c)] if c.isdigit() else point if c == "." else "" for c in digits)


def _sub(pattern: str, replace: Callable[[re.Match[str]], str], flags: int = 0) -> Pass:
    compiled = re.compile(pattern, flags)
    return lambda text: compiled.sub(replace, text)


def _words_pass(words: Chinese) -> Pass:
    pattern = rf"(?<![{_LATIN}])({alternation(words.words)})(?![{_LATIN}])"
    return _sub(pattern, lambda m: words.words[m.group(1)])


def _clock_pass(words: Chinese) -> Pass:
    def say(m: re.Match[str]) -> str:
        hour, minute = int(m.group(1)), int(m.group(2))
        spoken = (words.liang if hour == 2 else read_number(str(hour))) + words.clock["hour"]
        if minute:
            zero = words.clock["zero_minute"] if minute < 10 else ""
            spoken += zero + read_number(str(minute)) + words.clock["minute"]
        return spoken

    return _sub(r"(?<![\d:])(\d{1,2}):([0-5]\d)(?![\d:])", say)


def _digits_pass(words: Chinese) -> Pass:
    """Phone numbers and stations (after a call word, or a long run of digits) and years."""
    calls = "|".join(words.call_words)
    after_call = _sub(
        rf"({calls})(\s*)(\+?\d[\d -]+\d)",
        lambda m: m.group(1) + read_digits(m.group(3), words.digits, words.point),
    )
    run = _sub(
        rf"(?<![\d.,])\d{{{words.digit_run},}}(?![\d.,]*\d)(?!\s*({alternation(words.units)}))",
        lambda m: read_digits(m.group(0), words.digits, words.point),
    )
    year = _sub(
        r"(?<![\d.])(\d{4})(?=\s*年)", lambda m: read_digits(m.group(1), words.year_digits, "")
    )
    return lambda text: year(run(after_call(text)))


def _letters_digits_pass(words: Chinese) -> Pass:
    """Stations, road and plate numbers, digit by digit: 调频105.7 → 调频幺零五点七,
    G15 → 吉幺五, 沪A12345 → 沪诶幺二三四五."""
    band = _sub(
        rf"({'|'.join(words.words[b] for b in ('FM', 'AM'))})\s*(\d+(?:\.\d+)?)",
        lambda m: m.group(1) + read_digits(m.group(2), words.digits, words.point),
    )
    road = _sub(
        rf"(?<![{_LATIN}])([A-Z]{{1,2}})(\d+)(?![\d.])",
        lambda m: m.group(1) + read_digits(m.group(2), words.digits, ""),
    )
    return lambda text: road(band(text))


def _range_pass(words: Chinese) -> Pass:
    """16–32 → 16到32, 9:00-10:00 → 9:00到10:00 (the numbers are read later)."""
    return _sub(r"(?<=\d)\s*[–—~～-]\s*(?=[-−]?\d)", lambda _: words.between)


def _signed_pass(words: Chinese) -> Pass:
    """Percentages and numbers below zero."""
    percent = _sub(rf"([-−]?{NUMBER})\s*[%％]", lambda m: words.percent + read_number(m.group(1)))
    below = alternation(words.below_zero_units)
    cold = _sub(
        rf"(?<![\dA-Za-z.])[-−]({NUMBER})(?=\s*(?:{below}))",
        lambda m: words.below_zero + m.group(1),
    )
    minus = _sub(r"(?<![\dA-Za-z.])[-−](?=\d)", lambda _: words.minus)
    return lambda text: minus(cold(percent(text)))


def _unit_pass(words: Chinese) -> Pass:
    units = alternation(words.units)
    return _sub(
        rf"({NUMBER})\s*({units})(?![{_LATIN}])", lambda m: m.group(1) + words.units[m.group(2)]
    )


def _number_pass(words: Chinese) -> Pass:
    liang = alternation(words.liang_before)

    def say(m: re.Match[str]) -> str:
        before, number, after = m.string[max(0, m.start() - 1) : m.start()], m.group(0), m.group(1)
        spoken = read_number(number)
        if before == words.ordinal:
            return spoken
        if number == "2" and re.match(liang, after or ""):
            return words.liang
        if spoken.startswith(words.digits[2]) and spoken[1:2] in words.liang_places:
            return words.liang + spoken[1:]
        return spoken

    return _sub(rf"{NUMBER}(?=\s*({liang})?)", say)


def _latin_pass(words: Chinese) -> Pass:
    def spell(m: re.Match[str]) -> str:
        return "".join(words.letters.get(c, c) for c in m.group(0))

    return _sub(rf"(?<![{_LATIN}])[A-Z]{{1,6}}(?![{_LATIN}])", spell)


def _symbol_pass(words: Chinese) -> Pass:
    return _sub(alternation(words.symbols), lambda m: words.symbols[m.group(0)])


@cache
def passes() -> tuple[Pass, ...]:
    words = chinese()
    return (
        _words_pass(words),
        _digits_pass(words),
        _letters_digits_pass(words),
        _range_pass(words),
        _clock_pass(words),
        _unit_pass(words),
        _signed_pass(words),
        _number_pass(words),
        _latin_pass(words),
        _symbol_pass(words),
        # spaces next to Chinese characters are not pauses a reader makes
        _sub(r"\s+(?=[^\sA-Za-z])|(?<=[^\sA-Za-z])\s+", lambda _: ""),
    )


def speak_chinese(text: str) -> str:
    for step in passes():
        text = step(text)
    return text.strip()
