"""The voice loop's correction of Mandarin transcripts, given what a recogniser wrote, as data
(``tests/voice/data/*.yaml``): a command's slips are put right by sound and the command is
carried out; ordinary speech — news, conversation, idioms, in both languages — reaches the
assistant exactly as it was heard, however unsure the recogniser was. What the recogniser writes
differs from CPU to CPU; what the loop makes of a given transcript does not, so it is tested here
without models."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from codriver.scenarios.matchers import compile_matcher
from codriver.testing import offline_assistant
from codriver.text import Lang
from codriver.voice.correct import MAX_UNITS, UNSURE_BELOW, correct, gate
from codriver.voice.ports import Transcript

DATA = Path(__file__).parent / "data"
SLIPS: dict[str, Any] = yaml.safe_load((DATA / "recognised_slips.yaml").read_text())
ORDINARY: dict[str, dict[str, list[str]]] = yaml.safe_load(
    (DATA / "ordinary_speech.yaml").read_text()
)
SENTENCES = [
    pytest.param(lang, text, id=f"{lang}-{kind}-{i}")
    for lang, kinds in ORDINARY.items()
    for kind, texts in kinds.items()
    for i, text in enumerate(texts)
]
UNSURE = [0.05, 0.3, UNSURE_BELOW - 0.01]


@pytest.mark.parametrize("slip", SLIPS["slips"].values(), ids=SLIPS["slips"].keys())
def test_a_recognised_slip_is_put_right_and_carried_out(slip: dict[str, Any]) -> None:
    fixed = correct(Transcript(slip["heard"], "zh", confidence=slip["confidence"]))
    assert (fixed.text, fixed.verdict) == (slip["corrected"], "corrected")
    assistant = offline_assistant()
    result = asyncio.run(assistant.say(fixed.text))
    assert result.outcome == "done", result.reply
    for path, expected in slip["expect"].items():
        assert compile_matcher(expected).holds(asyncio.run(assistant.read(path))), path


@pytest.mark.parametrize("lang,text", SENTENCES)
@pytest.mark.parametrize("confidence", UNSURE, ids=lambda c: f"conf{c:.2f}")
def test_ordinary_speech_passes_through_unchanged(lang: Lang, text: str, confidence: float) -> None:
    fixed = correct(Transcript(text, lang, confidence=confidence))
    assert fixed.text == text, fixed.verdict
    assert not fixed.applied


@pytest.mark.parametrize("heard", SLIPS["unexplained"])
def test_a_transcript_with_no_command_word_near_it_is_left_as_it_was(heard: str) -> None:
    """Whisper's misses on the same audio that no sound-alike command word explains."""
    fixed = gate(heard, "zh", 0.3)
    assert (fixed.text, fixed.verdict) == (heard, "nothing_to_correct")


@pytest.mark.parametrize("confidence", [UNSURE_BELOW, 0.95, None], ids=["edge", "sure", "unknown"])
def test_a_slip_the_recogniser_was_sure_of_is_left_as_it_was(confidence: float | None) -> None:
    """Only an unsure reading is corrected: a sure one, or one with no confidence given (a
    server that gives none), is what was said."""
    fixed = gate("大开做椅加热", "zh", confidence)
    assert (fixed.text, fixed.verdict) == ("大开做椅加热", "sure")


def test_a_long_utterance_is_left_as_it_was() -> None:
    """A command-word slip inside a sentence longer than a command is not rewritten."""
    slip = "大开做椅加热"
    long = slip + "然后" + "我们再去吃饭好不好呢"
    assert len(long) > MAX_UNITS >= len(slip)
    assert gate(long, "zh", 0.3).verdict == "long"
    assert gate(slip, "zh", 0.3).verdict == "corrected"


def test_a_sound_alike_that_covers_little_of_the_utterance_is_left() -> None:
    """欢迎大家来 holds 节能's sounds (家来 ~ jie neng by the fuzzy pairs): two characters of
    ten are no command."""
    fixed = gate("欢迎大家来体验达摩院", "zh", 0.3)
    assert (fixed.text, fixed.verdict) == ("欢迎大家来体验达摩院", "sparse")


def test_english_is_left_alone() -> None:
    fixed = gate("turn on the seat heeting", "en", 0.1)
    assert (fixed.text, fixed.verdict) == ("turn on the seat heeting", "not_chinese")
