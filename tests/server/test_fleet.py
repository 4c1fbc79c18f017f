"""Two real ``codriver serve`` processes on one real Redis serve the same cabin: turns sent to
either apply in order on the one cabin, a cockpit connected to one sees the turns the other
handled, and a reminder fires once although both processes move the cabin's clock."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the [server] extra is not installed")
pytest.importorskip("websockets", reason="the websockets client is not installed")

from server_process import TOKEN, Server, free_port, start_many, start_serve
from websockets.sync.client import ClientConnection, connect

TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"


@pytest.fixture(scope="module")
def fleet(redis_server: str) -> Iterator[tuple[Server, Server]]:
    """Two workers for the module's tests (each test on its own cabin)."""
    options = ("--store", redis_server)
    with start_many([(free_port(), options), (free_port(), options)]) as [a, b]:
        yield a, b


def stream(server: Server, cabin: str) -> ClientConnection:
    url = f"ws://127.0.0.1:{server.port}/api/sessions/{cabin}/events"
    return connect(url, subprotocols=["codriver", f"bearer.{TOKEN}"])  # type: ignore[list-item]


def events_until(ws: ClientConnection, kind: str, seconds: float) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            event = json.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
        except TimeoutError:
            break
        seen.append(event)
        if event["type"] == kind:
            break
    return seen


def test_turns_on_either_worker_apply_in_order_to_one_cabin(fleet: tuple[Server, Server]) -> None:
    a, b = fleet
    assert a.client.post("/api/sessions", json={"id": "c"}).status_code == 201
    a.client.patch("/api/sessions/c/clock", json={"scale": 0})
    changed = []
    for n in range(10):
        server = (a, b)[n % 2]
        turn = server.client.post(
            "/api/sessions/c/turns", json={"text": f"set the temperature to {18 + n}"}
        )
        assert turn.status_code == 200, turn.text
        changed.append([c["old"] for c in turn.json()["changes"] if c["path"] == TEMPERATURE])
    assert changed[1:] == [[18 + n - 1] for n in range(1, 10)]  # each saw the turn before it
    for server in (a, b):
        assert server.client.get(f"/api/sessions/c/state/{TEMPERATURE}").json()["value"] == 27
        assert server.client.get("/api/sessions/c").json()["turns"] == 10


def test_a_cockpit_on_one_worker_sees_turns_on_the_other(fleet: tuple[Server, Server]) -> None:
    a, b = fleet
    a.client.post("/api/sessions", json={"id": "seen", "lang": "zh"})
    with stream(b, "seen") as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "hello"
        said = {"text": "打开座椅加热", "seat": "passenger"}
        a.client.post("/api/sessions/seen/turns", json=said)
        seen = events_until(ws, "changes", 10)
    assert [e["type"] for e in seen] == ["turn", "changes"]
    assert seen[0]["input"]["text"] == "打开座椅加热"


def test_a_reminder_fires_once_with_both_workers_watching(fleet: tuple[Server, Server]) -> None:
    a, b = fleet
    a.client.post("/api/sessions", json={"id": "r", "lang": "en"})
    a.client.post("/api/sessions/r/turns", json={"text": "remind me to drink water in 2 minutes"})
    with stream(a, "r") as on_a, stream(b, "r") as on_b:
        for ws in (on_a, on_b):
            json.loads(ws.recv(timeout=10))  # hello
        b.client.patch("/api/sessions/r/clock", json={"scale": 120})  # two minutes a second
        heard = [events_until(ws, "notice", 10) for ws in (on_a, on_b)]
        after = [events_until(ws, "notice", 1.5) for ws in (on_a, on_b)]  # a tick or two more
    notices = [[e["text"] for e in seen if e["type"] == "notice"] for seen in heard]
    assert len(notices[0]) == 1 and "drink water" in notices[0][0]
    assert notices[1] == notices[0]
    assert [e for seen in after for e in seen if e["type"] == "notice"] == []
    with stream(b, "r") as ws:
        transcript = json.loads(ws.recv(timeout=10))["transcript"]
    assert (
        sum("drink water" in line["reply"] for line in transcript if line["cause"] == "tick") == 1
    )


def children(pid: int) -> list[int]:
    """The workers under ``pid``: processes started by multiprocessing's spawn, still running."""
    workers = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        with contextlib.suppress(OSError):  # one that ended meanwhile
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.append(int(child))
    return workers


def until(check: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.1)
    return check()


def test_workers_share_the_port_and_one_that_dies_is_replaced(redis_url: str) -> None:
    with start_serve(free_port(), "--store", redis_url, "--workers", "2") as server:
        parent = server.process.pid
        assert until(lambda: len(children(parent)) == 2)
        first = children(parent)
        server.client.post("/api/sessions", json={"id": "w"})
        os.kill(first[0], signal.SIGKILL)
        assert until(lambda: len(children(parent)) == 2 and first[0] not in children(parent))
        server.client.headers["Connection"] = "close"  # a new connection each: spread by the kernel
        said = [{"text": f"set the temperature to {t}"} for t in range(18, 24)]
        answered = [server.client.post("/api/sessions/w/turns", json=body) for body in said]
        assert [a.status_code for a in answered] == [200] * 6
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
    assert "could not start" not in server.said
    assert server.said.count("codriver stopped") == 2  # each worker stopped cleanly
