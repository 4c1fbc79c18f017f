"""Reading numbers: digits, Chinese numerals and English number words, bounded in length and
size. A run of numerals too long to be a number, or a value too large to mean anything in a car,
is no number: never an exception, ``inf`` or ``nan``, and never a reason to look further than a
few units ahead."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from typing import overload

import pytest

from codriver.numbers import MAX_UNITS, MAX_VALUE, Unit, read_number, to_digits
from codriver.testing import offline_assistant
from codriver.understanding.lexicon import lower, units
from codriver.understanding.lexicon_files import load_lexicon

WORDS = load_lexicon().number_words

READABLE = {
    "zh-tens": ("二十三", 23),
    "zh-decimal": ("二十一点五", 21.5),
    "zh-largest": ("九千九百九十九万九千九百九十九", 99_999_999),
    "en-words": ("twenty two", 22),
    "en-decimal": ("twenty one point five", 21.5),
    "en-hyphen": ("forty-five", 45),
    "digits": ("24.5", 24.5),
    "digits-spoken-point": ("21点5", 21.5),
}


@pytest.mark.parametrize(("text", "value"), READABLE.values(), ids=READABLE.keys())
def test_a_number_is_read_whole(text: str, value: float) -> None:
    seq = units(lower(text))
    assert read_number(seq, 0, WORDS) == (len(seq), value)


UNUSABLE = {
    "309-same-numeral": "三" * 309,
    "numerals-in-order": "一二三四五六七八九十百千万" * 20,
    "run-of-decimals": "二十一点五" * 60,
    "one-past-the-cap": "三" * (MAX_UNITS + 1),
    "400-digits": "9" * 400,
    "digits-past-the-size": str(int(MAX_VALUE) + 1),
    "digits-spoken-point-huge": "9" * 400 + "点5",
}


@pytest.mark.parametrize("text", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_no_usable_number_is_read_from_a_run_too_long_or_a_value_too_large(text: str) -> None:
    numbers = [t.number for t in load_lexicon().scan(lower(text)) if t.kind == "number"]
    assert all(n is not None and math.isfinite(n) and abs(n) <= MAX_VALUE for n in numbers)
    assert all(n <= 99 for n in numbers), numbers  # nothing read from the long run itself


def test_a_number_at_the_cap_is_still_read() -> None:
    """Out of range for everything, but a number: the tools refuse it with their range."""
    assert read_number(units("三" * MAX_UNITS), 0, WORDS) == (MAX_UNITS, float("3" * MAX_UNITS))
    assert read_number(units("9" * MAX_UNITS), 0, WORDS) == (1, float("9" * MAX_UNITS))


class CountingUnits(Sequence[Unit]):
    """The units of an utterance that count how often the reader looks at one."""

    def __init__(self, seq: list[Unit]) -> None:
        self.seq = seq
        self.looks = 0

    def __len__(self) -> int:
        return len(self.seq)

    @overload
    def __getitem__(self, index: int) -> Unit: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Unit]: ...
    def __getitem__(self, index: int | slice) -> Unit | Sequence[Unit]:
        picked = self.seq[index]
        self.looks += len(picked) if isinstance(index, slice) else 1
        return picked


@pytest.mark.parametrize(
    "piece",
    ["三", "一二三四五六七八九十", "二十一点五", "twenty one point five ", "21点5 "],
    ids=["one-numeral", "numerals", "zh-decimal", "en-words", "digits-point"],
)
def test_reading_numbers_everywhere_in_an_utterance_is_linear(piece: str) -> None:
    """Trying a number at every unit, as the scan does, looks at each unit a bounded number of
    times however long the utterance: the work for 2,000 units is twice that for 1,000."""
    looks = []
    for size in (1000, 2000):
        seq = CountingUnits(units(lower(piece * size))[:size])
        for i in range(size):
            read_number(seq, i, WORDS)
        looks.append(seq.looks)
    assert looks[1] <= 2.1 * looks[0]
    assert looks[1] <= 8 * MAX_UNITS * 2000


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("FM九十三点四", "FM93.4"),
        ("幺零幺点七", "101.7"),
        ("AM九百九十", "AM990"),
        ("三" * 309, "三" * 309),
        ("一点点", "1点点"),
    ],
    ids=["fm", "digit-by-digit", "am", "too-long", "no-decimal"],
)
def test_chinese_numbers_in_digits(text: str, digits: str) -> None:
    assert to_digits(text) == digits


NO_NUMBER = {
    "zh-309-numerals": "三" * 309,
    "zh-numerals-in-order": ("一二三四五六七八九十百千万" * 40)[:450],
    "zh-numerals-with-points": "二十一点五" * 90,
    "digits-and-spoken-points": "9" * 300 + "点" + "5" * 150,
}


@pytest.mark.parametrize("text", NO_NUMBER.values(), ids=NO_NUMBER.keys())
def test_a_run_of_numerals_no_one_says_is_answered_and_changes_nothing(text: str) -> None:
    """The 309 numerals that raised OverflowError and their kind: not understood, said so."""
    result = asyncio.run(offline_assistant().say(text))
    assert (result.outcome, result.changes) == ("answered", ())


IN_A_COMMAND = {
    "zh-set-point-numerals": "空调调到" + "二" * 400 + "度",
    "zh-radio-numerals": "播放FM" + "九" * 300,
    "zh-timer-numerals": "九" * 300 + "分钟后提醒我喝水",
    "en-set-point-digits": "set the temperature to " + "9" * 400,
    "en-fan-digits": "set the fan to " + "9" * 400,
    "en-timer-digits": "remind me in " + "9" * 400 + " minutes to call mom",
    "en-number-words": "set the fan to " + "twenty one " * 40,
    "en-hyphens": "set the volume to " + "-".join(["one"] * 120),
}


@pytest.mark.parametrize("text", IN_A_COMMAND.values(), ids=IN_A_COMMAND.keys())
def test_huge_numbers_in_a_command_leave_every_value_finite_and_in_range(text: str) -> None:
    assistant = offline_assistant()
    result = asyncio.run(assistant.say(text))
    catalog = assistant.bus.catalog
    for change in result.changes:
        if isinstance(change.new, float):
            assert math.isfinite(change.new), change
        if change.path in catalog:
            assert catalog.validate(change.path, change.new) == change.new, change
