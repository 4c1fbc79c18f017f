"""A real ``codriver serve`` on an SQLite store: killed (SIGKILL) or stopped and started again,
every cabin answers as it did — its car, its open question, its rules and reminders, its
transcript; a file that is no store, or a directory that does not exist, is one clear error."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the [server] extra is not installed")
pytest.importorskip("websockets", reason="the websockets client is not installed")

from server_process import COMMAND, TOKEN, Server, env, free_port, start_serve
from websockets.sync.client import connect

TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
WINDOW = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position"
RAIN = "Vehicle.Body.Raindetection.Intensity"


def hello(server: Server, cabin: str) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{server.port}/api/sessions/{cabin}/events"
    with connect(url, subprotocols=["codriver", f"bearer.{TOKEN}"]) as ws:  # type: ignore[list-item]
        first: dict[str, Any] = json.loads(ws.recv(timeout=10))
    return first


@pytest.fixture
def store(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:{tmp_path / 'cabins.db'}"


def test_a_killed_service_comes_back_with_every_cabin(store: str) -> None:
    port = free_port()
    with start_serve(port, "--store", store) as server:
        api = server.client
        assert api.post("/api/sessions", json={"id": "a", "lang": "zh"}).status_code == 201
        api.patch("/api/sessions/a/clock", json={"scale": 0})  # time moves only when told
        for text in ("温度调到19度", "下雨的时候关上车窗", "把车窗都打开", "十分钟后提醒我喝水"):
            assert api.post("/api/sessions/a/turns", json={"text": text}).status_code == 200
        asked = api.post("/api/sessions/a/turns", json={"text": "导航去机场"}).json()
        assert asked["outcome"] == "asked"
        before = hello(server, "a")
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)

    with start_serve(port, "--store", store) as server:
        api = server.client
        after = hello(server, "a")
        assert after["state"] == before["state"]
        assert after["state"][TEMPERATURE] == 19
        assert after["pending"] == before["pending"] and after["pending"]["lang"] == "zh"
        assert after["transcript"] == before["transcript"]
        assert after["cabin"]["turns"] == 5
        rain = api.post("/api/sessions/a/sensors", json={"values": {RAIN: 60}}).json()
        assert [c["new"] for c in rain["changes"] if c["path"] == WINDOW] == [0]  # the rule
        later = api.post("/api/sessions/a/clock/advance", json={"seconds": 600}).json()
        assert "喝水" in later["reply"]  # the reminder
        server.process.send_signal(signal.SIGTERM)  # a clean stop too
        assert server.process.wait(timeout=20) in (0, -signal.SIGTERM)

    with start_serve(port, "--store", store) as last:
        again = hello(last, "a")
        assert again["state"][WINDOW] == 0
        assert again["cabin"]["turns"] == 5 and again["transcript"][-1]["reply"] == later["reply"]
    for run in (server, last):  # each rebuilt the cabin in a new process (another hash seed)
        assert "came out differently on replay" not in run.said
        assert "Application startup complete" in run.said


@pytest.mark.parametrize(
    ("where", "content", "says"),
    [
        ("cabins.db", b"not a database at all" * 100, "file is not a database"),
        ("nowhere/cabins.db", None, "no directory"),
    ],
    ids=["not-a-database", "no-directory"],
)
def test_a_store_that_cannot_be_used_is_one_clear_error(
    tmp_path: Path, where: str, content: bytes | None, says: str
) -> None:
    path = tmp_path / where
    if content is not None:
        path.write_bytes(content)
    done = subprocess.run(
        [*COMMAND, "--port", str(free_port()), "--store", f"sqlite:{path}"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env(),
    )
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr
