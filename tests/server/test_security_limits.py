"""Limits at the edge: failed authentication is rate-limited per address (429 with Retry-After,
for a right token too), a chunked body over the limit is a 413 on a real uvicorn, and OPTIONS and
wrong methods answer with the path's real ``Allow``."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from codriver.server.app import build_app
from codriver.server.config import ServerConfig
from codriver.server.ratelimit import FailureLimiter
from codriver.testing.served import served as serving

TOKEN = "test-token"  # the token of conftest's client
AUTH = {"Authorization": f"Bearer {TOKEN}"}

WRONG = {"Authorization": "Bearer wrong-token"}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock) -> FastAPI:
    config = ServerConfig(
        token=TOKEN, tick_seconds=None, max_cabins=4, auth_failures=3, auth_window=60.0
    )
    return build_app(config, wall_clock=clock)


def test_failed_authentication_is_rate_limited(client: TestClient, clock: Clock) -> None:
    bare = TestClient(client.app)
    for _ in range(3):
        assert bare.get("/api/sessions", headers=WRONG).status_code == 401
    clock.now += 10
    blocked = bare.get("/api/sessions", headers=WRONG)
    assert blocked.status_code == 429
    assert blocked.headers["retry-after"] == "50"
    assert "failed" in blocked.json()["detail"]
    right = bare.get("/api/sessions", headers=AUTH)  # same address: cannot tell tokens apart
    assert right.status_code == 429
    assert bare.get("/api/health").status_code == 200
    clock.now += 50
    assert bare.get("/api/sessions", headers=AUTH).status_code == 200


def test_the_stream_counts_and_obeys_the_same_limit(client: TestClient) -> None:
    for _ in range(3):
        assert refusal(client, "/api/sessions/x/events?token=wrong")[0] == 4401
    assert client.post("/api/sessions", json={"id": "A"}).status_code == 429
    code, reason = refusal(client, f"/api/sessions/A/events?token={TOKEN}")
    assert code == 4429
    assert "retry in 60 s" in reason


def refusal(client: TestClient, url: str) -> tuple[int, str]:
    with client.websocket_connect(url) as ws, pytest.raises(WebSocketDisconnect) as refused:
        ws.receive_json()
    return refused.value.code, refused.value.reason


@pytest.mark.parametrize(
    ("address", "neighbour", "shared"),
    [
        ("203.0.113.7", "203.0.113.8", False),
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", True),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
    ],
    ids=["ipv4 per address", "ipv6 same /64", "ipv6 other /64"],
)
def test_addresses_are_counted_apart(address: str, neighbour: str, shared: bool) -> None:
    clock = Clock()
    limiter = FailureLimiter(limit=2, window=60.0, clock=clock)
    limiter.failed(address)
    limiter.failed(address)
    assert limiter.retry_after(address) == 60
    assert (limiter.retry_after(neighbour) is not None) is shared


def test_the_limiter_forgets_the_oldest_addresses_first() -> None:
    limiter = FailureLimiter(limit=1, window=60.0, clock=Clock(), capacity=3)
    for n in range(5):
        limiter.failed(f"198.51.100.{n}")
    assert limiter.retry_after("198.51.100.0") is None
    assert limiter.retry_after("198.51.100.4") == 60


# -- bodies and methods on a real uvicorn -----------------------------------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[int]:
    with serving(build_app(ServerConfig(token=TOKEN, tick_seconds=None))) as port:
        yield port


def raw(port: int, head: str, chunks: list[bytes]) -> tuple[int, bytes]:
    """Sends a request by hand, its body in chunked encoding (from a thread, so the answer is read
    while the body still goes); the status and the whole answer."""
    body = b"".join(f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks) + b"0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:

        def send() -> None:
            with contextlib.suppress(OSError):  # the server may answer and close before the end
                sock.sendall(head.encode() + body)

        sender = threading.Thread(target=send)
        sender.start()
        answer = b""
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
        sender.join()
    return int(answer.split(b" ", 2)[1]), answer


def chunked_head(port: int, path: str) -> str:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )


def test_a_chunked_body_over_the_limit_is_a_413(served: int) -> None:
    chunks = [b'{"id": "' + b"x" * 8000] + [b"y" * 8000] * 9 + [b'"}']
    status, answer = raw(served, chunked_head(served, "/api/sessions"), chunks)
    assert status == 413, answer[:300]
    assert b"64 KiB" in answer


def test_a_chunked_body_within_the_limit_is_served(served: int) -> None:
    status, answer = raw(served, chunked_head(served, "/api/sessions"), [b'{"id": "chunk', b'ed"}'])
    assert status == 201, answer[:300]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/sessions", {"GET", "POST", "OPTIONS"}),
        ("/api/sessions/A", {"GET", "DELETE", "OPTIONS"}),
        ("/api/sessions/A/turns", {"POST", "OPTIONS"}),
        ("/api/sessions/A/clock", {"GET", "PATCH", "OPTIONS"}),
    ],
)
def test_options_on_an_api_path_lists_its_methods(
    client: TestClient, path: str, allowed: set[str]
) -> None:
    bare = TestClient(client.app)
    preflight = bare.options(
        path,
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert set(preflight.headers["allow"].split(", ")) == allowed
    assert not any(h.startswith("access-control-") for h in preflight.headers)
    wrong = client.put(path, json={})
    assert wrong.status_code == 405
    assert set(wrong.headers["allow"].split(", ")) == allowed
    assert wrong.json()["detail"]


def test_unknown_api_paths_are_a_json_404(client: TestClient) -> None:
    response = client.get("/api/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert client.options("/api/nope").status_code == 404


def test_a_stream_on_an_unknown_path_is_closed_with_4404(client: TestClient) -> None:
    assert refusal(client, f"/api/sessions/A/nothing?token={TOKEN}")[0] == 4404


def test_options_on_the_cockpit_files_is_a_405(client: TestClient) -> None:
    response = client.options("/index.html")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
