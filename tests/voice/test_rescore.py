"""Choosing among a recogniser's readings by what the assistant understands, as data
(``tests/voice/data/readings.yaml``): a command the engine understands wins over a likelier
reading that is none only by a little; a confident reading, or one whose only rival command is
much less likely, is acted on as heard."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from codriver.scenarios.matchers import compile_matcher
from codriver.testing import offline_assistant
from codriver.voice.ports import Alternative, Transcript
from codriver.voice.rescore import Understood, choose
from codriver.voice.understood import EngineUnderstanding

READINGS: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "readings.yaml").read_text()
)


def _transcript(case: dict[str, Any]) -> Transcript:
    text, confidence = case["heard"]
    others = tuple(Alternative(t, c) for t, c in case["alternatives"])
    return Transcript(text, case.get("lang", "zh"), confidence=confidence, alternatives=others)


@pytest.mark.parametrize("case", READINGS["chosen"].values(), ids=READINGS["chosen"].keys())
def test_the_reading_understood_as_a_command_is_acted_on(case: dict[str, Any]) -> None:
    assistant = offline_assistant()
    chosen = asyncio.run(choose(_transcript(case), EngineUnderstanding(assistant)))
    assert chosen.text == case["acts_on"], chosen.considered
    result = asyncio.run(assistant.say(chosen.text))
    assert result.outcome == "done", result.reply
    for path, expected in case["expect"].items():
        assert compile_matcher(expected).holds(asyncio.run(assistant.read(path))), path


@pytest.mark.parametrize("case", READINGS["kept"].values(), ids=READINGS["kept"].keys())
def test_the_reading_heard_is_kept(case: dict[str, Any]) -> None:
    assistant = offline_assistant()
    before = asyncio.run(assistant.snapshot())
    heard = _transcript(case)
    chosen = asyncio.run(choose(heard, EngineUnderstanding(assistant)))
    assert (chosen.text, chosen.origin) == (heard.text, "heard"), chosen.considered
    assert asyncio.run(assistant.snapshot()) == before  # asking changed nothing


@pytest.mark.parametrize("case", READINGS["not_acted"].values(), ids=READINGS["not_acted"].keys())
def test_a_misheard_sentence_the_engine_barely_understands_is_not_acted_on(
    case: dict[str, Any],
) -> None:
    assistant = offline_assistant()
    before = asyncio.run(assistant.snapshot())
    chosen = asyncio.run(choose(_transcript(case), EngineUnderstanding(assistant)))
    if chosen.origin != "dropped":
        result = asyncio.run(assistant.say(chosen.text))
        assert not result.changes, (chosen.text, result.reply)
    assert asyncio.run(assistant.snapshot()) == before


def test_the_engine_is_asked_nothing_when_the_recogniser_is_sure() -> None:
    asked: list[str] = []

    async def understand(text: str, lang: str) -> Understood:
        asked.append(text)
        return Understood(True, 1.0)

    heard = Transcript(
        "今天天气不错", "zh", confidence=0.8, alternatives=(Alternative("打开车窗", 0.7),)
    )
    assert asyncio.run(choose(heard, understand)).text == "今天天气不错"
    assert asked == []


def test_asking_leaves_the_dialogue_as_it_was() -> None:
    """The engine is asked with a fresh memory: a question the assistant is waiting on an answer
    to is still waiting after the readings were judged."""
    assistant = offline_assistant()
    asked = asyncio.run(assistant.say("温度调到"))
    assert asked.outcome == "asked", asked.reply
    readings = Transcript(
        "大开车窗", "zh", confidence=0.3, alternatives=(Alternative("打开车窗", 0.3),)
    )
    asyncio.run(choose(readings, EngineUnderstanding(assistant)))
    answered = asyncio.run(assistant.say("二十二度"))
    assert answered.outcome == "done", answered.reply
    assert asyncio.run(assistant.read("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature")) == 22
