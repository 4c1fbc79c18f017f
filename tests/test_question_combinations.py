"""Questions about the car, combined from parts every way (``questions/parts.yaml``): none of them
changes anything, parked or moving, whatever the state. A sample runs here; all of them (11 388)
run with ``CODRIVER_ALL_QUESTIONS=1``."""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path

import pytest
import yaml

from codriver.testing import offline_assistant
from codriver.vehicle.catalog import Value

PARTS = yaml.safe_load((Path(__file__).parent / "questions" / "parts.yaml").read_text("utf-8"))
STATES: list[dict[str, Value]] = [
    {},
    {"Vehicle.Speed": 60, "Vehicle.Powertrain.Transmission.SelectedGear": 127},
    {
        "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked": False,
        "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position": 50,
        "Vehicle.Cabin.Sunroof.Position": 100,
        "Vehicle.Body.Lights.Beam.Low.IsOn": True,
    },
]


def questions() -> list[str]:
    en, zh = PARTS["en"], PARTS["zh"]
    yes_no = en["yes_no"]
    out = [
        f"{opener} {thing} {state}{mark}"
        for opener in yes_no["openers"]
        for thing in yes_no["things"]
        for state in yes_no["states"]
        for mark in ("?", "")
    ]
    out += [w.format(thing=t) + m for w in en["wh"] for t in yes_no["things"] for m in ("?", "")]
    out += [f"{b}{t}{a}" for b in zh["before"] for t in zh["things"] for a in zh["asks"]]
    return out


def sample() -> list[str]:
    every = questions()
    if os.environ.get("CODRIVER_ALL_QUESTIONS"):
        return every
    return random.Random(14).sample(every, 240)


@pytest.mark.parametrize("state", range(len(STATES)), ids=["parked", "moving", "open-unlocked"])
def test_no_question_changes_the_car(state: int) -> None:
    async def ask_all() -> list[str]:
        changed = []
        assistant = offline_assistant(STATES[state])
        for text in sample():
            if assistant.question is not None:  # each question on its own, none pending
                assistant = offline_assistant(STATES[state])
            result = await assistant.say(text)
            if result.changes:
                changed.append(f"{text}: {[c.path for c in result.changes]}")
        return changed

    assert asyncio.run(ask_all()) == []
