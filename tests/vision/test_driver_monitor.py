"""The driver monitor on synthetic sequences: baseline, blinks against closures, PERCLOS, yawns,
glances away, hysteresis, and the defined states when the driver's face is not (alone) there."""

from __future__ import annotations

import asyncio

import pytest
from vision_frames import OPEN, SHUT, Clip, face, run

from codriver.testing import SimulatedCar
from codriver.vision.events import DriverStateEvent, VisionEvent
from codriver.vision.levels import (
    ATTENTIVE,
    DISTRACTION,
    EYES_ON_ROAD,
    FATIGUE,
    DriverState,
    Latch,
    Level,
)
from codriver.vision.session import VisionSession
from codriver.vision.settings import MonitorSettings

SETTINGS = MonitorSettings.load()


def states(events: list[VisionEvent]) -> list[DriverState]:
    return [e.state for e in events if isinstance(e, DriverStateEvent)]


def session() -> tuple[VisionSession, SimulatedCar]:
    car = SimulatedCar()
    return VisionSession(car), car


def test_the_open_baseline_is_learnt_from_the_drivers_own_eyes() -> None:
    vision, _ = session()
    wide = 0.36  # wider open than the default baseline
    clip = Clip()
    for _ in range(3):
        clip.hold(3.8, face(ear=wide)).hold(0.2, face(ear=SHUT))
    run(vision, clip.frames)
    assert vision.monitor.baseline.learnt
    assert vision.monitor.baseline.open_ear == pytest.approx(wide)


def test_blinks_are_counted_and_are_no_fatigue() -> None:
    vision, _ = session()
    last = states(run(vision, Clip().awake(60.0, blink_every=4.0).frames))[-1]
    assert last.measures.blinks_per_min == 14  # 0.2 s shut every 4 s, the first at 3.8 s
    assert last.measures.perclos == pytest.approx(0.2 / 4.0, abs=0.01)
    assert last.fatigue is not None and last.fatigue < 70
    assert "long_closure" not in last.reasons


def test_a_long_closure_is_a_lapse_not_a_blink() -> None:
    vision, _ = session()
    clip = Clip().awake(20.0).hold(1.5, face(ear=SHUT)).hold(1.0, face())
    last = states(run(vision, clip.frames))[-1]
    assert last.reasons[0] == "long_closure"
    assert last.fatigue is not None and last.fatigue >= SETTINGS.lapse_fatigue_floor


def test_perclos_counts_the_share_of_time_eyes_are_mostly_shut() -> None:
    vision, _ = session()
    clip = Clip().awake(12.0)
    for _ in range(16):  # 0.8 s shut in every 4 s: longer than a blink, shorter than a lapse
        clip.hold(3.2, face()).hold(0.8, face(ear=SHUT))
    last = states(run(vision, clip.frames))[-1]
    assert last.measures.perclos == pytest.approx(0.8 / 4.0, abs=0.02)
    assert last.fatigue == pytest.approx(SETTINGS.fatigue_curve(0.2), abs=SETTINGS.level_step)
    assert last.reasons == ("perclos",)


def test_half_closed_eyes_are_not_counted_as_shut() -> None:
    vision, _ = session()
    half = SHUT + (OPEN - SHUT) * 0.5
    clip = Clip().awake(12.0).hold(30.0, face(ear=half))
    last = states(run(vision, clip.frames))[-1]
    assert last.measures.perclos is not None and last.measures.perclos < 0.05


@pytest.mark.parametrize(
    ("open_for", "yawns"), [(3.0, 1), (1.0, 0)], ids=["yawn", "talking-is-no-yawn"]
)
def test_a_yawn_is_a_wide_mouth_held(open_for: float, yawns: int) -> None:
    vision, _ = session()
    clip = Clip().awake(12.0).hold(open_for, face(mouth=0.8)).hold(2.0, face())
    last = states(run(vision, clip.frames))[-1]
    assert last.measures.yawns == yawns
    assert ("yawning" in last.reasons) == (yawns > 0)


