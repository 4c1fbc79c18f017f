"""Who may do what: the operator token manages every cabin; a cabin's own token reads (``read``) or
reads and drives (``drive``) that one cabin and nothing else. Another cabin looks exactly like one
that does not exist. Checked against the real app, over REST and the WebSocket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from codriver.server.app import build_app
from codriver.server.config import ServerConfig

TOKEN = "test-token"  # the token of conftest's client
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class WallClock:
    """Real time as the test says it is."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall() -> WallClock:
    return WallClock()


@pytest.fixture
def app(wall: WallClock) -> FastAPI:
    config = ServerConfig(token=TOKEN, tick_seconds=None, max_cabins=4)
    return build_app(config, wall_clock=wall)


@pytest.fixture
def opened(client: TestClient) -> dict[str, str]:
    """Two cabins, A and B; A's tokens by scope."""
    first = client.post("/api/sessions", json={"id": "A"})
    assert first.status_code == 201, first.text
    assert client.post("/api/sessions", json={"id": "B"}).status_code == 201
    tokens = first.json()["tokens"]
    return {"drive": tokens["drive"], "read": tokens["read"]}


@pytest.fixture
def bare(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def as_(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_opening_a_cabin_returns_its_tokens_once(client: TestClient, wall: WallClock) -> None:
    opened = client.post("/api/sessions", json={"id": "A"}).json()
    tokens = opened["tokens"]
    assert tokens["drive"] != tokens["read"]
    assert tokens["drive"] not in (TOKEN, "") and tokens["read"] != TOKEN
    assert tokens["expires"] == pytest.approx(wall.now + 7 * 24 * 3600)
    assert "tokens" not in client.get("/api/sessions/A").json()
    assert all("tokens" not in s for s in client.get("/api/sessions").json())


def test_a_drive_token_drives_its_own_cabin(bare: TestClient, opened: dict[str, str]) -> None:
    drive = as_(opened["drive"])
    turn = bare.post("/api/sessions/A/turns", json={"text": "open the sunroof"}, headers=drive)
    assert turn.status_code == 200, turn.text
    assert turn.json()["outcome"] == "done"
    assert bare.get("/api/sessions/A/state", headers=drive).status_code == 200
    clock = bare.patch("/api/sessions/A/clock", json={"scale": 2}, headers=drive)
    assert clock.status_code == 200
    patch = bare.patch("/api/sessions/A/profiles/driver", json={"music": "jazz"}, headers=drive)
    assert patch.status_code == 200
    assert bare.get("/api/signals", headers=drive).status_code == 200


def test_a_read_token_reads_but_cannot_change(bare: TestClient, opened: dict[str, str]) -> None:
    read = as_(opened["read"])
    assert bare.get("/api/sessions/A", headers=read).status_code == 200
    assert bare.get("/api/sessions/A/clock", headers=read).status_code == 200
    for method, path, body in [
        ("POST", "/api/sessions/A/turns", {"text": "open the sunroof"}),
        ("POST", "/api/sessions/A/sensors", {"values": {"Vehicle.Speed": 50}}),
        ("PATCH", "/api/sessions/A/clock", {"scale": 2}),
        ("POST", "/api/sessions/A/clock/advance", {"seconds": 60}),
        ("PATCH", "/api/sessions/A/profiles/driver", {"music": "jazz"}),
    ]:
        refused = bare.request(method, path, json=body, headers=read)
        assert refused.status_code == 403, (method, path, refused.text)
        assert "read" in refused.json()["detail"]
    assert bare.get("/api/sessions/A", headers=read).json()["turns"] == 0


@pytest.mark.parametrize("scope", ["drive", "read"])
def test_another_cabin_is_as_unknown_as_a_missing_one(
    bare: TestClient, opened: dict[str, str], scope: str
) -> None:
    mine = as_(opened[scope])
    for path in ["/api/sessions/{}", "/api/sessions/{}/state", "/api/sessions/{}/profiles"]:
        other = bare.get(path.format("B"), headers=mine)
        missing = bare.get(path.format("nope"), headers=mine)
        assert other.status_code == missing.status_code == 404
        assert other.json()["detail"].replace("B", "X") == missing.json()["detail"].replace(
            "nope", "X"
        )
    turn = bare.post("/api/sessions/B/turns", json={"text": "hi"}, headers=mine)
    assert turn.status_code == 404
    assert bare.delete("/api/sessions/B", headers=mine).status_code == 404
    assert [s["id"] for s in bare.get("/api/sessions", headers=mine).json()] == ["A"]


@pytest.mark.parametrize("scope", ["drive", "read"])
def test_only_the_operator_manages_cabins(
    bare: TestClient, client: TestClient, opened: dict[str, str], scope: str
) -> None:
    mine = as_(opened[scope])
    assert bare.post("/api/sessions", json={"id": "C"}, headers=mine).status_code == 403
    assert bare.delete("/api/sessions/A", headers=mine).status_code == 403
    minted = bare.post("/api/sessions/A/tokens", json={"scope": "drive"}, headers=mine)
    assert minted.status_code == 403
    assert sorted(s["id"] for s in client.get("/api/sessions").json()) == ["A", "B"]


def test_the_operator_mints_tokens_with_a_lifetime(
    client: TestClient, bare: TestClient, opened: dict[str, str], wall: WallClock
) -> None:
    minted = client.post("/api/sessions/A/tokens", json={"scope": "read", "ttl": 120})
    assert minted.status_code == 201, minted.text
    body = minted.json()
    assert (body["scope"], body["cabin"]) == ("read", "A")
    assert body["expires"] == pytest.approx(wall.now + 120)
    assert bare.get("/api/sessions/A", headers=as_(body["token"])).status_code == 200
    wall.now += 121
    expired = bare.get("/api/sessions/A", headers=as_(body["token"]))
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]
    assert client.post("/api/sessions/nope/tokens", json={"scope": "read"}).status_code == 404
    too_long = client.post("/api/sessions/A/tokens", json={"scope": "read", "ttl": 10**9})
    assert too_long.status_code == 422


def test_a_token_with_a_changed_byte_is_refused(bare: TestClient, opened: dict[str, str]) -> None:
    token = opened["read"]
    prefix, payload, signature = token.split(".")
    other_sig = ("A" if signature[0] != "A" else "B") + signature[1:]
    for forged in [
        f"{prefix}.{payload}.{other_sig}",
        f"{prefix}.{payload[:-1]}.{signature}",
        token[:-2],
    ]:
        response = bare.get("/api/sessions/A", headers=as_(forged))
        assert response.status_code == 401, forged


def test_tokens_from_another_service_are_refused(opened: dict[str, str]) -> None:
    other = build_app(ServerConfig(token="another-operator-token", tick_seconds=None))
    with TestClient(other) as client:
        client.post("/api/sessions", json={"id": "A"}, headers=as_("another-operator-token"))
        assert client.get("/api/sessions/A", headers=as_(opened["drive"])).status_code == 401


def test_a_second_worker_with_the_same_operator_token_accepts_them(
    opened: dict[str, str],
) -> None:
    """Nothing is stored: any process with the operator token verifies a cabin token."""
    worker = build_app(ServerConfig(token=TOKEN, tick_seconds=None))
    with TestClient(worker) as client:
        assert client.post("/api/sessions", json={"id": "A"}, headers=AUTH).status_code == 201
        assert client.get("/api/sessions/A", headers=as_(opened["read"])).status_code == 200


def test_the_stream_follows_the_same_rules(bare: TestClient, opened: dict[str, str]) -> None:
    for scope in ("drive", "read"):
        url = "/api/sessions/A/events"
        with bare.websocket_connect(
            url, subprotocols=["codriver", f"bearer.{opened[scope]}"]
        ) as ws:
            assert ws.receive_json()["type"] == "hello"
    url = f"/api/sessions/B/events?token={opened['drive']}"
    with bare.websocket_connect(url) as ws, pytest.raises(WebSocketDisconnect) as refused:
        ws.receive_json()
    assert refused.value.code == 4404
