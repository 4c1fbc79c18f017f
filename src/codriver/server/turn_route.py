"""A short way through the service for the call it answers most: ``POST
/api/sessions/{id}/turns`` with a well-formed JSON body and a good token.

FastAPI's way costs more than the service's own bookkeeping for a turn: matching the path against
every route, solving the dependencies (the token, the cabin guard, the registry), validating the
body into a model, validating the answer again. This middleware sits just inside the body-size
limit and answers such a turn itself — the same checks, the same refusals, the same bytes —
and hands everything else, unchanged, to FastAPI: another path or method, a body that is not
plainly valid, a token that is not good (so failures are counted and refused in one place), a
caller the cabin guard would refuse. The route stays in FastAPI too, and in the OpenAPI schema.
"""

from __future__ import annotations

import json

from pydantic import TypeAdapter
from starlette.datastructures import State
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from codriver.errors import CodriverError, InputError
from codriver.server import models as m
from codriver.server.auth import Access, Caller, allow_cabin
from codriver.server.cabins import Cabins
from codriver.server.problems import status_of

PREFIX, SUFFIX = "/api/sessions/", "/turns"
TURN = TypeAdapter(m.Turn)
JSON_TYPE = b"application/json"


class TurnRoute:
    """Answers well-formed turns directly; passes every other request on as it came."""

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cabin_id = _turn_path(scope)
        if cabin_id is None:
            await self.app(scope, receive, send)
            return
        messages = await _read(receive)
        said = _said(scope, messages)
        caller = None if said is None else self._caller(scope, cabin_id)
        if said is None or caller is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        cabins: Cabins = self.state.cabins
        try:
            result = await cabins.say(cabin_id, said.text, said.seat, said.gaze)
        except CodriverError as exc:
            await refusal(exc)(scope, receive, send)
            return
        body = TURN.dump_json(TURN.validate_python(result.to_dict()), by_alias=True)
        await Response(body, media_type="application/json")(scope, receive, send)

    def _caller(self, scope: Scope, cabin_id: str) -> Caller | None:
        """The caller when its token is good and it may drive the cabin; None leaves the
        request to FastAPI, which refuses it (and counts a failure) as for any route."""
        access: Access = self.state.access
        client = scope.get("client")
        caller = access.admits(_bearer(scope), "unknown" if client is None else client[0])
        if caller is None:
            return None
        try:
            allow_cabin(caller, cabin_id, change=True)
        except InputError:
            return None
        return caller


def refusal(exc: CodriverError) -> JSONResponse:
    """What a refused request is answered with: its status and one line."""
    return JSONResponse({"detail": str(exc)}, status_code=status_of(exc))


def _turn_path(scope: Scope) -> str | None:
    """The cabin id of a turn's path (as the route's ``{session_id}`` matches it), else None."""
    if scope["type"] != "http" or scope["method"] != "POST" or scope.get("root_path"):
        return None
    path: str = scope["path"]
    if not (path.startswith(PREFIX) and path.endswith(SUFFIX)):
        return None
    cabin_id = path[len(PREFIX) : -len(SUFFIX)]
    return cabin_id if cabin_id and "/" not in cabin_id else None


def _said(scope: Scope, messages: list[Message]) -> m.Say | None:
    """The body when it is JSON that :class:`~codriver.server.models.Say` accepts; None for
    anything else (FastAPI answers it, with its own message)."""
    if _header(scope, b"content-type") != JSON_TYPE or messages[-1]["type"] != "http.request":
        return None
    try:
        return m.Say.model_validate(json.loads(b"".join(msg.get("body", b"") for msg in messages)))
    except (ValueError, RecursionError):  # not JSON or not a turn (ValidationError is a ValueError)
        return None


def _bearer(scope: Scope) -> str | None:
    """The token of ``Authorization: Bearer TOKEN``, read as FastAPI's ``HTTPBearer`` does."""
    value = _header(scope, b"authorization")
    if value is None:
        return None
    scheme, _, token = value.decode("latin-1").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value)
    return None


async def _read(receive: Receive) -> list[Message]:
    """The request's messages up to the end of its body (the size limit outside has read it)."""
    messages = [await receive()]
    while messages[-1]["type"] == "http.request" and messages[-1].get("more_body", False):
        messages.append(await receive())
    return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay
