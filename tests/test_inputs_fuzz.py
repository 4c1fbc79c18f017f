"""Whatever reaches the assistant as an utterance, the only exception that may come back is the
documented :class:`InputError`: random unicode, huge numbers, runs of digits and numerals, mixed
scripts, control and format characters, emoji, from one character to four times the length cap.

Generated inputs (hypothesis) go to ``Assistant.say`` and to the on-device engine's parse in
both languages. The default run is small and the same every time; for a longer hunt::

    CODRIVER_FUZZ_EXAMPLES=5000 CODRIVER_FUZZ_SEED=random pytest tests/test_inputs_fuzz.py
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codriver.assistant import Assistant, TurnContext, Utterance
from codriver.assistant.inputs import MAX_UTTERANCE_CHARS, clean_utterance
from codriver.errors import InputError
from codriver.testing import offline_assistant
from codriver.text import Lang
from codriver.understanding import LocalBrain

EXAMPLES = int(os.environ.get("CODRIVER_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("CODRIVER_FUZZ_SEED") != "random",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LONGEST = 4 * MAX_UTTERANCE_CHARS
ZH_NUMERALS = "零〇一二两三四五六七八九十百千万亿点幺"
EN_NUMBERS = [
    "zero", "one", "two", "three", "five", "nine", "ten", "eleven", "twenty", "forty", "ninety",
    "hundred", "thousand", "million", "point", "minus", "half",
]  # fmt: skip
WORDS = [
    "打开", "关闭", "空调", "温度", "调到", "度", "分钟后", "提醒我", "座椅加热", "音量", "车窗",
    "播放", "导航到", "打电话给", "如果下雨", "set", "the", "temperature", "to", "degrees", "open",
    "close", "window", "in", "minutes", "remind", "me", "if", "it", "rains", "play", "navigate",
    "call", "volume", "fan", "percent", "%", "°", ".", ",", "。", "，", "！", "？", "-", "FM", "AM",
]  # fmt: skip
ODD = [
    "\u200b", "\u200d", "\u200e", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u034f", "\u2028",
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\t", "\n", "\r", "\ud800", "\ufffd", "\U000e0041",
    "😀", "🚗", "👍🏽", "👨‍👩‍👧", "🇨🇳", "ﬁ", "Ⅻ", "①", "½", "²", "١٢٣", "𝟗𝟗", "ｔｅｍｐ", "２３",
    "é", "ß", "İ", "Σ", "ǅ", "ﷺ", "ꙮ", "𒐫", "\u0300\u0301\u0302",
]  # fmt: skip

huge_numbers = st.one_of(
    st.integers(min_value=10**6, max_value=10**700).map(str),
    st.integers(min_value=-(10**400), max_value=10**400).map(lambda n: f"{n}.{abs(n)}"),
    st.sampled_from(["1e999", "-1e999", "inf", "nan", "NaN", "1e-999", "0x1p9999", "9" * 310]),
)
digit_runs = st.text(alphabet="0123456789.", min_size=1, max_size=700)
numeral_runs = st.one_of(
    st.text(alphabet=ZH_NUMERALS, min_size=1, max_size=700),
    st.builds(lambda ch, n: ch * n, st.sampled_from(ZH_NUMERALS), st.integers(1, 700)),
)
number_words = st.lists(st.sampled_from(EN_NUMBERS), min_size=1, max_size=200).map(" ".join)
piece = st.one_of(
    st.text(max_size=40),
    st.sampled_from(WORDS),
    st.sampled_from(ODD),
    huge_numbers,
    digit_runs,
    numeral_runs,
    number_words,
    st.lists(st.sampled_from(EN_NUMBERS), min_size=2, max_size=80).map("-".join),
)
utterances = st.one_of(
    st.lists(piece, min_size=1, max_size=12).map("".join),
    st.lists(piece, min_size=1, max_size=12).map(" ".join),
    st.builds(lambda p, n: (p * n)[:n], piece.filter(bool), st.integers(1, LONGEST)),
    st.text(min_size=1, max_size=LONGEST),
)


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    """One assistant for the whole run, as in a long drive: state carries from turn to turn."""
    return offline_assistant()


Parse = Callable[[str, Lang], object]


@pytest.fixture(scope="module")
def parse() -> Parse:
    brain = LocalBrain()
    car = offline_assistant(brain=brain)
    context = TurnContext(state=asyncio.run(car.executor.state()), history=(), tools=car.tools)

    def understand(text: str, lang: Lang) -> object:
        return brain.understand(Utterance(clean_utterance(text), lang, "driver", None), context)

    return understand


@FUZZ
@given(text=utterances)
def test_a_turn_raises_nothing_but_the_input_error(assistant: Assistant, text: str) -> None:
    try:
        result = asyncio.run(assistant.say(text))
    except InputError:
        return
    assert result.outcome in ("done", "answered", "refused", "asked", "none")


@FUZZ
@given(text=utterances)
def test_the_engine_parses_anything_in_either_language(parse: Parse, text: str) -> None:
    for lang in ("en", "zh"):
        try:
            parse(text, lang)
        except InputError:
            return
