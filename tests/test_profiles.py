"""Profiles: usual settings, home and work, remembered preferences."""

from __future__ import annotations

import asyncio

import pytest

from codriver.testing import offline_assistant

TEMP = "Vehicle.Cabin.HVAC.Station.{}.Temperature"


@pytest.mark.parametrize(
    ("text", "seat", "station", "expected"),
    [
        ("my usual settings please", "driver", "Row1.Driver", 21),
        ("老样子", "passenger", "Row1.Passenger", 24),
    ],
    ids=["en-driver", "zh-passenger"],
)
def test_usual_settings_follow_the_speakers_profile(
    text: str, seat: str, station: str, expected: float
) -> None:
    assistant = offline_assistant()
    turn = asyncio.run(assistant.say(text, seat=seat))
    assert turn.outcome == "done"
    assert asyncio.run(assistant.read(TEMP.format(station))) == expected


@pytest.mark.parametrize(
    ("text", "place"), [("take me home", "Xujiahui"), ("回公司", "陆家嘴")], ids=["home", "work"]
)
def test_home_and_work_come_from_the_profile(text: str, place: str) -> None:
    assistant = offline_assistant()
    asyncio.run(assistant.say(text))
    assert asyncio.run(assistant.read("Cockpit.Navigation.Destination")) == place


def test_a_stated_preference_is_used_next_time() -> None:
    assistant = offline_assistant()
    remembered = asyncio.run(assistant.say("remember I like 19 degrees"))
    assert remembered.outcome == "done"
    assert asyncio.run(assistant.read(TEMP.format("Row1.Driver"))) == 22  # remembered, not set
    asyncio.run(assistant.say("my usual settings"))
    assert asyncio.run(assistant.read(TEMP.format("Row1.Driver"))) == 19
