"""The service's request and response bodies (pydantic, at the edge only). Requests forbid unknown
fields, so a misspelt field is a 422 that names it rather than a silent default."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from codriver.vehicle.seats import Seat

SignalValue = bool | int | float | str | list[str] | list[float]
CABIN_ID = r"^[A-Za-z0-9_-]{1,40}$"
MAX_TEXT = 500
MAX_VALUES = 100
WEEK_S = 7 * 24 * 3600.0


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionCreate(Request):
    """A new cabin: its id (generated when left out), a label, a starting state, a language."""

    id: str | None = Field(None, pattern=CABIN_ID, description="letters, digits, - and _")
    name: str = Field("", max_length=60)
    given: dict[str, SignalValue] = Field(
        default_factory=dict, max_length=MAX_VALUES, description="starting values by VSS path"
    )
    lang: Literal["en", "zh"] | None = Field(None, description="the car's own language")


class Say(Request):
    """An occupant speaks."""

    text: str = Field(min_length=1, max_length=MAX_TEXT, examples=["打开座椅加热，再来点周杰伦"])
    seat: Seat = "driver"
    gaze: str | None = Field(None, max_length=200, description="VSS branch the speaker looks at")


class Sensors(Request):
    """Readings from the world: speed, rain, fatigue, battery, outside temperature…"""

    values: dict[str, SignalValue] = Field(
        min_length=1, max_length=MAX_VALUES, examples=[{"Vehicle.Speed": 60}]
    )


class Advance(Request):
    """Fast-forward the cabin's simulated clock."""

    seconds: float = Field(ge=0, le=WEEK_S)


class ClockSettings(Request):
    """How fast the cabin's clock runs with real time (0 stops it)."""

    scale: float = Field(ge=0, le=600)


class ProfilePatch(Request):
    """Preferences to remember for the occupant of a seat; fields left out stay as they are."""

    temperature: float | None = Field(None, ge=16, le=32)
    seat_heating: int | None = Field(None, ge=-100, le=100)
    music: str | None = Field(None, max_length=100)
    home: str | None = Field(None, max_length=100)
    work: str | None = Field(None, max_length=100)


# -- responses -----------------------------------------------------------------------------


class ActionOut(BaseModel):
    tool: str
    args: dict[str, JsonValue]
    status: Literal["done", "answered", "refused", "asked", "failed"]
    message: str | None
    rule: str | None


class ChangeOut(BaseModel):
    path: str
    old: SignalValue | None
    new: SignalValue | None
    source: Literal["command", "world", "vehicle"]


class TraceOut(BaseModel):
    agent: str
    tool: str
    status: str
    ms: float
    rule: str | None


class Turn(BaseModel):
    """What a turn (or a reaction to the world or to time) produced."""

    outcome: Literal["done", "answered", "refused", "asked", "none"]
    reply: str
    lang: Literal["en", "zh"]
    latency_ms: float
    actions: list[ActionOut]
    changes: list[ChangeOut]
    trace: list[TraceOut]


class SessionOut(BaseModel):
    id: str
    name: str
    turns: int
    now: float = Field(description="the cabin's simulated time, seconds since the Unix epoch")
    clock_scale: float
    listeners: int = Field(description="WebSocket clients streaming its events")


class State(BaseModel):
    values: dict[str, SignalValue | None]


class SignalRead(BaseModel):
    path: str
    value: SignalValue | None


class SignalSpecOut(BaseModel):
    path: str
    kind: Literal["sensor", "actuator", "attribute"]
    datatype: str
    unit: str | None
    min: float | None
    max: float | None
    allowed: list[str] | None
    description: str


class Clock(BaseModel):
    now: float
    scale: float


class Names(BaseModel):
    en: str
    zh: str


class ProfileOut(BaseModel):
    name: Names
    temperature: float | None
    seat_heating: int | None
    music: str | None
    home: str | None
    work: str | None


class Route(BaseModel):
    """The active route; the numbers are missing when the map cannot place it."""

    destination: str
    waypoints: list[str]
    distance_km: float | None = None
    duration_min: int | None = None
    range_km: float | None = None
    enough: bool | None = Field(None, description="the range covers the trip with a reserve")
    battery_on_arrival: int | None = None
    charging_stop: str | None = None


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    sessions: int


class Problem(BaseModel):
    """Why a request was refused."""

    detail: str
    errors: list[dict[str, JsonValue]] | None = None


# -- access --------------------------------------------------------------------------------


class CabinTokens(BaseModel):
    """A new cabin's own tokens, shown once: ``drive`` reads and drives it, ``read`` only reads."""

    drive: str
    read: str
    expires: float = Field(description="when both stop working, Unix seconds (real time)")


class SessionOpened(SessionOut):
    tokens: CabinTokens


class TokenRequest(Request):
    """A cabin token to mint: its scope, and how long it lasts (else the service's default)."""

    scope: Literal["drive", "read"]
    ttl: float | None = Field(None, ge=60, le=365 * 24 * 3600.0, description="seconds")


class TokenOut(BaseModel):
    token: str
    scope: Literal["drive", "read"]
    cabin: str
    expires: float = Field(description="Unix seconds (real time)")
