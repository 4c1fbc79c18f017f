"""The REST routes: sessions (one cabin each), turns, answers to suggestions, state, sensors, the
clock, the route and the catalog. Profiles are in :mod:`codriver.server.profiles_api`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import cache
from importlib import metadata
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from codriver.assistant import TurnResult
from codriver.assistant.cockpit import COCKPIT_PATHS
from codriver.server import models as m
from codriver.server.auth import (
    CallerDep,
    Operator,
    access_of,
    allow_cabin,
    guard_cabin,
    require_operator,
    require_token,
)
from codriver.server.cabin import Cabin
from codriver.server.cabins import Cabins, info
from codriver.server.route import route_summary
from codriver.vehicle.catalog import Value

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": m.Problem, "description": text}
    for code, text in [
        (401, "missing, wrong or expired bearer token"),
        (403, "a cabin's token asking for what it may not do"),
        (404, "no such session (or not this token's), signal or seat"),
        (422, "malformed request or a value the car does not accept"),
        (429, "too many failed authentications from this address (see Retry-After)"),
    ]
}

public = APIRouter(prefix="/api", tags=["service"])
router = APIRouter(
    prefix="/api", dependencies=[Depends(require_token), Depends(guard_cabin)], responses=ERRORS
)


async def cabins_of(request: Request) -> Cabins:
    """The service's cabins (async: a plain function would cost a trip to a thread per call)."""
    registry: Cabins = request.app.state.cabins
    return registry


async def cabin_of(session_id: str, request: Request, caller: CallerDep) -> AsyncIterator[Cabin]:
    """The cabin, up to date, when the caller may see it (and, for anything but a read, drive
    it); its turns go through the registry."""
    allow_cabin(caller, session_id, change=request.method not in ("GET", "HEAD"))
    async with (await cabins_of(request)).reading(session_id) as cabin:
        yield cabin


Registry = Annotated[Cabins, Depends(cabins_of)]
CabinDep = Annotated[Cabin, Depends(cabin_of)]


@public.get("/health")
async def health(cabins: Registry) -> m.Health:
    """Liveness; needs no token."""
    return m.Health(status="ok", version=version(), sessions=await cabins.count())


# -- sessions ------------------------------------------------------------------------------


@router.get("/sessions", tags=["sessions"])
async def list_sessions(cabins: Registry, caller: CallerDep) -> list[m.SessionOut]:
    """Every open session (one cabin each); a cabin's token sees its own only."""
    listed = await cabins.listing()
    mine = [c for c in listed if isinstance(caller, Operator) or c["id"] == caller.cabin]
    return [m.SessionOut.model_validate(c) for c in mine]


@router.post(
    "/sessions",
    status_code=201,
    tags=["sessions"],
    responses={409: {"model": m.Problem}, 429: {"model": m.Problem}},
)
async def create_session(
    body: m.SessionCreate, cabins: Registry, caller: CallerDep, request: Request
) -> m.SessionOpened:
    """Open a cabin (operator only): a fresh simulated car in its default state, then ``given``.
    The answer carries the cabin's own tokens, shown this once."""
    require_operator(caller, "opening a cabin")
    cabin = await cabins.open(body.id, body.name, _values(body.given), body.lang)
    access = access_of(request.app)
    drive, expires = access.issue(cabin.id, "drive")
    read, _ = access.issue(cabin.id, "read")
    tokens = m.CabinTokens(drive=drive, read=read, expires=expires)
    return m.SessionOpened.model_validate({**info(cabin), "tokens": tokens})


@router.get("/sessions/{session_id}", tags=["sessions"])
async def get_session(session_id: str, cabins: Registry) -> m.SessionOut:
    async with cabins.reading(session_id) as cabin:
        return m.SessionOut.model_validate(info(cabin, cabins.stream(session_id)))


@router.delete("/sessions/{session_id}", status_code=204, tags=["sessions"])
async def delete_session(session_id: str, cabins: Registry, caller: CallerDep) -> Response:
    """Close a cabin after its turn in progress (operator only); its event streams end with
    ``closed``."""
    allow_cabin(caller, session_id, change=True)
    require_operator(caller, "closing a cabin")
    await cabins.close(session_id, "deleted")
    return Response(status_code=204)


# -- turns ---------------------------------------------------------------------------------


