"""The WebSocket stream: hello, then every event in order, each shaped as the schema says; one
session's events never reach another's stream; auth and closing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from codriver.server.event_models import Event
from codriver.server.events import EventStream

TOKEN = "test-token"  # the token of conftest's app

EVENT = TypeAdapter(Event)
FATIGUE = {"Vehicle.Speed": 100, "Vehicle.Driver.FatigueLevel": 80}


def stream(client: TestClient, cabin: str) -> Any:
    return client.websocket_connect(
        f"/api/sessions/{cabin}/events", subprotocols=["codriver", f"bearer.{TOKEN}"]
    )


def until(ws: WebSocketTestSession, kind: str) -> list[dict[str, Any]]:
    """Events up to and including the first of ``kind``, each checked against the schema."""
    seen = []
    while True:
        event = ws.receive_json()
        EVENT.validate_python(event)
        seen.append(event)
        if event["type"] == kind:
            return seen


def test_hello_draws_the_whole_cabin(client: TestClient, cabin: str) -> None:
    client.post(f"/api/sessions/{cabin}/turns", json={"text": "open the sunroof"})
    with stream(client, cabin) as ws:
        hello = ws.receive_json()
    EVENT.validate_python(hello)
    assert hello["type"] == "hello" and hello["cabin"]["id"] == cabin
    assert hello["state"]["Vehicle.Cabin.Sunroof.Position"] == 100
    assert hello["transcript"][0]["input"]["text"] == "open the sunroof"
    assert ws.accepted_subprotocol == "codriver"


def test_a_turn_streams_its_reply_and_changes(client: TestClient, cabin: str) -> None:
    with stream(client, cabin) as ws:
        ws.receive_json()
        client.post(
            f"/api/sessions/{cabin}/turns", json={"text": "打开座椅加热", "seat": "passenger"}
        )
        turn, changes = until(ws, "changes")
    assert turn["type"] == "turn" and turn["input"]["seat"] == "passenger"
    assert turn["result"]["reply"]
    paths = {c["path"] for c in changes["changes"]}
    assert "Vehicle.Cabin.Seat.Row1.PassengerSide.HeatingCooling" in paths
    assert changes["seq"] == turn["seq"] + 1


def test_a_sensor_change_streams_a_suggestion_then_its_close(
    client: TestClient, cabin: str
) -> None:
    with stream(client, cabin) as ws:
        ws.receive_json()
        client.post(f"/api/sessions/{cabin}/sensors", json={"values": FATIGUE})
        suggestion = until(ws, "suggestion")[-1]
        assert suggestion["proactive"] is True and suggestion["cause"] == "sensors"
        client.post(f"/api/sessions/{cabin}/suggestion/accept")
        events = until(ws, "suggestion_closed")
    assert events[-1]["reason"] == "accepted"
    assert events[0]["type"] == "turn" and events[0]["cause"] == "accept"
    assert any(e["type"] == "route" and e["route"] for e in events)


def test_a_timer_firing_is_a_notice(client: TestClient, cabin: str) -> None:
    client.post(f"/api/sessions/{cabin}/turns", json={"text": "set a timer for 2 minutes"})
    with stream(client, cabin) as ws:
        ws.receive_json()
        client.post(f"/api/sessions/{cabin}/clock/advance", json={"seconds": 150})
        events = until(ws, "clock")
    notice = next(e for e in events if e["type"] == "notice")
    assert notice["cause"] == "clock" and "2 min" in notice["text"]
    assert events[-1]["now"] == pytest.approx(1_790_000_150)


def test_streams_are_per_session(client: TestClient, cabin: str) -> None:
    client.post("/api/sessions", json={"id": "cabin-b"})
    with stream(client, cabin) as a, stream(client, "cabin-b") as b:
        a.receive_json()
        b.receive_json()
        client.post("/api/sessions/cabin-b/turns", json={"text": "open the trunk"})
        client.post(f"/api/sessions/{cabin}/turns", json={"text": "close the sunroof"})
        first_b = b.receive_json()
        first_a = a.receive_json()
    assert first_b["input"]["text"] == "open the trunk"
    assert first_a["input"]["text"] == "close the sunroof"


def test_deleting_the_session_ends_its_stream(client: TestClient, cabin: str) -> None:
    with stream(client, cabin) as ws:
        ws.receive_json()
        client.delete(f"/api/sessions/{cabin}")
        closed = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as ended:
            ws.receive_json()
    assert closed == {
        "seq": closed["seq"],
        "type": "closed",
        "at": closed["at"],
        "reason": "deleted",
    }
    assert ended.value.code == 1000


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/sessions/cabin-a/events", 4401),
        ("/api/sessions/cabin-a/events?token=wrong", 4401),
        (f"/api/sessions/nope/events?token={TOKEN}", 4404),
    ],
    ids=["no token", "wrong token", "unknown session"],
)
def test_refused_streams(client: TestClient, cabin: str, url: str, code: int) -> None:
    """Refusals come after the handshake, so that browsers see the code (docs/server.md)."""
    with client.websocket_connect(url) as ws, pytest.raises(WebSocketDisconnect) as refused:
        ws.receive_json()
    assert refused.value.code == code


def test_the_token_may_come_as_a_query_parameter(client: TestClient, cabin: str) -> None:
    with client.websocket_connect(f"/api/sessions/{cabin}/events?token={TOKEN}") as ws:
        assert ws.receive_json()["type"] == "hello"


def test_a_slow_subscriber_is_let_go_not_waited_for() -> None:
    events = EventStream(queue_size=3)
    slow = events.subscribe()
    for n in range(5):
        events.publish("clock", float(n), {"now": float(n), "scale": 1.0})
    queued = [slow.queue.get_nowait() for _ in range(slow.queue.qsize())]
    assert slow.overflowed
    assert len(queued) == 4 and queued[-1] is None  # three events, then the end of the stream
