"""End to end: frame observations reach the assistant — care offers help to a drowsy driver,
"that one" is what the speaker looks or points at, gestures go through the gate, a thumbs-up
answers only the question pending."""

from __future__ import annotations

import asyncio

import pytest
from vision_frames import SHUT, Clip, face, hand, run

from codriver.assistant import Assistant
from codriver.care import load_care
from codriver.testing import offline_assistant
from codriver.vision.events import DeixisTarget, GestureEvent, Reaction, VisionEvent
from codriver.vision.session import VisionSession

MOVING = {
    "Vehicle.Speed": 80.0,
    "Vehicle.Powertrain.Transmission.SelectedGear": 127,
    "Vehicle.Powertrain.Transmission.CurrentGear": 5,
    "Vehicle.Powertrain.Transmission.IsParkLockEngaged": False,
    "Vehicle.Chassis.ParkingBrake.IsEngaged": False,
}
PASSENGER_WINDOW = "Vehicle.Cabin.Door.Row1.PassengerSide.Window"
MEDIA_ACTION = "Vehicle.Cabin.Infotainment.Media.Action"


def read(assistant: Assistant, path: str) -> object:
    return asyncio.run(assistant.read(path))


def gestures(events: list[VisionEvent]) -> list[GestureEvent]:
    return [e for e in events if isinstance(e, GestureEvent)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_driver_closing_their_eyes_gets_the_care_offer(lang: str) -> None:
    language = "en-GB" if lang == "en" else "zh-CN"
    assistant = offline_assistant(
        {**MOVING, "Vehicle.Cabin.Infotainment.HMI.CurrentLanguage": language}
    )
    vision = VisionSession(assistant)
    events = run(vision, Clip().awake(20.0).hold(3.0, face(ear=SHUT)).frames)
    [fatigue] = [item for item in load_care() if item.id == "fatigue"]
    replies = [e.turn.reply for e in events if isinstance(e, Reaction)]
    assert fatigue.say.in_(lang) in replies  # type: ignore[arg-type]
    assert assistant.question == fatigue.say


def test_the_care_offer_is_accepted_through_the_gate() -> None:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    run(vision, Clip().awake(20.0).hold(3.0, face(ear=SHUT)).frames)
    turn = asyncio.run(assistant.say("yes"))
    assert turn.outcome == "done"
    assert read(assistant, "Vehicle.Cabin.HVAC.IsRecirculationActive") is False


def _looking(look: tuple[float, float]) -> list:  # type: ignore[type-arg]
    return Clip().awake(12.0).hold(1.0, face(look=look)).frames


@pytest.mark.parametrize("text", ["open that one", "把那个打开"])
def test_that_one_is_the_window_the_driver_looks_at(text: str) -> None:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    events = run(vision, _looking((70.0, -5.0)))
    assert any(isinstance(e, DeixisTarget) and e.branch == PASSENGER_WINDOW for e in events)
    turn = asyncio.run(vision.say(text))
    assert turn.outcome == "done"
    assert read(assistant, f"{PASSENGER_WINDOW}.Position") == 100
    assert read(assistant, "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position") == 0


@pytest.mark.parametrize("text", ["open that one", "把那个打开"])
def test_a_look_between_two_things_gives_no_target(text: str) -> None:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    run(vision, _looking((59.0, -8.0)))  # between the passenger window and its mirror
    assert vision.gaze_for("driver") is None
    before = asyncio.run(assistant.snapshot(["Vehicle.Cabin", "Vehicle.Body"]))
    turn = asyncio.run(vision.say(text))
    assert turn.outcome != "done"
    assert asyncio.run(assistant.snapshot(["Vehicle.Cabin", "Vehicle.Body"])) == before


def test_pointing_at_the_sunroof_opens_it() -> None:
    assistant = offline_assistant({"Vehicle.Speed": 0.0})
    vision = VisionSession(assistant)
    up = hand((0.7, 0.6), "point", pointing=(0.0, -1.0))
    events = run(vision, Clip().hold(1.0, face(), hands=(up,)).frames)
    [target] = [e for e in events if isinstance(e, DeixisTarget) and e.by == "point"]
    assert (target.seat, target.branch) == ("driver", "Vehicle.Cabin.Sunroof")
    turn = asyncio.run(vision.say("open that"))
    assert turn.outcome == "done"
    assert read(assistant, "Vehicle.Cabin.Sunroof.Position") == 100


def _camera_reading(path: str) -> bool:
    return path.startswith("Vehicle.Driver.") or path.endswith(".OccupancyStatus")


def _pending_unlock() -> tuple[Assistant, VisionSession]:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    run(vision, Clip().awake(2.0).frames)
    turn = asyncio.run(assistant.say("unlock the doors"))
    assert turn.outcome == "asked"
    return assistant, vision


def test_a_thumbs_up_confirms_the_pending_question_and_only_that() -> None:
    assistant, vision = _pending_unlock()
    before = asyncio.run(assistant.snapshot())
    thumb = hand((0.7, 0.6), "thumbs_up")
    events = run(vision, Clip(t=2.0).hold(1.0, face(), hands=(thumb,)).frames)
    [gesture] = gestures(events)
    assert gesture.kind == "thumbs_up" and gesture.turn is not None
    assert gesture.turn.outcome == "done"
    changed = {
        path
        for path, value in asyncio.run(assistant.snapshot()).items()
        if value != before.get(path) and not _camera_reading(path)
    }
    assert changed and all(path.endswith(".IsLocked") for path in changed)
    assert assistant.question is None


def test_a_thumbs_up_with_nothing_pending_does_nothing() -> None:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    before = asyncio.run(assistant.snapshot(["Vehicle.Cabin", "Vehicle.Body", "Cockpit"]))
    thumb = hand((0.7, 0.6), "thumbs_up")
    events = run(vision, Clip().hold(2.0, face(), hands=(thumb,)).frames)
    [gesture] = gestures(events)
    assert gesture.turn is None and gesture.note
    after = asyncio.run(assistant.snapshot(["Vehicle.Cabin", "Vehicle.Body", "Cockpit"]))
    assert after == before


def test_a_thumb_raised_before_the_question_is_no_answer_to_it() -> None:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    thumb = hand((0.7, 0.6), "thumbs_up")
    run(vision, Clip().hold(0.2, face(), hands=(thumb,)).frames)
    asyncio.run(assistant.say("unlock the doors"))
    events = run(vision, Clip(t=0.2).hold(1.0, face(), hands=(thumb,)).frames)
    assert [g.turn for g in gestures(events)] == [None]
    assert read(assistant, "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked") is True


def test_a_palm_held_pauses_the_music_through_the_gate() -> None:
    assistant = offline_assistant(MOVING)
    asyncio.run(assistant.say("play some jazz"))
    assert read(assistant, MEDIA_ACTION) == "PLAY"
    vision = VisionSession(assistant)
    palm = hand((0.7, 0.6), "palm")
    events = run(vision, Clip().hold(3.0, face(), hands=(palm,)).frames)
    assert [g.kind for g in gestures(events)] == ["palm"]  # held for 3 s: one pause
    assert read(assistant, MEDIA_ACTION) == "STOP"


def test_one_swipe_is_one_skip() -> None:
    assistant = offline_assistant(MOVING)
    asyncio.run(assistant.say("play some jazz"))
    vision = VisionSession(assistant)
    clip = Clip().move(0.4, hand((0.3, 0.6), "palm"), 0.8).hold(1.0)
    skips = []
    for frame in clip.frames:
        for g in gestures(asyncio.run(vision.feed(frame))):
            skips.append((g.kind, read(assistant, MEDIA_ACTION)))
    assert skips == [("next", "SKIP_FORWARD")]


def test_a_swipe_the_other_way_goes_back() -> None:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    events = run(vision, Clip().move(0.4, hand((0.8, 0.6), "other"), 0.3).frames)
    assert [g.kind for g in gestures(events)] == ["previous"]
    assert read(assistant, MEDIA_ACTION) == "SKIP_BACKWARD"


def test_a_distracted_driver_asking_for_a_video_is_declined() -> None:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    run(vision, Clip().awake(12.0).hold(6.0, face(look=(0.0, -35.0))).frames)
    assert read(assistant, "Vehicle.Driver.DistractionLevel") >= 50  # type: ignore[operator]
    turn = asyncio.run(vision.say("can you put a cartoon on for the kids in the back"))
    assert turn.outcome == "refused"
    assert [a.verdict.rule for a in turn.actions if a.verdict] == [
        "no-video-for-a-distracted-driver"
    ]
    assert read(assistant, "Cockpit.Media.Video") == ""


def test_a_thumbs_up_picks_no_option_of_a_choice() -> None:
    assistant = offline_assistant(MOVING)
    vision = VisionSession(assistant)
    asked = asyncio.run(assistant.say("call Wang"))
    assert asked.outcome == "asked"
    question = assistant.question
    thumb = hand((0.7, 0.6), "thumbs_up")
    events = run(vision, Clip().hold(1.0, face(), hands=(thumb,)).frames)
    [gesture] = gestures(events)
    assert gesture.turn is not None and gesture.turn.actions == ()
    assert assistant.question == question  # still asked, which one
    assert read(assistant, "Cockpit.Phone.Call") == ""


def test_a_gesture_leaves_the_pending_offer_pending() -> None:
    assistant = offline_assistant(MOVING)
    asyncio.run(assistant.say("play some jazz"))
    vision = VisionSession(assistant)
    run(vision, Clip().awake(20.0).hold(3.0, face(ear=SHUT)).frames)
    offer = assistant.question
    assert offer is not None
    palm = hand((0.7, 0.6), "palm")
    run(vision, Clip(t=23.0).hold(1.0, face(), hands=(palm,)).frames)
    assert read(assistant, MEDIA_ACTION) == "STOP"
    assert assistant.question == offer
