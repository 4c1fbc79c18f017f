"""The event stream's own checks, under any ASGI server: a browser page's Origin must be the
service's or an allowed one (4403 otherwise), clients without Origin get in on their token, and a
client message over the cap closes the stream with 1009."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from codriver.server.app import build_app
from codriver.server.config import ServerConfig
from codriver.server.origins import origin_allowed

TOKEN = "test-token"
URL = f"/api/sessions/cabin-a/events?token={TOKEN}"


@pytest.fixture
def app() -> FastAPI:
    config = ServerConfig(
        token=TOKEN,
        tick_seconds=None,
        allow_origins=("https://fleet.example/",),
        ws_max_message=1024,
    )
    return build_app(config)


def first_or_close(client: TestClient, origin: str | None) -> str | int:
    """The first message's type, or the close code when the stream is refused."""
    headers = {} if origin is None else {"Origin": origin}
    with client.websocket_connect(URL, headers=headers) as ws:
        try:
            return str(ws.receive_json()["type"])
        except WebSocketDisconnect as closed:
            return closed.code


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        (None, "hello"),
        ("http://testserver", "hello"),
        ("http://testserver:80", "hello"),
        ("https://fleet.example", "hello"),
        ("https://evil.example", 4403),
        ("http://testserver.evil.example", 4403),
        ("http://testserver:8080", 4403),
        ("null", 4403),
    ],
    ids=[
        "no origin",
        "same origin",
        "same origin with its port",
        "allowed",
        "another site",
        "a look-alike",
        "another port",
        "an opaque origin",
    ],
)
def test_the_origin_is_checked(
    client: TestClient, cabin: str, origin: str | None, expected: str | int
) -> None:
    assert first_or_close(client, origin) == expected


def test_a_refused_origin_is_not_a_failed_authentication(client: TestClient, cabin: str) -> None:
    for _ in range(12):  # more than the failures that block an address
        assert first_or_close(client, "https://evil.example") == 4403
    assert first_or_close(client, None) == "hello"


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("https://car.example", "car.example", True),
        ("http://car.example", "car.example", True),
        ("https://car.example:8443", "car.example", False),
        ("https://car.example", "car.example:443", True),
        ("http://[::1]:8765", "[::1]:8765", True),
        ("http://[::1]:8765", "[::1]:8766", False),
        ("http://car.example", None, False),
        ("ftp://car.example", "car.example", False),
        ("http://car.example:port", "car.example", False),
    ],
)
def test_origin_against_host(origin: str, host: str | None, allowed: bool) -> None:
    assert origin_allowed(origin, host, ()) is allowed


@pytest.mark.parametrize("kind", ["text", "bytes"])
def test_a_message_over_the_cap_closes_the_stream(
    client: TestClient, cabin: str, kind: str
) -> None:
    with client.websocket_connect(URL) as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_text("x" * 1000)  # within the cap: ignored
        if kind == "text":
            ws.send_text("字" * 400)  # 1200 bytes as UTF-8
        else:
            ws.send_bytes(b"x" * 1025)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 1009