@router.post("/sessions/{session_id}/turns", tags=["turns"])
async def say(session_id: str, body: m.Say, cabins: Registry) -> m.Turn:
    """One turn: an occupant of ``seat`` says ``text``; the car acts and the assistant replies."""
    return _turn(await cabins.say(session_id, body.text, body.seat, body.gaze))


@router.post(
    "/sessions/{session_id}/suggestion/accept",
    tags=["turns"],
    responses={409: {"model": m.Problem}},
)
async def accept(session_id: str, cabins: Registry) -> m.Turn:
    """Say yes to what the assistant offered or asked (409 when it asks nothing)."""
    return _turn(await cabins.answer(session_id, True))


@router.post(
    "/sessions/{session_id}/suggestion/dismiss",
    tags=["turns"],
    responses={409: {"model": m.Problem}},
)
async def dismiss(session_id: str, cabins: Registry) -> m.Turn:
    """Say no to what the assistant offered or asked (409 when it asks nothing)."""
    return _turn(await cabins.answer(session_id, False))


# -- the world -----------------------------------------------------------------------------


@router.get("/sessions/{session_id}/state", tags=["state"])
async def read_state(
    cabin: CabinDep,
    prefix: Annotated[list[str] | None, Query(max_length=50)] = None,
) -> m.State:
    """Current values under the prefixes (VSS ``Vehicle.`` and ``Cockpit.``), all without one."""
    return m.State(values=await cabin.assistant.snapshot(_prefixes(prefix or [])))


@router.get("/sessions/{session_id}/state/{path}", tags=["state"])
async def read_signal(path: str, cabin: CabinDep) -> m.SignalRead:
    """One signal's current value; an unknown path is a 404."""
    return m.SignalRead(path=path, value=await cabin.assistant.read(path))


@router.post("/sessions/{session_id}/sensors", tags=["state"])
async def feed(session_id: str, body: m.Sensors, cabins: Registry) -> m.Turn:
    """Readings from the world (any signal); rules, care and automations react in the result."""
    return _turn(await cabins.feed(session_id, _values(body.values)))


@router.get("/sessions/{session_id}/route", tags=["state"])
async def route(cabin: CabinDep) -> m.Route | None:
    """The active route with the range check; null without a destination."""
    summary = await route_summary(cabin.assistant)
    return None if summary is None else m.Route.model_validate(summary)


@router.get("/sessions/{session_id}/clock", tags=["clock"])
async def clock(cabin: CabinDep) -> m.Clock:
    return m.Clock(now=cabin.now, scale=cabin.clock_scale)


@router.patch("/sessions/{session_id}/clock", tags=["clock"])
async def set_clock(session_id: str, body: m.ClockSettings, cabins: Registry) -> m.Clock:
    """Run the cabin's clock faster or slower than real time, or stop it (scale 0)."""
    cabin = await cabins.set_scale(session_id, body.scale)
    return m.Clock(now=cabin.now, scale=cabin.clock_scale)


@router.post("/sessions/{session_id}/clock/advance", tags=["clock"])
async def advance(session_id: str, body: m.Advance, cabins: Registry) -> m.Turn:
    """Fast-forward: timers, reminders, rules and care fire on the way."""
    return _turn(await cabins.advance(session_id, body.seconds))


@router.get("/signals", tags=["state"])
async def signals(
    request: Request, prefix: Annotated[str, Query(max_length=200)] = ""
) -> list[m.SignalSpecOut]:
    """The car's signals: kind, datatype, unit and accepted values."""
    catalog = request.app.state.catalog
    return [
        m.SignalSpecOut(
            path=s.path,
            kind=s.kind,
            datatype=s.datatype,
            unit=s.unit,
            min=s.min,
            max=s.max,
            allowed=list(s.allowed) if s.allowed is not None else None,
            description=s.description,
        )
        for s in catalog
        if s.path.startswith(prefix)
    ]


@cache
def version() -> str:
    try:
        return metadata.version("codriver")
    except metadata.PackageNotFoundError:
        return "unknown"


def _prefixes(given: list[str]) -> list[str]:
    """Prefixes as people write them: ``Cockpit`` is every cockpit path, a trailing dot is ok."""
    wanted: list[str] = []
    for prefix in (p.rstrip(".") for p in given):
        wanted.extend(COCKPIT_PATHS if prefix == "Cockpit" else [prefix])
    return wanted


def _turn(result: TurnResult) -> m.Turn:
    return m.Turn.model_validate(result.to_dict())


def _values(values: dict[str, m.SignalValue]) -> dict[str, Value]:
    return dict(values)
