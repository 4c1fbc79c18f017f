"""The shapes of the WebSocket events, for the OpenAPI schema and the tests that check what the
stream really sends (the stream itself builds plain JSON, see :mod:`codriver.server.events`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from codriver.server.models import ChangeOut, Route, SessionOut, SignalValue, Turn

Cause = Literal["say", "accept", "dismiss", "sensors", "clock", "tick", "vision"]


class EventBase(BaseModel):
    seq: int = Field(description="numbers every event of the session; a gap means missed events")
    at: float = Field(description="the session's simulated time")


class Heard(BaseModel):
    text: str
    seat: str
    gaze: str | None


class QuestionTexts(BaseModel):
    en: str
    zh: str


class Question(BaseModel):
    text: str
    lang: Literal["en", "zh"]
    seat: str
    proactive: bool = Field(description="offered by the assistant, not asked back in a turn")
    texts: QuestionTexts | None = Field(
        default=None,
        description="the question alone in both languages, for a client showing the other one",
    )


class TranscriptLine(BaseModel):
    cause: Cause
    input: Heard | None
    reply: str
    outcome: str
    lang: Literal["en", "zh"]
    at: float


class ClockState(BaseModel):
    now: float
    scale: float


class HelloEvent(EventBase):
    """First on every connection: everything needed to draw the cabin."""

    type: Literal["hello"]
    cabin: SessionOut
    state: dict[str, SignalValue | None]
    clock: ClockState
    route: Route | None
    pending: Question | None
    transcript: list[TranscriptLine]


class TurnEvent(EventBase):
    """A turn: an occupant spoke (``input``), or the car reacted to the world or to time."""

    type: Literal["turn"]
    cause: Cause
    input: Heard | None
    result: Turn


class ChangesEvent(EventBase):
    type: Literal["changes"]
    cause: Cause
    changes: list[ChangeOut]


class RouteEvent(EventBase):
    type: Literal["route"]
    route: Route | None


class SuggestionEvent(Question, EventBase):
    """The assistant waits for a yes or a no (proactive offers and questions in a turn)."""

    type: Literal["suggestion"]
    cause: Cause


class SuggestionClosedEvent(EventBase):
    type: Literal["suggestion_closed"]
    reason: Literal["accepted", "dismissed", "answered"]


class NoticeEvent(EventBase):
    """The assistant speaks unasked: a reminder or timer, a rule that ran, a care notice."""

    type: Literal["notice"]
    cause: Cause
    text: str
    lang: Literal["en", "zh"]


class ClockEvent(EventBase):
    type: Literal["clock"]
    now: float
    scale: float


class ClosedEvent(EventBase):
    """Last on the stream: the session was deleted or the service is stopping."""

    type: Literal["closed"]
    reason: str


class DriverEvent(EventBase):
    """The cabin camera's view of the driver, once a second (see ``docs/vision.md``)."""

    type: Literal["driver"]
    face: Literal["seen", "none", "several"]
    fatigue: float | None = Field(description="Vehicle.Driver.FatigueLevel, percent")
    distraction: float | None = Field(description="Vehicle.Driver.DistractionLevel, percent")
    attentive: float | None = Field(description="Vehicle.Driver.AttentiveProbability, percent")
    eyes_on_road: bool | None
    eye_closure: float | None = Field(description="0 open .. 1 shut, against the driver's own")
    perclos: float | None
    head_yaw: float | None = Field(description="degrees from the driver's road direction")
    head_pitch: float | None
    reasons: list[str]


class GestureEvent(EventBase):
    """A hand gesture the cabin camera saw, and the assistant's reply when it proposed something."""

    type: Literal["gesture"]
    kind: Literal["palm", "next", "previous", "thumbs_up", "point"]
    seat: str | None
    reply: str | None
    note: str


Event = Annotated[
    HelloEvent
    | TurnEvent
    | ChangesEvent
    | RouteEvent
    | SuggestionEvent
    | SuggestionClosedEvent
    | NoticeEvent
    | ClockEvent
    | ClosedEvent
    | DriverEvent
    | GestureEvent,
    Field(discriminator="type"),
]
