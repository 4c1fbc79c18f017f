"""The WebSocket of a session: ``hello`` with the whole cabin, then every event as it happens.

The stream is one-way; commands go through REST. A client that falls ``queue_size`` events behind
is disconnected (close code 1013) rather than slowing the cabin down. The socket closes with 1000
after the ``closed`` event when the session is deleted, 1001 when the service stops, and 1008 on a
missing or wrong token (before the handshake completes) or an unknown session.
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from codriver.server.auth import same, websocket_token
from codriver.server.cabins import Cabins
from codriver.server.events import EventStream, Subscriber
from codriver.server.problems import UnknownCabin

router = APIRouter()

POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013
GOING_AWAY = 1001


@router.websocket("/api/sessions/{session_id}/events")
async def events(websocket: WebSocket, session_id: str) -> None:
    token, protocol = websocket_token(websocket)
    if token is None or not same(token, websocket.app.state.config.token):
        await websocket.close(POLICY_VIOLATION, "missing or wrong bearer token")
        return
    cabins: Cabins = websocket.app.state.cabins
    try:  # the hello and the subscription come together: no event falls between them
        first, subscriber, stream = await cabins.watch(session_id)
    except UnknownCabin as exc:
        await websocket.close(POLICY_VIOLATION, str(exc))
        return
    try:
        await websocket.accept(subprotocol=protocol)
        await websocket.send_text(first)
        await _stream(websocket, stream, subscriber)
    finally:
        await cabins.unwatch(session_id, stream, subscriber)


async def _stream(websocket: WebSocket, stream: EventStream, subscriber: Subscriber) -> None:
    """Send events until the stream ends or the client goes; whichever comes first wins."""
    sender = asyncio.create_task(_send(websocket, subscriber))
    listener = asyncio.create_task(_listen(websocket))
    done, pending = await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
    client_left = listener in done
    for task in pending:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
            await task
    if not client_left:
        code = TRY_AGAIN_LATER if subscriber.overflowed else _end_code(stream)
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(code)


async def _send(websocket: WebSocket, subscriber: Subscriber) -> None:
    while (text := await subscriber.queue.get()) is not None:
        await websocket.send_text(text)


async def _listen(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, to notice when it leaves."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass


def _end_code(stream: EventStream) -> int:
    return GOING_AWAY if stream.closed_for == "shutdown" else 1000
