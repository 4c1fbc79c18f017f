"""Answers to the assistant's questions, whatever brain plans the turns: yes and no are taken
only when the utterance is nothing but that answer, an option only when it is picked by place or
named clearly, and a confirmation names every action it holds."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from codriver.assistant.plan import Plan, ToolCall
from codriver.testing import ScriptedBrain, offline_assistant
from codriver.text import Bilingual
from codriver.tools.base import Choice
from codriver.understanding.answers import answer_kind, pick

AIRPORTS = (
    Choice(Bilingual("Hongqiao Airport", "虹桥机场"), "navigate_to", {"place": "Hongqiao"}),
    Choice(Bilingual("Pudong Airport", "浦东机场"), "navigate_to", {"place": "Pudong"}),
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("yes", "yes"), ("Yes please!", "yes"), ("sure, go ahead", "yes"), ("好的", "yes"),
        ("嗯，可以", "yes"), ("no thanks", "no"), ("不用了，谢谢", "no"), ("nah", "no"),
        ("never mind", "cancel"), ("算了吧", "cancel"), ("cancel that", "cancel"),
        ("yes, but take me home", None), ("pudding", None), ("好的，打开车窗", None),
        ("open the window", None), ("", None), ("yes no", None),
    ],
)  # fmt: skip
def test_answer_kind(text: str, kind: str | None) -> None:
    assert answer_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("the first one", 0), ("second", 1), ("第二个吧", 1), ("最后一个", 1), ("Pudong", 1),
        ("go to Hongqiao please", 0), ("浦东", 1), ("虹桥机场", 0), ("Pudung", 1),
        ("take me there", 0), ("去那里", 0),
        ("pudding", None), ("undo", None), ("on second thought, go home", None), ("机场", None),
        ("airport", None), ("the third one", None), ("yes", None), ("Pudong or Hongqiao", None),
        ("浦东还是虹桥", None), ("play some jazz", None),
    ],
)  # fmt: skip
def test_pick_takes_only_a_clear_pick(text: str, index: int | None) -> None:
    chosen = pick(text, AIRPORTS)
    assert chosen == (None if index is None else AIRPORTS[index])


UNLOCK_AND_BEAM = Plan(
    "act",
    (
        ToolCall("set_door_lock", {"locked": False}),
        ToolCall("set_headlights", {"on": True, "beam": "high"}),
    ),
)


@pytest.mark.parametrize("source", ["engine", "llm"])
@pytest.mark.parametrize(("yes", "lang"), [("yes", "en"), ("好的", "zh")])
def test_yes_confirms_exactly_the_held_actions_under_any_brain(
    source: str, yes: str, lang: str
) -> None:
    """A brain that knows nothing of yes (an LLM, a script) still gets its actions confirmed."""

    async def go() -> None:
        brain = ScriptedBrain([replace(UNLOCK_AND_BEAM, source=source)])  # type: ignore[arg-type]
        moving = {"Vehicle.Speed": 30, "Vehicle.Powertrain.Transmission.SelectedGear": 127}
        assistant = offline_assistant(given=moving, brain=brain)
        asked = await assistant.say("unlock and high beams" if lang == "en" else "解锁并开远光")
        assert asked.outcome == "asked"
        assert asked.changes == ()
        question = assistant.question
        assert question is not None
        held = question.en.lower()
        assert "unlock" in held and "high beam" in held
        assert "解锁" in question.zh and "远光" in question.zh
        done = await assistant.say(yes)
        assert done.outcome == "done"
        assert {c.path for c in done.changes} >= {
            "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked",
            "Vehicle.Body.Lights.Beam.High.IsOn",
        }
        assert len(brain.heard) == 1  # the yes never reached the brain

    asyncio.run(go())


def test_no_declines_under_any_brain() -> None:
    async def go() -> None:
        brain = ScriptedBrain([replace(UNLOCK_AND_BEAM, source="llm")])
        assistant = offline_assistant(given={"Vehicle.Speed": 30}, brain=brain)
        await assistant.say("unlock and high beams")
        declined = await assistant.say("no thanks")
        assert declined.outcome == "answered"
        assert declined.changes == ()
        assert assistant.question is None

    asyncio.run(go())
