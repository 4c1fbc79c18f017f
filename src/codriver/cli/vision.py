"""``codriver vision``: a video, a folder of images or a camera, watched by the cabin camera's
perception (extra ``[vision]``); the driver's state once per second and every event printed.

Frames are decoded, looked at and dropped in this process: nothing is stored or sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import typer

from codriver.assistant.session import Assistant
from codriver.errors import InputError, MissingExtraError
from codriver.vehicle.catalog import Value
from codriver.vision.events import (
    Alert,
    DeixisTarget,
    DriverStateEvent,
    GestureEvent,
    OccupancyChange,
    Reaction,
    VisionEvent,
)
from codriver.vision.geometry import Drive
from codriver.vision.levels import DriverState
from codriver.vision.session import Perceiving, VisionSession


@dataclass(frozen=True, slots=True)
class Perception:
    """A perceiver to enter, and the ``(t, frame)`` pairs of the source it will look at."""

    perceiver: AbstractContextManager[Perceiving]
    frames: Iterable[tuple[float, Any]]


Opener = Callable[[str, bool, int], Perception]


def _open_perception(source: str, hands: bool, faces: int) -> Perception:
    """MediaPipe perception and the frame source ``source`` names (a video, an image or a
    folder of them, a camera index), from the ``[vision]`` extra; a source that gives no frames
    raises its InputError here, before anything runs."""
    try:  # MediaPipe, OpenCV and numpy come with the extra
        perception = import_module("codriver.vision.perception")
        video = import_module("codriver.vision.video")
    except ImportError as exc:
        raise MissingExtraError("codriver vision", "vision") from exc
    frames = video.open_source(int(source) if source.isdigit() else source)
    config = perception.PerceptionConfig(hands=hands, max_faces=faces)
    return Perception(perception.Perceiver(config), frames)


def driving(speed: float) -> dict[str, Value]:
    """The simulated car's state for a watch: driving at ``speed`` km/h, or parked and locked."""
    if speed > 0:
        return {
            "Vehicle.Speed": speed,
            "Vehicle.Powertrain.Transmission.SelectedGear": 127,
            "Vehicle.Powertrain.Transmission.CurrentGear": 4,
            "Vehicle.Powertrain.Transmission.IsParkLockEngaged": False,
            "Vehicle.Chassis.ParkingBrake.IsEngaged": False,
        }
    return {
        "Vehicle.Speed": 0.0,
        "Vehicle.Powertrain.Transmission.SelectedGear": 126,
        "Vehicle.Powertrain.Transmission.IsParkLockEngaged": True,
        "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked": True,
    }


def run_vision(
    source: str,
    *,
    hands: bool,
    faces: int,
    show: bool,
    drive: Drive,
    speed: float,
    assistant: Assistant,
    open_perception: Opener = _open_perception,
) -> int:
    """Watch ``source``; print the driver's state each second and every event. The number of
    frames seen; InputError when the source gives none."""
    if faces < 1 or faces > 4:
        raise InputError(f"--faces is 1 (the driver only) to 4 (every seat), not {faces}")
    perception = open_perception(source, hands, faces)

    async def watch() -> int:
        await assistant.preset(driving(speed))
        session = VisionSession(assistant, drive=drive, follow_clock=True, occupancy=faces > 1)
        seen = 0

        def counted() -> Iterator[tuple[float, Any]]:
            nonlocal seen
            for pair in perception.frames:
                seen += 1
                yield pair

        with perception.perceiver as perceiver:
            async for event in session.watch(counted(), perceiver):
                _echo(event, show)
        return seen

    seen = asyncio.run(watch())
    if seen == 0:
        raise InputError(f"{source} gave no frames")
    typer.echo(f"{seen} frames watched; none kept.")
    return seen


def _echo(event: VisionEvent, show: bool) -> None:
    for line in describe(event, show):
        typer.echo(line)


def describe(event: VisionEvent, show: bool = False) -> list[str]:
    """An event as lines of the command's output."""
    if isinstance(event, DriverStateEvent):
        return _state_lines(event.state, show)
    if isinstance(event, GestureEvent):
        seat = event.seat or "?"
        done = event.turn.reply if event.turn is not None else f"({event.note})"
        return [f"{event.t:8.1f} s  gesture {event.kind} ({seat}): {done}"]
    if isinstance(event, DeixisTarget):
        what = event.branch or f"unclear, between {' and '.join(event.candidates[:2])}"
        return [f"{event.t:8.1f} s  {event.seat} {_VERB[event.by]} {what}"]
    if isinstance(event, OccupancyChange):
        return [f"{event.t:8.1f} s  seat {event.seat}: {event.status}"]
    if isinstance(event, Alert):
        said = event.turn.reply if event.turn is not None else event.message.en
        return [f"{event.t:8.1f} s  ALERT {said}"]
    assert isinstance(event, Reaction)
    return [f"{event.t:8.1f} s  codriver: {event.turn.reply}"]


_VERB = {"gaze": "looks at", "point": "points at"}


def _state_lines(state: DriverState, show: bool) -> list[str]:
    if state.face != "seen" and state.fatigue is None:
        why = "no driver face" if state.face == "none" else "two faces in the driver's seat"
        return [f"{state.t:8.1f} s  driver unknown ({why})"]
    eyes = {True: "on road", False: "OFF ROAD", None: "?"}[state.eyes_on_road]
    line = (
        f"{state.t:8.1f} s  fatigue {_pct(state.fatigue)}  distraction {_pct(state.distraction)}"
        f"  attentive {_pct(state.attentive)}  eyes {eyes}"
    )
    if state.reasons:
        line += f"  ({', '.join(state.reasons)})"
    lines = [line]
    m = state.measures
    if show:
        perclos = "?" if m.perclos is None else f"{m.perclos:.2f}"
        closure = "?" if m.eye_closure is None else f"{m.eye_closure:.2f}"
        head = "?" if m.head is None else f"{m.head[0]:+.0f}°/{m.head[1]:+.0f}°"
        gaze = "?" if m.gaze is None else f"{m.gaze[0]:+.0f}°/{m.gaze[1]:+.0f}°"
        lines.append(
            f"{'':10}  closure {closure}  PERCLOS {perclos}  blinks/min {m.blinks_per_min}"
            f"  yawns {m.yawns}  head {head}  gaze {gaze}  away {m.away_s:.1f} s"
            f"{'' if m.calibrated else '  (learning this driver)'}"
        )
    return lines


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}%"
