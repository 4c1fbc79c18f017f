"""The WebSocket of a session: ``hello`` with the whole cabin, then every event as it happens.

The stream is one-way; commands go through REST. A client that falls ``queue_size`` events behind
is disconnected (close code 1013) rather than slowing the cabin down, and one that sends a message
over ``ws_max_message`` bytes with 1009. The socket closes with 1000 after the ``closed`` event
when the session is deleted and 1001 when the service stops. Refusals are sent after the
handshake, so that browsers see their code too: 4401 (no valid token), 4403 (a page from an origin
not allowed), 4404 (no such cabin, or not the token's), 4429 (too many failed authentications).
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from codriver.server.auth import Refused, access_of, address_of, allow_cabin, websocket_token
from codriver.server.cabins import Cabins
from codriver.server.config import ServerConfig
from codriver.server.events import EventStream, Subscriber
from codriver.server.origins import origin_allowed
from codriver.server.problems import UnknownCabin

router = APIRouter()

GOING_AWAY = 1001
TOO_BIG = 1009
TRY_AGAIN_LATER = 1013
UNAUTHORIZED = 4401
FORBIDDEN_ORIGIN = 4403
NOT_FOUND = 4404
TOO_MANY_FAILURES = 4429


@router.websocket("/api/sessions/{session_id}/events")
async def events(websocket: WebSocket, session_id: str) -> None:
    token, protocol = websocket_token(websocket)
    await websocket.accept(subprotocol=protocol)
    cabins: Cabins = websocket.app.state.cabins
    try:
        _admit(websocket, session_id, token)
        # the hello and the subscription come together: no event falls between them
        first, subscriber, stream = await cabins.watch(session_id)
    except _Refusal as refusal:
        await websocket.close(refusal.code, refusal.reason)
        return
    except UnknownCabin as exc:
        await websocket.close(NOT_FOUND, _cut(str(exc)))
        return
    try:
        await websocket.send_text(first)
        await _stream(websocket, stream, subscriber)
    finally:
        await cabins.unwatch(session_id, stream, subscriber)


class _Refusal(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = _cut(reason)


def _cut(reason: str) -> str:
    """A close frame's reason holds 123 bytes."""
    return reason.encode()[:120].decode(errors="ignore")


def _admit(websocket: WebSocket, session_id: str, token: str | None) -> None:
    """Nothing when the client may stream the cabin, else the :class:`_Refusal` to close with."""
    config: ServerConfig = websocket.app.state.config
    origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
    if not origin_allowed(origin, host, config.allow_origins):
        raise _Refusal(FORBIDDEN_ORIGIN, f"origin {origin} may not stream; see --allow-origin")
    try:
        caller = access_of(websocket.app).identify(token, address_of(websocket.client))
        allow_cabin(caller, session_id, change=False)
    except Refused as exc:
        code = UNAUTHORIZED if exc.status == 401 else TOO_MANY_FAILURES
        raise _Refusal(code, exc.detail) from None
    except UnknownCabin as exc:
        raise _Refusal(NOT_FOUND, str(exc)) from None


async def _stream(websocket: WebSocket, stream: EventStream, subscriber: Subscriber) -> None:
    """Send events until the stream ends or the client goes; whichever comes first wins."""
    sender = asyncio.create_task(_send(websocket, subscriber))
    limit: int = websocket.app.state.config.ws_max_message
    listener = asyncio.create_task(_listen(websocket, limit))
    done, pending = await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
    heard = listener in done  # the client left, or sent too much
    for task in pending:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
            await task
    if heard and (listener.exception() is not None or not listener.result()):
        return  # the client left
    code = TOO_BIG if heard else _end_code(stream, subscriber)
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(code)


async def _send(websocket: WebSocket, subscriber: Subscriber) -> None:
    while (text := await subscriber.queue.get()) is not None:
        await websocket.send_text(text)


async def _listen(websocket: WebSocket, limit: int) -> bool:
    """Read (and ignore) what the client sends, to notice when it leaves; True when it sent a
    message over ``limit`` bytes (uvicorn's ``ws_max_size`` refuses those first when it runs the
    service; this holds under any server)."""
    while (message := await websocket.receive())["type"] != "websocket.disconnect":
        size = len(message.get("bytes") or b"") + len((message.get("text") or "").encode())
        if size > limit:
            return True
    return False


def _end_code(stream: EventStream, subscriber: Subscriber | None = None) -> int:
    if subscriber is not None and subscriber.overflowed:
        return TRY_AGAIN_LATER
    return GOING_AWAY if stream.closed_for == "shutdown" else 1000
