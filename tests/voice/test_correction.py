"""The voice loop's correction of Mandarin transcripts, given what a recogniser wrote: the slips
Whisper base makes on eSpeak's Mandarin (大开 for 打开, 空跳 for 空调, 跳到 for 调到) and the ones
a small recogniser makes on any voice (做椅, 家热, 车床) are put right by sound, and the command is
carried out. What the recogniser writes differs from CPU to CPU; what the loop makes of a given
transcript does not, so it is tested here without models."""

from __future__ import annotations

import asyncio

import pytest

from codriver.testing import offline_assistant
from codriver.voice.correct import correct_transcript

TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
TRUNK = "Vehicle.Body.Trunk.Rear.IsOpen"
VOLUME = "Vehicle.Cabin.Infotainment.Media.Volume"
SEAT_HEAT = "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling"

HEARD = {
    "temperature": ("大开空跳, 闻住跳到23度", "打开空调, 闻住调到23度", TEMPERATURE, 23),
    "trunk": ("大开后备箱", "打开后备箱", TRUNK, True),
    "volume": ("把音量跳小一点", "把音量调小一点", VOLUME, 20),
    "seat-heating": ("大开做椅加热", "打开座椅加热", SEAT_HEAT, 66),
    "seat-heating-final": ("打开座椅家热", "打开座椅加热", SEAT_HEAT, 66),
}


@pytest.mark.parametrize(("heard", "corrected", "path", "value"), HEARD.values(), ids=HEARD.keys())
def test_a_recognised_slip_is_put_right_and_carried_out(
    heard: str, corrected: str, path: str, value: object
) -> None:
    assert correct_transcript(heard, "zh") == corrected
    assistant = offline_assistant()
    result = asyncio.run(assistant.say(correct_transcript(heard, "zh")))
    assert result.outcome == "done", result.reply
    assert asyncio.run(assistant.read(path)) == value


@pytest.mark.parametrize(
    "heard", ["我有点恶", "看见,话给妈妈", "我还抽叶轮的歌"], ids=["cold", "call", "music"]
)
def test_a_transcript_with_no_command_word_near_it_is_left_as_it_was(heard: str) -> None:
    """Whisper's misses on the same audio that no sound-alike command word explains."""
    assert correct_transcript(heard, "zh") == heard


def test_english_is_left_alone() -> None:
    assert correct_transcript("turn on the seat heeting", "en") == "turn on the seat heeting"