def test_eyes_closing_raise_the_fatigue_level_within_two_seconds() -> None:
    """Time from the eyes closing to FatigueLevel rising past care's 70: measured."""
    vision, car = session()
    frames = Clip().awake(20.0).hold(5.0, face(ear=SHUT)).frames
    closed_at = 20.0
    risen_at = None
    for frame in frames:
        asyncio.run(vision.feed(frame))
        level = asyncio.run(car.get(FATIGUE))
        if frame.t >= closed_at and isinstance(level, float) and level >= 70:
            risen_at = frame.t
            break
    assert risen_at is not None
    delay = risen_at - closed_at
    assert SETTINGS.long_closure_s <= delay <= SETTINGS.long_closure_s + SETTINGS.period_s


def test_a_glance_away_makes_the_driver_distracted_and_eyes_off_the_road() -> None:
    vision, _ = session()
    clip = Clip().awake(12.0).hold(4.0, face(look=(60.0, 0.0))).hold(3.0, face())
    found = states(run(vision, clip.frames))
    away = [s for s in found if 12.0 < s.t < 16.0]  # the last sample away: at 15 s
    assert away[-1].distraction is not None and away[-1].distraction >= 70
    assert away[-1].eyes_on_road is False
    assert "glance_away" in away[-1].reasons
    assert found[-1].eyes_on_road is True


def test_looking_down_at_a_phone_is_distraction_not_sleepiness() -> None:
    vision, _ = session()  # eyes look shut to the camera when the head bows down
    clip = Clip().awake(12.0).hold(4.0, face(ear=SHUT, look=(0.0, -35.0)))
    last = states(run(vision, clip.frames))[-1]
    assert last.distraction is not None and last.distraction >= 70
    assert "long_closure" not in last.reasons


def test_a_level_hovering_at_a_threshold_does_not_flap() -> None:
    level = Level(SETTINGS.level_step, SETTINGS.level_release)
    written = [level.update(raw) for raw in [40, 71, 68, 72, 66, 69, 71, 67]]
    assert written[1:] == [70] * 7
    assert level.update(70 - SETTINGS.level_release) == 70 - SETTINGS.level_release


def test_eyes_on_the_road_changes_only_after_holding() -> None:
    latch = Latch(SETTINGS.eyes_off_after_s, SETTINGS.eyes_on_after_s)
    seen = [latch.update(t / 10, raw) for t, raw in enumerate([True] * 6 + [False, True] * 5)]
    assert seen[-1] is True and False not in seen


def _unknown(state: DriverState) -> bool:
    return all(v is None for v in state.signals().values())


def test_no_face_makes_every_signal_unknown_after_the_grace() -> None:
    vision, car = session()
    clip = Clip().awake(12.0).hold(3.0)  # nobody
    found = states(run(vision, clip.frames))
    gone = [s for s in found if s.t > 12.0 + SETTINGS.face_lost_grace_s]
    assert gone and all(_unknown(s) and s.face == "none" for s in gone)
    values = asyncio.run(car.snapshot([FATIGUE, DISTRACTION, EYES_ON_ROAD, ATTENTIVE]))
    assert set(values.values()) == {None}


def test_two_faces_in_the_drivers_seat_are_no_driver() -> None:
    vision, _ = session()
    other = face()
    leaning = type(other)(  # a second front-row face in the driver's region
        (0.52, 0.15, 0.72, 0.45), OPEN, OPEN, 0.05, -20.0, -10.0, 0.0, -20.0, -10.0
    )
    clip = Clip().awake(12.0).hold(3.0, face(), leaning)
    last = states(run(vision, clip.frames))[-1]
    assert last.face == "several" and _unknown(last)


def test_a_face_that_leaves_and_comes_back_is_attentive_again_only_once_seen() -> None:
    vision, _ = session()
    clip = Clip().awake(12.0).hold(4.0).awake(3.0)
    found = states(run(vision, clip.frames))
    assert [s.attentive is None for s in found if 12.0 < s.t < 16.0] == [True, True, True]
    assert found[-1].attentive is not None and found[-1].eyes_on_road is True


def test_a_rear_passenger_is_not_taken_for_the_driver() -> None:
    vision, _ = session()
    clip = Clip().awake(12.0).hold(3.0, face("rear_left"))
    assert states(run(vision, clip.frames))[-1].face == "none"


def test_a_frame_without_the_face_changes_nothing_within_the_grace() -> None:
    vision, _ = session()
    clip = Clip().awake(12.9).hold(0.1).hold(2.0, face())  # one detection missed at 12.9 s
    found = {round(s.t, 1): s for s in states(run(vision, clip.frames))}
    assert found[13.0].eyes_on_road is True and found[13.0].attentive is not None
