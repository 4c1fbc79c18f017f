"""Real ``codriver serve`` processes for the tests: started on a free loopback port with the
test token, waited for until they answer, and always stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COMMAND = [sys.executable, "-c", "from codriver.cli.main import run; run()", "serve"]


@dataclass
class Server:
    port: int
    process: subprocess.Popen[str]
    client: httpx.Client
    said: str = ""
    """What it wrote to stderr (its log), once stopped."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def env() -> dict[str, str]:
    """The test's environment with the token and this tree's sources first."""
    source = os.path.join(os.path.dirname(__file__), "..", "..", "src")
    path = os.pathsep.join([os.path.abspath(source), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "CODRIVER_TOKEN": TOKEN, "PYTHONPATH": path.rstrip(os.pathsep)}


@contextmanager
def start_serve(port: int, *options: str) -> Iterator[Server]:
    """``codriver serve --port PORT OPTIONS…`` until the block ends (killed if still running)."""
    with start_many([(port, options)]) as [server]:
        yield server


@contextmanager
def start_many(specs: list[tuple[int, tuple[str, ...]]]) -> Iterator[list[Server]]:
    """Several services started together (their imports overlap), each answering when given."""
    servers = []
    for port, options in specs:
        process = subprocess.Popen(
            [*COMMAND, "--port", str(port), *options],
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its workers too can be stopped, by its group
        )
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=AUTH, timeout=30)
        servers.append(Server(port, process, client))
    try:
        for server in servers:
            wait_until_up(server.client, server.process)
        yield servers
    finally:
        for server in servers:
            stop(server)


def stop(server: Server) -> None:
    """Kill the service and any worker of it still running, and keep what it logged."""
    server.client.close()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    if server.process.stderr is not None:
        server.said = server.process.stderr.read()
        server.process.stderr.close()


def wait_until_up(client: httpx.Client, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the service stopped: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            if client.get("/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("the service did not start within 30 s")
