"""What the service refuses: no token, bad payloads, unknown things. Always a 4xx with a message
that says what was wrong, never a 5xx."""

from __future__ import annotations

import json
import random

import pytest
from fastapi.testclient import TestClient

ROUTES = [
    ("GET", "/api/sessions"),
    ("POST", "/api/sessions"),
    ("GET", "/api/sessions/cabin-a"),
    ("DELETE", "/api/sessions/cabin-a"),
    ("POST", "/api/sessions/cabin-a/tokens"),
    ("POST", "/api/sessions/cabin-a/turns"),
    ("POST", "/api/sessions/cabin-a/suggestion/accept"),
    ("POST", "/api/sessions/cabin-a/suggestion/dismiss"),
    ("GET", "/api/sessions/cabin-a/state"),
    ("GET", "/api/sessions/cabin-a/state/Vehicle.Speed"),
    ("POST", "/api/sessions/cabin-a/sensors"),
    ("GET", "/api/sessions/cabin-a/route"),
    ("GET", "/api/sessions/cabin-a/clock"),
    ("PATCH", "/api/sessions/cabin-a/clock"),
    ("POST", "/api/sessions/cabin-a/clock/advance"),
    ("GET", "/api/sessions/cabin-a/profiles"),
    ("PATCH", "/api/sessions/cabin-a/profiles/driver"),
    ("GET", "/api/signals"),
]
BODIES = {"POST", "PATCH"}


@pytest.mark.parametrize(
    "token",
    [None, "Bearer wrong", "Basic dGVzdA==", "Bearer "],
    ids=["none", "wrong", "basic", "empty"],
)
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_calls_without_the_token_are_refused(
    client: TestClient, cabin: str, method: str, path: str, token: str | None
) -> None:
    headers = {"Authorization": token} if token is not None else {}
    bare = TestClient(client.app)
    response = bare.request(method, path, headers=headers, json={} if method in BODIES else None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/sessions/cabin-a").json()["turns"] == 0


BAD = [
    ("empty text", "/turns", {"text": ""}, 422, "text"),
    ("no text", "/turns", {"seat": "driver"}, 422, "text: Field required"),
    ("text not a string", "/turns", {"text": 5}, 422, "text"),
    ("unknown seat", "/turns", {"text": "hi", "seat": "roof"}, 422, "seat"),
    ("unknown field", "/turns", {"text": "hi", "volume": 3}, 422, "volume"),
    ("gaze off the car", "/turns", {"text": "open this", "gaze": "Vehicle.Nope"}, 422, "gaze"),
    ("text too long", "/turns", {"text": "a" * 501}, 422, "text"),
    ("unknown signal", "/sensors", {"values": {"Vehicle.Nope": 1}}, 422, "Vehicle.Nope"),
    ("wrong type", "/sensors", {"values": {"Vehicle.Speed": "fast"}}, 422, "Vehicle.Speed"),
    ("out of range", "/sensors", {"values": {"Vehicle.Driver.FatigueLevel": 500}}, 422, "Fatigue"),
    ("no values", "/sensors", {"values": {}}, 422, "values"),
    ("values a list", "/sensors", {"values": [1, 2]}, 422, "values"),
    ("cockpit wrong type", "/sensors", {"values": {"Cockpit.Rules": 3}}, 422, "Cockpit.Rules"),
    ("cockpit state", "/sensors", {"values": {"Cockpit.Phone.Call": "x"}}, 422, "not a sensor"),
    (
        "an actuator",
        "/sensors",
        {"values": {"Vehicle.Cabin.Door.Row1.DriverSide.IsLocked": False}},
        422,
        "not a sensor",
    ),
    ("time backwards", "/clock/advance", {"seconds": -5}, 422, "seconds"),
    ("time too far", "/clock/advance", {"seconds": 10**9}, 422, "seconds"),
    ("seconds a word", "/clock/advance", {"seconds": "soon"}, 422, "seconds"),
    ("nothing pending", "/suggestion/accept", None, 409, "not waiting"),
]


@pytest.mark.parametrize(
    ("path", "body", "status", "says"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_payloads_get_a_4xx_that_says_why(
    client: TestClient, cabin: str, path: str, body: object, status: int, says: str
) -> None:
    response = client.post(f"/api/sessions/{cabin}{path}", json=body)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]


def test_malformed_json_is_a_422(client: TestClient, cabin: str) -> None:
    response = client.post(
        f"/api/sessions/{cabin}/turns",
        content=b'{"text": "hi"',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_an_oversized_body_is_a_413(client: TestClient, cabin: str) -> None:
    response = client.post(f"/api/sessions/{cabin}/turns", content=b"x" * 70_000)
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/api/sessions/nope", None, 404),
        ("POST", "/api/sessions/nope/turns", {"text": "hi"}, 404),
        ("GET", "/api/sessions/cabin-a/state/Vehicle.Nope", None, 404),
        ("GET", "/api/sessions/cabin-a/state/Cockpit.Nope", None, 404),
        ("POST", "/api/sessions", {"id": "cabin-a"}, 409),
        ("POST", "/api/sessions", {"id": "bad id!"}, 422),
        ("POST", "/api/sessions", {"given": {"Vehicle.Speed": "x"}}, 422),
        ("POST", "/api/sessions", {"lang": "fr"}, 422),
        ("PATCH", "/api/sessions/cabin-a/profiles/roof", {"music": "jazz"}, 422),
        ("PATCH", "/api/sessions/cabin-a/profiles/driver", {"temperature": 99}, 422),
        ("PATCH", "/api/sessions/cabin-a/clock", {"scale": -1}, 422),
    ],
    ids=[
        "unknown session",
        "turn in unknown session",
        "unknown signal",
        "unknown cockpit path",
        "session exists",
        "bad session id",
        "bad starting value",
        "unknown language",
        "unknown seat",
        "temperature out of range",
        "negative scale",
    ],
)
def test_unknown_and_conflicting_things(
    client: TestClient, cabin: str, method: str, path: str, body: object, status: int
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == status, response.text
    assert response.json()["detail"]


def test_the_number_of_sessions_is_bounded(client: TestClient) -> None:
    for _ in range(4):
        assert client.post("/api/sessions", json={}).status_code == 201
    refused = client.post("/api/sessions", json={})
    assert refused.status_code == 429
    assert "at most 4" in refused.json()["detail"]


def _junk(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(8 if depth < 2 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 10**12, 3.5, float("1e308")])
    if kind == 3:
        return rng.choice(["", "打开车窗", "Vehicle.Speed", "\x00", "a" * 600, "Cockpit.Rules"])
    if kind == 4:
        return rng.choice(["driver", "roof", "Vehicle.Cabin", "yes"])
    if kind == 5:
        return [_junk(rng, depth + 1) for _ in range(rng.randrange(3))]
    keys = ["text", "seat", "gaze", "values", "seconds", "scale", "id", "given", "lang", "music"]
    keys += ["Vehicle.Speed", "Vehicle.Driver.FatigueLevel", "temperature", "x", "scope", "ttl"]
    return {rng.choice(keys): _junk(rng, depth + 1) for _ in range(rng.randrange(4))}


def test_random_payloads_never_get_a_5xx(client: TestClient, cabin: str) -> None:
    rng = random.Random(7)
    posts = [p for m, p in ROUTES if m in BODIES]
    for _ in range(400):
        path = rng.choice(posts)
        method = "PATCH" if path.endswith(("clock", "driver")) else "POST"
        body = json.dumps(_junk(rng)).encode()
        response = client.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code < 500, (path, body, response.text)
