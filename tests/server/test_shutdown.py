"""Graceful shutdown of a real uvicorn process: turns in flight when SIGTERM arrives are all
answered, then the process stops cleanly and refuses new calls."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
AUTH = {"Authorization": "Bearer test-token"}
IN_FLIGHT = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_for(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail("the service did not start")


def test_turns_in_flight_are_answered_before_the_service_stops() -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, str(HERE / "slow_server.py"), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(port, server)
        for n in range(IN_FLIGHT):
            httpx.post(f"{base}/api/sessions", json={"id": f"c{n}"}, headers=AUTH)
        answers: dict[int, httpx.Response] = {}

        def turn(n: int) -> None:
            answers[n] = httpx.post(
                f"{base}/api/sessions/c{n}/turns",
                json={"text": "open the sunroof"},
                headers=AUTH,
                timeout=10,
            )

        threads = [threading.Thread(target=turn, args=(n,)) for n in range(IN_FLIGHT)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # every turn is now thinking (each takes 2 s), even on a busy machine
        server.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=15)
        output, _ = server.communicate(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode in (0, -signal.SIGTERM), output  # uvicorn re-raises the signal
    assert sorted(answers) == list(range(IN_FLIGHT))
    for response in answers.values():
        assert response.status_code == 200, response.text
        assert response.json()["outcome"] == "done"
    assert f"codriver stopped: {IN_FLIGHT} turns answered in {IN_FLIGHT} sessions" in output
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/api/health", timeout=1)
