"""The cabin camera's route: perception running next to the camera posts what it saw (frame
observations: numbers, never images); the cabin's vision session turns them into driver state,
gestures and deixis, published on the event stream as ``driver`` and ``gesture`` events."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from codriver.server.api import ERRORS, Registry
from codriver.server.auth import guard_cabin, require_token
from codriver.server.cabin import Publisher
from codriver.server.events import JsonObject
from codriver.server.models import Request
from codriver.vision.events import DriverStateEvent, GestureEvent, VisionEvent
from codriver.vision.levels import DriverState
from codriver.vision.observation import FaceObservation, FrameObservation, HandObservation

router = APIRouter(
    prefix="/api",
    dependencies=[Depends(require_token), Depends(guard_cabin)],
    responses=ERRORS,
    tags=["vision"],
)
MAX_FRAMES = 120  # a few seconds of faces at 30 frames/s, within the 64 kB a body may be
Unit = Field(ge=0.0, le=1.0)
Angle = Field(ge=-180.0, le=180.0)


class FaceIn(Request):
    box: tuple[float, float, float, float] = Field(description="x0, y0, x1, y1 in 0..1")
    eye_open_left: float = Field(ge=0.0, le=2.0)
    eye_open_right: float = Field(ge=0.0, le=2.0)
    mouth_open: float = Field(ge=0.0, le=5.0)
    yaw: float = Angle
    pitch: float = Angle
    roll: float = Angle
    gaze_yaw: float = Angle
    gaze_pitch: float = Angle
    confidence: float = Unit


class HandIn(Request):
    handedness: Literal["left", "right"]
    landmarks: list[tuple[float, float, float]] = Field(min_length=21, max_length=21)
    shape: Literal["palm", "fist", "point", "thumbs_up", "other"]
    pointing: tuple[float, float] | None = None
    confidence: float = Unit


class FrameIn(Request):
    t: float = Field(ge=0.0, description="seconds on the camera's own clock, rising")
    width: int = Field(gt=0, le=10_000)
    height: int = Field(gt=0, le=10_000)
    faces: list[FaceIn] = Field(default_factory=list, max_length=8)
    hands: list[HandIn] = Field(default_factory=list, max_length=4)


class Observations(Request):
    """What perception saw in consecutive frames, oldest first."""

    frames: list[FrameIn] = Field(min_length=1, max_length=MAX_FRAMES)


class Seen(BaseModel):
    frames: int
    events: int
    driver: JsonObject | None = Field(None, description="the latest driver state, if one was due")


@router.post("/sessions/{session_id}/vision")
async def see(session_id: str, body: Observations, cabins: Registry) -> Seen:
    """Frame observations from the cabin camera; frames out of time order are a 400."""
    events = await cabins.see(session_id, [_frame(f) for f in body.frames], publish_vision)
    states = [e.state for e in events if isinstance(e, DriverStateEvent)]
    return Seen(
        frames=len(body.frames),
        events=len(events),
        driver=driver_payload(states[-1]) if states else None,
    )


def _frame(raw: FrameIn) -> FrameObservation:
    faces = tuple(FaceObservation(**f.model_dump()) for f in raw.faces)
    hands = tuple(
        HandObservation(h.handedness, tuple(h.landmarks), h.shape, h.pointing, h.confidence)
        for h in raw.hands
    )
    return FrameObservation(raw.t, raw.width, raw.height, faces, hands)


def publish_vision(events: Publisher, at: float, event: VisionEvent) -> None:
    """The cockpit's share of a vision event: the driver's state, and gestures."""
    if isinstance(event, DriverStateEvent):
        events.publish("driver", at, driver_payload(event.state))
    elif isinstance(event, GestureEvent):
        reply = event.turn.reply if event.turn is not None else None
        payload = {"kind": event.kind, "seat": event.seat, "reply": reply, "note": event.note}
        events.publish("gesture", at, payload)


def driver_payload(state: DriverState) -> JsonObject:
    m = state.measures
    return {
        "face": state.face,
        "fatigue": state.fatigue,
        "distraction": state.distraction,
        "attentive": state.attentive,
        "eyes_on_road": state.eyes_on_road,
        "eye_closure": None if m.eye_closure is None else round(m.eye_closure, 2),
        "perclos": None if m.perclos is None else round(m.perclos, 3),
        "head_yaw": None if m.head is None else round(m.head[0], 1),
        "head_pitch": None if m.head is None else round(m.head[1], 1),
        "reasons": list(state.reasons),
    }
