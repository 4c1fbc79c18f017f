"""The short way for turns (``codriver.server.turn_route``): a well-formed turn is answered
without FastAPI's routing and dependencies, with the same answer FastAPI gives, and every other
request — malformed, unauthenticated, refused by the cabin guard — still goes through FastAPI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from codriver.server.auth import Caller, bearer, require_token

# FastAPI reads this as JSON too; the short way takes plain ``application/json`` only.
JSON = {"Content-Type": "application/json"}
VIA_FASTAPI = {"Content-Type": "application/json; charset=utf-8"}
TURNS = [
    {"text": "打开座椅加热，氛围灯调成蓝色，再来点周杰伦"},
    {"text": "open the sunroof and play some jazz", "seat": "passenger"},
    {"text": "set the temperature to 23.5"},
    {"text": "把副驾空调调到二十三度", "seat": "rear_left", "gaze": "Vehicle.Cabin.HVAC"},
    {"text": "open the trunk", "gaze": None},
    {"text": "what's the battery level"},
    {"text": "asdf qwer"},
]
TIMINGS = {"latency_ms", "ms", "content-length"}


@pytest.fixture
def routed(app: FastAPI, client: TestClient) -> Iterator[list[str]]:
    """The paths of the calls that reached FastAPI's token dependency."""
    seen: list[str] = []
    real = require_token

    async def recording(request: Request) -> Caller:
        seen.append(request.url.path)
        return await real(request, await bearer(request))

    app.dependency_overrides[require_token] = recording
    yield seen
    app.dependency_overrides.clear()


def without_timings(value: object) -> object:
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k not in TIMINGS}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def test_a_well_formed_turn_skips_fastapi_and_answers_the_same(
    client: TestClient, routed: list[str]
) -> None:
    for cabin in ("short", "long"):
        assert client.post("/api/sessions", json={"id": cabin}).status_code == 201
    routed.clear()
    for body in TURNS:
        short = client.post("/api/sessions/short/turns", json=body)
        long = client.post("/api/sessions/long/turns", json=body, headers=VIA_FASTAPI)
        assert short.status_code == long.status_code == 200
        assert without_timings(short.json()) == without_timings(long.json())
        assert without_timings(dict(short.headers)) == without_timings(dict(long.headers))
    assert routed == ["/api/sessions/long/turns"] * len(TURNS)
    state = [client.get(f"/api/sessions/{c}/state").json() for c in ("short", "long")]
    assert state[0] == state[1]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ('{"text": ""}', 422),
        ('{"text": "%s"}' % ("x" * 501), 422),
        ('{"text": "open the trunk", "seat": "roof"}', 422),
        ('{"text": "open the trunk", "mood": "happy"}', 422),
        ('{"text": "a\\ud800b"}', 422),
        ('{"text": "open the trunk", "gaze": "%s"}' % ("x" * 201), 422),
        ("[1, 2]", 422),
        ('{"text": "open', 422),
        ("[" * 60_000, 400),
    ],
    ids=[
        "empty",
        "too-long",
        "no-such-seat",
        "unknown-field",
        "lone-surrogate",
        "long-gaze",
        "list",
        "not-json",
        "too-deep",
    ],
)
def test_a_malformed_turn_is_left_to_fastapi(
    client: TestClient, cabin: str, body: str, status: int
) -> None:
    answers = [
        client.post(f"/api/sessions/{cabin}/turns", content=body.encode(), headers=headers)
        for headers in (JSON, VIA_FASTAPI)
    ]
    assert [a.status_code for a in answers] == [status, status], answers[0].text
    assert answers[0].json() == answers[1].json()
    assert client.get(f"/api/sessions/{cabin}").json()["turns"] == 0


def test_refusals_are_the_same_either_way(client: TestClient, cabin: str) -> None:
    opened = client.post("/api/sessions", json={"id": "B"}).json()
    cases = [
        ("/api/sessions/nowhere/turns", {}),  # no such cabin: the short way answers 404
        (f"/api/sessions/{cabin}/turns", {"Authorization": f"Bearer {opened['tokens']['read']}"}),
        (f"/api/sessions/{cabin}/turns", {"Authorization": f"Bearer {opened['tokens']['drive']}"}),
        (f"/api/sessions/{cabin}/turns", {"Authorization": "Bearer wrong"}),
        (f"/api/sessions/{cabin}/turns", {"Authorization": "Basic abc"}),
    ]
    for path, headers in cases:
        short = client.post(path, json={"text": "open the trunk"}, headers=headers)
        long = client.post(path, json={"text": "open the trunk"}, headers=VIA_FASTAPI | headers)
        assert short.status_code == long.status_code != 200, path
        assert short.json() == long.json()
        assert without_timings(dict(short.headers)) == without_timings(dict(long.headers))
    assert client.get(f"/api/sessions/{cabin}").json()["turns"] == 0


def test_failed_tokens_are_counted_once_on_the_short_way(client: TestClient, cabin: str) -> None:
    wrong = {"Authorization": "Bearer wrong"}
    answers = [
        client.post(f"/api/sessions/{cabin}/turns", json={"text": "hi"}, headers=wrong)
        for _ in range(11)
    ]
    assert [a.status_code for a in answers] == [401] * 10 + [429]
    blocked = client.post(f"/api/sessions/{cabin}/turns", json={"text": "hi"})
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
