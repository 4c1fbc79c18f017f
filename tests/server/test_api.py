"""The REST API: sessions, turns, state, sensors, suggestions, the clock, profiles and route."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

SEAT_HEAT = "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling"
DRIVER_TEMP = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
FATIGUE = {"Vehicle.Speed": 100, "Vehicle.Driver.FatigueLevel": 80}


def say(client: TestClient, cabin: str, text: str, seat: str = "driver") -> dict[str, object]:
    response = client.post(f"/api/sessions/{cabin}/turns", json={"text": text, "seat": seat})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def value(client: TestClient, cabin: str, path: str) -> object:
    response = client.get(f"/api/sessions/{cabin}/state/{path}")
    assert response.status_code == 200, response.text
    return response.json()["value"]


def test_health_needs_no_token(client: TestClient) -> None:
    body = TestClient(client.app).get("/api/health").json()
    assert body["status"] == "ok"
    assert body["sessions"] == 0


def test_sessions_open_list_and_close(client: TestClient) -> None:
    made = client.post("/api/sessions", json={"id": "one", "name": "Demo"}).json()
    assert made["id"] == "one" and made["name"] == "Demo" and made["turns"] == 0
    generated = client.post("/api/sessions", json={}).json()["id"]
    assert sorted(s["id"] for s in client.get("/api/sessions").json()) == sorted(["one", generated])
    assert client.delete("/api/sessions/one").status_code == 204
    assert client.get("/api/sessions/one").status_code == 404
    assert [s["id"] for s in client.get("/api/sessions").json()] == [generated]


def test_a_compound_turn_acts_and_replies(client: TestClient, cabin: str) -> None:
    turn = say(client, cabin, "打开座椅加热，氛围灯调成蓝色，再来点周杰伦")
    assert turn["outcome"] == "done" and turn["lang"] == "zh"
    tools = [a["tool"] for a in turn["actions"]]  # type: ignore[union-attr]
    assert len(tools) == 3
    assert value(client, cabin, SEAT_HEAT) > 0  # type: ignore[operator]
    assert value(client, cabin, "Vehicle.Cabin.Infotainment.Media.Action") == "PLAY"
    assert client.get(f"/api/sessions/{cabin}").json()["turns"] == 1


def test_the_speaking_seat_is_the_one_acted_on(client: TestClient, cabin: str) -> None:
    say(client, cabin, "turn on my seat heating", seat="rear_right")
    assert value(client, cabin, "Vehicle.Cabin.Seat.Row2.PassengerSide.HeatingCooling") > 0  # type: ignore[operator]
    assert value(client, cabin, SEAT_HEAT) == 0


def test_state_reads_by_prefix(client: TestClient, cabin: str) -> None:
    say(client, cabin, "navigate to Hangzhou")
    values = client.get(f"/api/sessions/{cabin}/state", params={"prefix": "Cockpit"}).json()
    assert values["values"]["Cockpit.Navigation.Destination"] == "Hangzhou"
    assert all(p.startswith("Cockpit.") for p in values["values"])
    hvac = client.get(
        f"/api/sessions/{cabin}/state", params={"prefix": "Vehicle.Cabin.HVAC.Station.Row1"}
    )
    assert DRIVER_TEMP in hvac.json()["values"]


def test_route_has_the_range_check(client: TestClient, cabin: str) -> None:
    assert client.get(f"/api/sessions/{cabin}/route").json() is None
    say(client, cabin, "navigate to Hangzhou")
    route = client.get(f"/api/sessions/{cabin}/route").json()
    assert route["destination"] == "Hangzhou"
    assert 150 < route["distance_km"] < 250 and route["enough"] is True
    client.post(
        f"/api/sessions/{cabin}/sensors", json={"values": {"Vehicle.Powertrain.Range": 50000}}
    )
    assert client.get(f"/api/sessions/{cabin}/route").json()["enough"] is False


def test_a_sensor_change_brings_a_suggestion_that_can_be_accepted(
    client: TestClient, cabin: str
) -> None:
    reaction = client.post(f"/api/sessions/{cabin}/sensors", json={"values": FATIGUE}).json()
    assert reaction["outcome"] == "asked"
    accepted = client.post(f"/api/sessions/{cabin}/suggestion/accept").json()
    assert accepted["outcome"] == "done"
    assert value(client, cabin, "Cockpit.Navigation.Destination")  # off to a rest area
    again = client.post(f"/api/sessions/{cabin}/suggestion/accept")
    assert again.status_code == 409


def test_a_suggestion_can_be_dismissed(client: TestClient, cabin: str) -> None:
    client.post(f"/api/sessions/{cabin}/sensors", json={"values": FATIGUE})
    dismissed = client.post(f"/api/sessions/{cabin}/suggestion/dismiss").json()
    assert dismissed["actions"] == []
    assert value(client, cabin, "Cockpit.Navigation.Destination") == ""


def test_fast_forward_fires_a_timer(client: TestClient, cabin: str) -> None:
    say(client, cabin, "set a timer for 5 minutes")
    early = client.post(f"/api/sessions/{cabin}/clock/advance", json={"seconds": 60}).json()
    assert early["reply"] == ""
    later = client.post(f"/api/sessions/{cabin}/clock/advance", json={"seconds": 300}).json()
    assert "5 min" in later["reply"]
    clock = client.get(f"/api/sessions/{cabin}/clock").json()
    assert clock["now"] == pytest.approx(1_790_000_000 + 360)


def test_clock_scale_is_set_per_session(client: TestClient, cabin: str) -> None:
    assert client.get(f"/api/sessions/{cabin}").json()["clock_scale"] == 0  # no ticker here
    assert client.patch(f"/api/sessions/{cabin}/clock", json={"scale": 10}).json()["scale"] == 10
    assert client.get(f"/api/sessions/{cabin}").json()["clock_scale"] == 10


def test_profiles_are_read_and_remembered(client: TestClient, cabin: str) -> None:
    profiles = client.get(f"/api/sessions/{cabin}/profiles").json()
    assert profiles["driver"]["name"] == {"en": "Li Wei", "zh": "李伟"}
    patched = client.patch(f"/api/sessions/{cabin}/profiles/driver", json={"temperature": 19.5})
    assert patched.json()["temperature"] == 19.5
    say(client, cabin, "my usual settings")
    assert value(client, cabin, DRIVER_TEMP) == 19.5


def test_sessions_are_isolated(client: TestClient, cabin: str) -> None:
    client.post("/api/sessions", json={"id": "cabin-b"})
    say(client, cabin, "set the temperature to 18")
    say(client, "cabin-b", "set the temperature to 26")
    client.post(f"/api/sessions/{cabin}/sensors", json={"values": FATIGUE})
    assert value(client, cabin, DRIVER_TEMP) == 18
    assert value(client, "cabin-b", DRIVER_TEMP) == 26
    assert value(client, "cabin-b", "Vehicle.Speed") == 0
    assert client.post("/api/sessions/cabin-b/suggestion/accept").status_code == 409


def test_signals_list_the_catalog(client: TestClient) -> None:
    signals = client.get("/api/signals", params={"prefix": "Vehicle.Cabin.Sunroof"}).json()
    switch = next(s for s in signals if s["path"] == "Vehicle.Cabin.Sunroof.Switch")
    assert switch["kind"] == "actuator" and "OPEN" in switch["allowed"]


def test_the_cockpit_and_schema_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "codriver" in page.text
    for asset in ("app.js", "car.svg", "strings.json", "cockpit.css"):
        assert client.get(f"/{asset}").status_code == 200, asset
    schema = client.get("/openapi.json").json()
    assert "/api/sessions/{session_id}/turns" in schema["paths"]
    assert "TurnEvent" in schema["components"]["schemas"]
