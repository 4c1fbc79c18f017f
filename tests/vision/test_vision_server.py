"""The cabin camera in the service: observations posted, the driver's state and gestures streamed
to the cockpit, care's offer published as any proactive offer is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the [server] extra is not installed")

from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from vision_frames import SHUT, Clip, face, hand

from codriver.server.app import build_app
from codriver.server.config import ServerConfig
from codriver.server.event_models import Event
from codriver.vision.observation import FrameObservation

TOKEN = "vision-token"
EVENT = TypeAdapter(Event)
MOVING = {"Vehicle.Speed": 80, "Vehicle.Powertrain.Transmission.SelectedGear": 127}


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = build_app(ServerConfig(token=TOKEN, tick_seconds=None, max_cabins=2))
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as test_client:
        yield test_client


def post(client: TestClient, frames: list[FrameObservation]) -> list[dict[str, Any]]:
    answers = []
    for start in range(0, len(frames), 60):
        body = {"frames": [asdict(f) for f in frames[start : start + 60]]}
        response = client.post("/api/sessions/cab/vision", json=body)
        assert response.status_code == 200, response.text
        answers.append(response.json())
    return answers


def events(ws: Any, until: str) -> list[dict[str, Any]]:
    seen = []
    while True:
        event = ws.receive_json()
        EVENT.validate_python(event)
        seen.append(event)
        if event["type"] == until:
            return seen


def test_a_drowsy_driver_is_streamed_and_offered_a_break(client: TestClient) -> None:
    assert client.post("/api/sessions", json={"id": "cab", "given": MOVING}).status_code == 201
    protocols = ["codriver", f"bearer.{TOKEN}"]
    with client.websocket_connect("/api/sessions/cab/events", subprotocols=protocols) as ws:
        ws.receive_json()  # hello
        answers = post(client, Clip().awake(12.0).hold(3.0, face(ear=SHUT)).frames)
        seen = events(ws, "suggestion")
        seen += events(ws, "driver")  # the state of the second in which care spoke
    drivers = [e for e in seen if e["type"] == "driver"]
    assert drivers[0]["face"] == "seen" and drivers[2]["eyes_on_road"] is True
    assert "long_closure" in drivers[-1]["reasons"]
    assert [e["proactive"] for e in seen if e["type"] == "suggestion"] == [True]
    assert answers[-1]["driver"]["fatigue"] >= 70
    assert answers[-1]["driver"]["eyes_on_road"] is False
    fatigue = client.get("/api/sessions/cab/state/Vehicle.Driver.FatigueLevel").json()
    assert fatigue["value"] >= 70


def test_a_palm_is_streamed_as_a_gesture_with_the_reply(client: TestClient) -> None:
    assert client.post("/api/sessions", json={"id": "cab", "given": MOVING}).status_code == 201
    client.post("/api/sessions/cab/turns", json={"text": "play some jazz"})
    protocols = ["codriver", f"bearer.{TOKEN}"]
    with client.websocket_connect("/api/sessions/cab/events", subprotocols=protocols) as ws:
        ws.receive_json()
        post(client, Clip().hold(1.5, face(), hands=(hand((0.7, 0.6), "palm"),)).frames)
        [gesture] = [e for e in events(ws, "gesture") if e["type"] == "gesture"]
    assert gesture["kind"] == "palm" and gesture["seat"] == "driver" and gesture["reply"]
    media = client.get("/api/sessions/cab/state/Vehicle.Cabin.Infotainment.Media.Action").json()
    assert media["value"] == "STOP"


def test_frames_out_of_order_are_refused(client: TestClient) -> None:
    assert client.post("/api/sessions", json={"id": "cab"}).status_code == 201
    post(client, Clip(t=5.0).awake(1.0).frames)
    response = client.post(
        "/api/sessions/cab/vision", json={"frames": [asdict(Clip().awake(0.1).frames[0])]}
    )
    assert 400 <= response.status_code < 500 and "order" in response.text
