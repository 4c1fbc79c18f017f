"""Load benchmark of the HTTP service: turns per second and latency over loopback.

Starts `codriver serve` (uvicorn, one worker) in its own process, opens N sessions, and drives
them from this second process: each session one keep-alive connection sending turns one after
the other (a cabin's turns are serialized anyway), all sessions at once. Bounded by a number of
turns and a time limit. A mix of realistic requests (compound, Chinese and English) and marker
turns that set a temperature unique to the session and turn; every marker's reply must carry its
own value, and at the end each session's state and turn count must be its own: no lost or
crossed state between sessions.

Usage: python benchmarks/server_load.py [--sessions 8] [--turns 6000] [--seconds 60]
       [--warmup 400] [--client raw|httpx] [--url URL --token TOKEN] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SENTENCES = [
    "打开座椅加热，氛围灯调成蓝色，再来点周杰伦",
    "open the sunroof and play some jazz",
    "把副驾空调调到二十三度",
    "open the trunk",
    "close all the windows",
    "副驾座椅按摩打开",
    "turn the fan up",
    "把音量调小一点",
    "what's the battery level",
    "关闭氛围灯",
    "set the rear right seat heating to high",
    "打开主驾车窗一半",
]
MARKER_EVERY = 3
TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"


@dataclass
class SessionLoad:
    """What one session sent and saw."""

    sid: str
    index: int
    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    errors: list[str] = field(default_factory=list)
    last_marker: float | None = 22.0  # the car's default set point

    def marker(self, turn: int) -> float:
        """A temperature this session and turn set: 16–31 °C in half degrees, never the last."""
        value = 16.0 + ((self.index * 7 + turn) % 31) / 2.0
        return value + 0.5 if value == self.last_marker else value


class RawClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (JSON in, JSON out), so that the
    client's own cost stays small next to the server's; ``--client httpx`` uses httpx instead."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode()
        status_line = b""
        for _ in range(2):  # the server closes a connection left idle: open a new one, once
            if self.writer is None or status_line == b"":
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            assert self.reader is not None
            self.writer.write(head + data)
            status_line = await self.reader.readline()
            if status_line:
                break
        status = int(status_line.split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        payload = await self.reader.readexactly(length) if length else b""
        return status, json.loads(payload) if payload else None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class HttpxClient:
    def __init__(self, base: str, token: str) -> None:
        import httpx

        self.client = httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    async def request(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        response = await self.client.request(method, path, json=body)
        return response.status_code, response.json() if response.content else None

    async def close(self) -> None:
        await self.client.aclose()


def make_client(kind: str, host: str, port: int, token: str) -> RawClient | HttpxClient:
    if kind == "httpx":
        return HttpxClient(f"http://{host}:{port}", token)
    return RawClient(host, port, token)


async def drive(
    load: SessionLoad, client: RawClient | HttpxClient, turns: int, deadline: float, record: bool
) -> None:
    """Send up to ``turns`` turns one after another until the deadline; check each marker."""
    path = f"/api/sessions/{load.sid}/turns"
    for n in range(turns):
        if time.perf_counter() > deadline:
            break
        marker = load.marker(n) if n % MARKER_EVERY == 0 else None
        text = f"set the temperature to {marker:g}" if marker else SENTENCES[n % len(SENTENCES)]
        started = time.perf_counter()
        status, body = await client.request("POST", path, {"text": text})
        elapsed = (time.perf_counter() - started) * 1000.0
        load.sent += 1
        if record:
            load.latencies.append(elapsed)
        if status != 200 or not isinstance(body, dict):
            load.errors.append(f"{text!r}: HTTP {status} {body}")
            continue
        if marker is not None:
            load.last_marker = marker
            changed = [c["new"] for c in body["changes"] if c["path"] == TEMPERATURE]
            if changed[-1:] != [marker]:
                load.errors.append(f"{text!r} in {load.sid} changed {changed}, not {marker}")


async def run_load(args: argparse.Namespace, host: str, port: int, token: str) -> dict[str, object]:
    admin = make_client(args.client, host, port, token)
    loads = []
    for i in range(args.sessions):
        status, body = await admin.request("POST", "/api/sessions", {"id": f"load-{i}"})
        if status != 201:
            raise SystemExit(f"could not open a session: HTTP {status} {body}")
        loads.append(SessionLoad(f"load-{i}", i))
    clients = [make_client(args.client, host, port, token) for _ in loads]
    per_session_warmup = max(1, args.warmup // args.sessions)
    far = time.perf_counter() + 3600
    pairs = list(zip(loads, clients, strict=True))
    await asyncio.gather(*(drive(s, c, per_session_warmup, far, False) for s, c in pairs))
    warm_sent = [s.sent for s in loads]
    started = time.perf_counter()
    deadline = started + args.seconds
    per_session = args.turns // args.sessions
    await asyncio.gather(*(drive(s, c, per_session, deadline, True) for s, c in pairs))
    wall = time.perf_counter() - started
    crossed = await check_sessions(admin, loads)
    for client in (admin, *clients):
        await client.close()
    latencies = sorted(x for s in loads for x in s.latencies)
    measured = len(latencies)
    return {
        "sessions": args.sessions,
        "client": args.client,
        "turns": measured,
        "warmup_turns": sum(warm_sent),
        "seconds": round(wall, 3),
        "turns_per_s": round(measured / wall, 1),
        "latency_ms": {
            "p50": round(_pct(latencies, 50), 2),
            "p90": round(_pct(latencies, 90), 2),
            "p99": round(_pct(latencies, 99), 2),
            "max": round(latencies[-1], 2),
            "mean": round(statistics.fmean(latencies), 2),
        },
        "errors": [e for s in loads for e in s.errors][:20],
        "error_count": sum(len(s.errors) for s in loads),
        "state_problems": crossed,
    }


async def check_sessions(admin: RawClient | HttpxClient, loads: list[SessionLoad]) -> list[str]:
    """Each session's final temperature is its own last marker, and it counted its own turns."""
    problems = []
    for load in loads:
        status, body = await admin.request("GET", f"/api/sessions/{load.sid}/state/{TEMPERATURE}")
        value = body.get("value") if isinstance(body, dict) else None
        if status != 200 or value != load.last_marker:
            problems.append(f"{load.sid}: temperature {value}, expected {load.last_marker}")
        status, body = await admin.request("GET", f"/api/sessions/{load.sid}")
        turns = body.get("turns") if isinstance(body, dict) else None
        if turns != load.sent:
            problems.append(f"{load.sid}: server counted {turns} turns, client sent {load.sent}")
    return problems


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(len(values) * q / 100))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int, token: str) -> subprocess.Popen[bytes]:
    """`codriver serve` in its own process; returns once it answers /api/health."""
    command = [sys.executable, "-c", "from codriver.cli.main import run; run()", "serve"]
    env = {**os.environ, "CODRIVER_TOKEN": token}
    server = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--turns", type=int, default=6000, help="measured turns, all sessions")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit of the measure")
    parser.add_argument("--warmup", type=int, default=400, help="turns before measuring")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw")
    parser.add_argument("--url", help="a running service (http://HOST:PORT) instead of a new one")
    parser.add_argument("--token", help="its token (with --url)")
    parser.add_argument("--json", type=Path, help="write the numbers as JSON")
    args = parser.parse_args()

    server = None
    if args.url:
        host, _, port_text = args.url.removeprefix("http://").rstrip("/").partition(":")
        port, token = int(port_text or 80), args.token or os.environ.get("CODRIVER_TOKEN", "")
    else:
        host, port, token = "127.0.0.1", free_port(), "bench-token-0123456789"
        server = start_server(port, token)
    try:
        report = asyncio.run(run_load(args, host, port, token))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    report["python"] = sys.version.split()[0]
    report["cores"] = os.cpu_count()
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 1 if report["error_count"] or report["state_problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
