"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for testing LLM backends.

It speaks the real wire protocol (JSON and ``stream: true`` server-sent events, tool calls, bearer
auth, OpenAI-style errors), so a brain under test talks to it through the official SDK unchanged::

    script = replies([Reply(tool_calls=(ToolCallReply("set_temperature", {"celsius": 23}),))])
    with ScriptedOpenAI(script, model="qwen-plus", api_key="test") as server:
        client = AsyncOpenAI(base_url=server.base_url, api_key="test")

Standard library only, so the core package gains no dependency. Each handler runs in its own daemon
thread: a delayed reply blocks neither other requests nor :meth:`ScriptedOpenAI.close`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from codriver.testing.openai_script import (
    Predicate,
    Reply,
    Request,
    Responder,
    ToolCallReply,
    after_tool_result,
    completion_body,
    error_body,
    last_user_says,
    replies,
    rules,
    stream_chunks,
)

TRICKLE_BYTES = 16
"""Bytes per piece of a trickled JSON body."""


class ScriptedOpenAI:
    """A local chat-completions server that answers each request with ``responder``'s reply.

    ``model`` is the only model served (any other gets a 404, as from a real endpoint); with
    ``api_key`` set, a request without ``Authorization: Bearer <api_key>`` gets a 401. Every
    authorized, well-formed request body is kept in ``requests``, in arrival order. A responder that
    raises (an exhausted script, say) is answered with a 500 the SDK does not retry, and its
    exception is kept in ``errors``.
    """

    def __init__(
        self,
        responder: Responder,
        *,
        model: str = "qwen-plus",
        api_key: str | None = "test",
        stream_chunk_chars: int = 8,
    ) -> None:
        self.responder, self.model, self.api_key = responder, model, api_key
        self.stream_chunk_chars = stream_chunk_chars
        self.requests: list[Request] = []
        self.errors: list[Exception] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._http.daemon_threads = True
        loop = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        loop.start()

    @property
    def base_url(self) -> str:
        """The OpenAI base URL to give a client: ``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    @property
    def closed(self) -> bool:
        return self._closing.is_set()

    def close(self) -> None:
        """Stops serving; handlers still waiting out a ``delay_s`` wake up and answer nothing."""
        if not self._closing.is_set():
            self._closing.set()
            self._http.shutdown()
            self._http.server_close()

    def __enter__(self) -> ScriptedOpenAI:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def answer(self, request: Request) -> tuple[int, Reply | Exception]:
        """Records ``request`` and asks the responder (one at a time, so a queue stays in order)."""
        with self._lock:
            self.requests.append(request)
            try:
                return len(self.requests), self.responder(request)
            except Exception as error:
                self.errors.append(error)
                return len(self.requests), error

    def wait(self, seconds: float) -> bool:
        """Sleeps ``seconds`` unless closed meanwhile; says whether the server is still open."""
        return seconds <= 0 or not self._closing.wait(seconds)


def _handler_for(server: ScriptedOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's HTTP client expects

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: a test's output is not the place for an access log."""

        def do_GET(self) -> None:
            if not self._admitted():
                return
            if self.path.split("?")[0].rstrip("/") != "/v1/models":
                self._json(404, error_body(404, f"no route for GET {self.path}"))
                return
            model = {"id": server.model, "object": "model", "created": 0, "owned_by": "codriver"}
            self._json(200, {"object": "list", "data": [model]})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not self._admitted():
                return
            if self.path.split("?")[0].rstrip("/") != "/v1/chat/completions":
                self._json(404, error_body(404, f"no route for POST {self.path}"))
                return
            try:
                request = json.loads(raw)
            except ValueError as error:
                message = f"request body is not JSON: {error}"
                self._json(400, error_body(400, message, "invalid_json"))
                return
            if not isinstance(request, dict):
                message = "request body must be a JSON object"
                self._json(400, error_body(400, message, "invalid_json"))
            elif request.get("model") != server.model:
                message = f"The model `{request.get('model')}` does not exist"
                self._json(404, error_body(404, message, "model_not_found"))
            else:
                self._complete(request)

        def _admitted(self) -> bool:
            """Refuses a request on a connection kept alive past close, or without the key."""
            if server.closed:
                self.close_connection = True
                return False
            if server.api_key is None or self.headers.get("Authorization") == (
                f"Bearer {server.api_key}"
            ):
                return True
            message = "Incorrect API key provided"
            self._json(401, error_body(401, message, "invalid_api_key"))
            return False

        def _complete(self, request: dict[str, Any]) -> None:
            number, reply = server.answer(request)
            if isinstance(reply, Exception):
                body = error_body(500, f"scripted responder failed: {reply}")
                self._json(500, body, {"x-should-retry": "false"})
                return
            if not server.wait(reply.delay_s):
                self.close_connection = True
                return
            try:
                self._reply(reply, number, request)
            except ConnectionError:  # the client gave up (its timeout) before the answer came
                self.close_connection = True

        def _reply(self, reply: Reply, number: int, request: dict[str, Any]) -> None:
            streaming = bool(request.get("stream"))
            if reply.raw_body is not None:
                kind = "text/event-stream" if streaming else "application/json"
                self._send(reply.status, reply.raw_body.encode(), kind)
            elif reply.status >= 400:
                self._json(reply.status, error_body(reply.status, reply.content or "error"))
            elif streaming:
                chunks = stream_chunks(reply, number, request, server.stream_chunk_chars)
                self._stream(chunks, reply.trickle_s)
            elif reply.trickle_s > 0:
                body = json.dumps(completion_body(reply, number, request), ensure_ascii=False)
                self._send(200, body.encode(), "application/json", pause_s=reply.trickle_s)
            else:
                self._json(200, completion_body(reply, number, request))

        def _json(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self._send(status, data, "application/json", headers)

        def _send(
            self,
            status: int,
            body: bytes,
            kind: str,
            headers: dict[str, str] | None = None,
            *,
            pause_s: float = 0.0,
        ) -> None:
            self.send_response(status)
            for name, value in {"Content-Type": kind, **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if pause_s <= 0:
                self.wfile.write(body)
                return
            for start in range(0, len(body), TRICKLE_BYTES):
                if not self._trickle(body[start : start + TRICKLE_BYTES], pause_s):
                    return

        def _stream(self, chunks: Iterable[dict[str, Any]], pause_s: float = 0.0) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")  # the end of the stream is the end of the body
            self.end_headers()
            self.close_connection = True
            for chunk in chunks:
                event = f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()
                if not self._trickle(event, pause_s):
                    return
            self.wfile.write(b"data: [DONE]\n\n")

        def _trickle(self, piece: bytes, pause_s: float) -> bool:
            """Sends ``piece`` after ``pause_s``; False once the server closed meanwhile."""
            if not server.wait(pause_s):
                self.close_connection = True
                return False
            self.wfile.write(piece)
            self.wfile.flush()
            return True

    return Handler


__all__ = [
    "Predicate",
    "Reply",
    "Request",
    "Responder",
    "ScriptedOpenAI",
    "ToolCallReply",
    "after_tool_result",
    "last_user_says",
    "replies",
    "rules",
]
