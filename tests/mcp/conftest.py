"""Real MCP sessions for the apps tests: the example services over stdio and Streamable HTTP, a
rogue service and one that never answers, all connected once per test session on one event loop
(``loop.run(...)`` in the tests), so the server processes start once."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PY = sys.executable
PARKING_TOKEN = "parking-test-token-0123456789"
TOKEN_ENV = "CODRIVER_TEST_PARKING_TOKEN"


def stdio(*args: str) -> dict[str, Any]:
    return {"command": PY, "args": list(args), "cwd": str(ROOT)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def http_process(*args: str, port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """A server subprocess, once it accepts connections on ``port``; its /mcp URL."""
    proc = subprocess.Popen(
        [PY, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                pytest.fail(f"{args} exited: {proc.stderr.read() if proc.stderr else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{args} did not listen on {port}")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.stderr:
            proc.stderr.close()


@pytest.fixture(scope="session")
def loop() -> Iterator[asyncio.Runner]:
    """One event loop for the session: connections stay open between tests."""
    with asyncio.Runner() as runner:
        yield runner


@pytest.fixture(scope="session")
def parking_url() -> Iterator[str]:
    """The parking example over Streamable HTTP, behind a bearer token."""
    port = free_port()
    args = ("-m", "examples.mcp_servers.parking", "--http", "--port", str(port))
    with http_process(*args, "--token-env", "PARK", port=port, env={"PARK": PARKING_TOKEN}) as url:
        yield url


class Clock:
    """A monotonic clock the tests move by hand (circuit breaker cool-downs)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def clock() -> Clock:
    return Clock()


APPS: dict[str, Any] = {
    "discovery_budget_s": 4.0,
    "servers": [
        {
            "name": "coffee",
            "title": {"en": "Coffee Express", "zh": "咖啡快订"},
            "stdio": stdio("-m", "examples.mcp_servers.coffee"),
            "scopes": ["food", "payments"],
            "tools": {
                "menu": {"scopes": ["food"], "lang_arg": "lang"},
                "order": {
                    "triggers": {"en": ["order a coffee", "latte"], "zh": ["点咖啡", "拿铁"]},
                    "utterance_arg": "request",
                    "lang_arg": "lang",
                },
            },
        },
        {
            "name": "parking",
            "title": {"en": "ParkNow", "zh": "停车宝"},
            "stdio": stdio("-m", "examples.mcp_servers.parking"),
            "scopes": ["parking", "navigation", "payments"],
            "tools": {
                "find_parking": {
                    "scopes": ["parking", "navigation"],
                    "triggers": {"en": ["find parking"], "zh": ["找停车场"]},
                    "utterance_arg": "near",
                    "lang_arg": "lang",
                },
            },
        },
        {
            "name": "music",
            "title": {"en": "Rogue Radio", "zh": "流氓电台"},
            "stdio": stdio(str(HERE / "rogue_server.py")),
            "scopes": ["media"],
            "max_result_chars": 300,
            "tools": {
                "now_playing": {"triggers": {"en": ["what's playing"], "zh": ["在放什么"]}},
                "unlock_doors": {"triggers": {"en": ["rogue unlock"]}},
            },
        },
        {
            "name": "flaky",
            "stdio": stdio(str(HERE / "rogue_server.py")),
            "scopes": ["media"],
            "only_listed": True,
            "call_timeout_s": 0.4,
            "failures_to_open": 2,
            "cooldown_s": 30,
            "tools": {"hang": {}, "now_playing": {}, "crash": {}},
        },
        {
            "name": "stuck",
            "title": {"en": "Stuck Service", "zh": "卡住的服务"},
            "stdio": stdio("-c", "import time; time.sleep(120)"),
            "scopes": ["food"],
            "connect_timeout_s": 1.0,
            "tools": {"anything": {"triggers": {"en": ["ask the stuck service"]}}},
        },
    ],
}


@pytest.fixture(scope="session")
def apps(loop: asyncio.Runner, parking_url: str, clock: Clock) -> Iterator[Any]:
    """Every test service connected at once: coffee and parking (stdio), parking again over
    HTTP with its token and once with a wrong one, the rogue radio, and one that never answers."""
    from codriver.mcp.apps import Apps
    from codriver.mcp.config import parse_apps

    servers = list(APPS["servers"])
    http = {
        "scopes": ["parking", "navigation", "payments"],
        "url": parking_url,
        "tools": {"find_parking": {"scopes": ["parking", "navigation"]}},
    }
    servers.append({"name": "parking_http", "token_env": TOKEN_ENV, **http})
    servers.append({"name": "parking_bad_token", "token_env": TOKEN_ENV + "_WRONG", **http})
    tokens = {TOKEN_ENV: PARKING_TOKEN, TOKEN_ENV + "_WRONG": "not-the-token-at-all"}
    os.environ.update(tokens)
    try:
        config = parse_apps({**APPS, "servers": servers}, "test apps")
        connected = loop.run(Apps.connect(config, clock=clock))
        yield connected
        loop.run(connected.close())
    finally:
        for name in tokens:
            os.environ.pop(name, None)


@pytest.fixture(scope="session")
def spawn() -> Any:
    """Starts a server subprocess that listens on HTTP: ``with spawn(*args, port=p) as url``."""
    return http_process


@pytest.fixture(scope="session")
def port() -> Any:
    """A free loopback port, each call."""
    return free_port
