"""Request bodies over ``MAX_BODY`` bytes get a 413, whether their ``Content-Length`` says so or
they arrive chunked: the body is read and counted before the app sees it, and never held beyond
the limit (plain ASGI, so it costs little)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024


class BodyLimit:
    """Reads each request's body up to ``MAX_BODY`` bytes, then hands it to the app whole."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            await _too_large(send)
            return
        messages = await _read_body(receive)
        if messages is None:
            await _too_large(send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _read_body(receive: Receive) -> list[Message] | None:
    """The request's messages up to the end of its body (or the client leaving); None when the
    body goes over the limit."""
    messages: list[Message] = []
    seen = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        seen += len(message.get("body", b""))
        if seen > MAX_BODY:
            return None
        if not message.get("more_body", False):
            return messages


async def _too_large(send: Send) -> None:
    body = b'{"detail":"request body over 64 KiB"}'
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the rest of the body is not read
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
