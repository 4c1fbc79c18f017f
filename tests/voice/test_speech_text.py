"""Replies as the voice says them: the cases in ``data/speech_text_{en,zh}.yaml`` (reply text →
spoken text, by kind of token), every reply the scenario suites produce normalised with nothing
a voice would spell out, and the synthesis stage speaking the normalised text sentence by
sentence."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

pytest.importorskip("num2words", reason="the [voice] extra is not installed")

from codriver.assistant import Assistant
from codriver.assistant.result import TurnResult
from codriver.scenarios import run_paths
from codriver.testing.voice import ToneSynthesizer
from codriver.text import Lang, detect_lang
from codriver.voice.frames import Heard, Replied, SpeechOut
from codriver.voice.listen import LoopState
from codriver.voice.ports import Transcript
from codriver.voice.respond import TtsStage
from codriver.voice.speech_text import leftovers, speech_text

HERE = Path(__file__).parent
SUITE = HERE.parent / "scenarios"


def cases(lang: Lang) -> list[pytest.param]:  # type: ignore[valid-type]
    raw = yaml.safe_load((HERE / "data" / f"speech_text_{lang}.yaml").read_text("utf-8"))
    return [
        pytest.param(written, spoken, id=f"{lang}-{kind}-{n}")
        for kind, pairs in raw.items()
        if kind != "flagged"
        for n, (written, spoken) in enumerate(pairs)
    ]


def flagged(lang: Lang) -> list[str]:
    raw = yaml.safe_load((HERE / "data" / f"speech_text_{lang}.yaml").read_text("utf-8"))
    return [str(text) for text in raw["flagged"]]


@pytest.mark.parametrize(("written", "spoken"), cases("en"))
def test_english_reply_is_said_in_words(written: str, spoken: str) -> None:
    assert speech_text(written, "en") == spoken


@pytest.mark.parametrize(("written", "spoken"), cases("zh"))
def test_chinese_reply_is_said_in_words(written: str, spoken: str) -> None:
    assert speech_text(written, "zh") == spoken


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_check_finds_what_a_voice_would_spell_out(lang: Lang) -> None:
    for text in flagged(lang):
        assert leftovers(text, lang), text
        assert leftovers(speech_text(text, lang), lang) == [], text


def scenario_replies() -> dict[str, Lang]:
    suite = asyncio.run(run_paths([SUITE], Assistant))
    replies: dict[str, Lang] = {}
    for result in suite.results:
        for turn in result.turns:
            if turn.reply:
                replies.setdefault(turn.reply, detect_lang(turn.reply))
    return replies


def test_every_scenario_reply_is_fit_to_speak() -> None:
    replies = scenario_replies()
    assert len(replies) > 500  # the suites' replies, not a handful
    unfit, unsteady = {}, {}
    for reply, lang in replies.items():
        spoken = speech_text(reply, lang)
        if left := leftovers(spoken, lang):
            unfit[reply] = left
        if speech_text(spoken, lang) != spoken:  # a server may normalise what it is sent again
            unsteady[reply] = spoken
    assert unfit == {}
    assert unsteady == {}
    spelled = sum(bool(leftovers(reply, lang)) for reply, lang in replies.items())
    assert spelled > 100  # the raw replies do hold units, numbers and abbreviations


def spoken_by_tts(reply: str, lang: Lang) -> list[SpeechOut]:
    voice = ToneSynthesizer()
    stage = TtsStage(lambda _lang: voice)
    heard = Heard(Transcript("", lang), "", 0.0, "driver", 0.0)
    replied = Replied(TurnResult("done", reply, lang), heard, 0.0)

    async def run() -> list[SpeechOut]:
        frames = [frame async for frame in stage.process(replied, LoopState())]
        return [frame for frame in frames if isinstance(frame, SpeechOut)]

    outs = asyncio.run(run())
    assert [out.text for out in outs] == voice.spoken
    return outs


@pytest.mark.parametrize(
    ("reply", "lang", "pieces"),
    [
        (
            "Temperature set to 21.5°C. About 1 h 3 min.",
            "en",
            [
                "Temperature set to twenty-one point five degrees Celsius.",
                "About one hour three minutes.",
            ],
        ),
        (
            "Navigating to The Bund, 2.5 km, about 7 minutes. Calling Tom.",
            "en",
            [
                "Navigating to The Bund,",
                "two point five kilometres, about seven minutes.",
                "Calling Tom.",
            ],
        ),
        ("The trip is 1,020 km.", "en", ["The trip is one thousand and twenty kilometres."]),
        (
            "约2小时。开始导航去新天地，1.6公里。",
            "zh",
            ["约两小时。", "开始导航去新天地，一点六公里。"],
        ),
        (
            "开始导航去新天地，1.6公里，约5分钟。约2小时。",
            "zh",
            ["开始导航去新天地，", "一点六公里，约五分钟。", "约两小时。"],
        ),
    ],
    ids=["en-sentences", "en-first-clause", "en-thousands", "zh-sentences", "zh-first-clause"],
)
def test_the_synthesis_stage_speaks_normalised_pieces(
    reply: str, lang: Lang, pieces: list[str]
) -> None:
    """Sentence by sentence, the first sentence's first clause on its own (audio starts sooner),
    each normalised."""
    outs = spoken_by_tts(reply, lang)
    assert [out.text for out in outs] == pieces
    assert [out.first for out in outs] == [True] + [False] * (len(pieces) - 1)
