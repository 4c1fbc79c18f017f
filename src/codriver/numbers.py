"""Reading numbers: Arabic digits, Chinese numerals (through cn2an) and English number words
(through text2num), as the lexicon scan meets them.

Every reading is bounded. A number is at most :data:`MAX_UNITS` units long and at most
:data:`MAX_VALUE` in size; a longer run of numerals ("三" said three hundred times, four hundred
digits) is no usable number — ``None``, never an exception, ``inf`` or ``nan`` — and stays text
to the engine, like any word it does not know. Because no reading looks further than
:data:`MAX_UNITS` units around where it starts, scanning a whole utterance stays linear in its
length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence, Set

Unit = tuple[str, int, int]
"""A unit of the lexicon scan (word, number, CJK character or symbol) and its character span."""

MAX_UNITS = 20
"""The longest number read, in units: "九千九百九十九万九千九百九十九点九九" is 18, "nine hundred
ninety nine point nine nine" 7. A longer run of numerals is no number anyone says."""

MAX_VALUE = 10.0**MAX_UNITS
"""No reading is larger: a value this size is beyond anything in a car, yet finite, so that a set
point of 99999999999 is still refused as out of range with the range in the reply, and no sum or
product of it downstream overflows to ``inf``."""

ZH_NUMERALS = frozenset("零〇一二两三四五六七八九十百千万")
"""Characters that make up a Chinese number (the decimal point 点 only between them)."""

_RUN_UNITS = ZH_NUMERALS | {"点"}
_SPOKEN_DIGITS = ZH_NUMERALS | {"幺"}  # "幺零幺点七": digits read one by one, as on the radio
_DIGITS = re.compile(r"^(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?$")
"""Digits, with thousands separated by commas ("22,500")."""
_SPOKEN = "".join(sorted(_SPOKEN_DIGITS))
_ZH_RUN = re.compile(f"[{_SPOKEN}]+(?:点[{_SPOKEN}]+)?")
_READ_ERRORS = (ValueError, KeyError, IndexError, OverflowError, TypeError)


def usable(value: float) -> float | None:
    """``value`` when it is finite and within :data:`MAX_VALUE`, else None."""
    return value if math.isfinite(value) and abs(value) <= MAX_VALUE else None


def read_number(seq: Sequence[Unit], i: int, words: Set[str]) -> tuple[int, float | None]:
    """The number that starts at unit ``i`` of ``seq``: how many units it spans and its value;
    ``(0, None)`` when none starts there or it is no usable number. ``words`` are the English
    number words."""
    unit = seq[i][0]
    sign = _sign(seq, i)
    if sign and i + sign < len(seq):
        size, value = read_number(seq, i + sign, words)
        return (sign + size, -value) if size and value is not None else (0, None)
    if _DIGITS.match(unit):
        return _digits(seq, i)
    if unit in ZH_NUMERALS:
        return _chinese(seq, i)
    parts = unit.split("-")
    if 1 < len(parts) <= MAX_UNITS and all(p in words for p in parts):
        size, value = _english(parts)
        return (1, value) if size == len(parts) else (0, None)
    if unit in words:
        stop = i
        while stop < len(seq) and stop - i < MAX_UNITS and seq[stop][0] in words:
            stop += 1
        return _english([u for u, _, _ in seq[i:stop]])
    return 0, None


_MINUS = ("负", "minus", "negative")
"""Words before a number that make it negative ("负二十", "minus 5"); "零下" is the other."""


def _sign(seq: Sequence[Unit], i: int) -> int:
    """How many units at ``i`` say that the number after them is negative (0 for none)."""
    if seq[i][0] in _MINUS:
        return 1
    return 2 if seq[i][0] == "零" and i + 1 < len(seq) and seq[i + 1][0] == "下" else 0


def to_digits(text: str) -> str:
    """``text`` with each Chinese number written in digits ("FM九十三点四" → "FM93.4"); a run too
    long or too large to be a number stays as it is."""
    return _ZH_RUN.sub(_run_in_digits, text)


def _run_in_digits(match: re.Match[str]) -> str:
    run = match.group()
    value = _cn(run) if len(run) <= MAX_UNITS else None
    if value is None:
        return run
    return str(int(value)) if value.is_integer() and "点" not in run else str(value)


def _digits(seq: Sequence[Unit], i: int) -> tuple[int, float | None]:
    """Digits (at most :data:`MAX_UNITS` characters), and "21点5" (a decimal point said in
    Chinese between digits)."""
    unit = seq[i][0]
    if len(unit) > MAX_UNITS:
        return 0, None
    if seq[i + 1 : i + 2] and seq[i + 1][0] == "点" and seq[i + 2 : i + 3]:
        tail = seq[i + 2][0]
        if tail.isdigit() and len(tail) <= MAX_UNITS:
            value = usable(float(f"{unit}.{tail}"))
            return (3, value) if value is not None else (0, None)
    value = usable(float(unit.replace(",", "")))
    return (1, value) if value is not None else (0, None)


def _chinese(seq: Sequence[Unit], i: int) -> tuple[int, float | None]:
    """A run of Chinese numerals from ``i``, with "点" and more numerals as its decimals. The
    whole run around ``i`` must fit :data:`MAX_UNITS`: in a run too long to be a number, no
    stretch of it is one."""
    before = i
    while before > 0 and i - before <= MAX_UNITS and seq[before - 1][0] in _RUN_UNITS:
        before -= 1
    stop = i
    while stop < len(seq) and stop - before <= MAX_UNITS and seq[stop][0] in ZH_NUMERALS:
        stop += 1
    if stop + 1 < len(seq) and seq[stop][0] == "点" and seq[stop + 1][0] in ZH_NUMERALS:
        stop += 1  # "二十一点五": a decimal point
        while stop < len(seq) and stop - before <= MAX_UNITS and seq[stop][0] in ZH_NUMERALS:
            stop += 1
    if stop - before > MAX_UNITS or (stop < len(seq) and seq[stop][0] in ZH_NUMERALS):
        return 0, None
    value = _cn("".join(u for u, _, _ in seq[i:stop]))
    return (stop - i, value) if value is not None else (0, None)


def _cn(run: str) -> float | None:
    try:
        import cn2an  # a tenth of a second to import: only once a Chinese numeral is read

        return usable(float(cn2an.cn2an(run, "smart")))
    except _READ_ERRORS:
        return None


def _english(words: Sequence[str]) -> tuple[int, float | None]:
    """The longest leading run of ``words`` that reads as a number ("twenty two", "forty five",
    "twenty one point five"): how many words it takes and its value."""
    for size in range(min(len(words), MAX_UNITS), 0, -1):
        if words[size - 1] == "point":
            continue
        value = _english_value(words[:size])
        if value is not None:
            return size, value
    return 0, None


def _english_value(words: Sequence[str]) -> float | None:
    from text_to_num import text2num  # imported once an English number word is read

    whole, _, decimals = " ".join(words).partition(" point ")
    try:
        value = float(text2num(whole, "en"))
        if decimals:
            digits = "".join(str(text2num(d, "en")) for d in decimals.split())
            value = float(f"{int(value)}.{digits}")
    except _READ_ERRORS:
        return None
    return usable(value)
