"""The load benchmark's client side: a small keep-alive HTTP client, what each session sends and
checks (markers unique to the session and turn), and the two ways of driving: closed loop (each
session sends its next turn when the last is answered) and open loop (turns arrive at a fixed
rate whatever the answers, each session's in order; latency counts from the arrival, so queueing
shows instead of slowing the client down)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

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


class ConnectionLost(Exception):
    """The connection ended before the answer: the turn may or may not have been stored."""


@dataclass
class SessionLoad:
    """What one session sent and saw."""

    sid: str
    index: int
    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    acked: int = 0
    unknown: int = 0
    errors: list[str] = field(default_factory=list)
    last_marker: float | None = 22.0  # the car's default set point
    unknown_markers: list[float] = field(default_factory=list)
    """Markers sent after the last acknowledged one whose answer never came."""

    def marker(self, turn: int) -> float:
        """A temperature this session and turn set: 16–31 °C in half degrees, never the last."""
        value = 16.0 + ((self.index * 7 + turn) % 31) / 2.0
        return value + 0.5 if value == self.last_marker else value

    def next_text(self) -> tuple[str, float | None]:
        n = self.sent
        marker = self.marker(n) if n % MARKER_EVERY == 0 else None
        text = f"set the temperature to {marker:g}" if marker else SENTENCES[n % len(SENTENCES)]
        return text, marker


class RawClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (JSON in, JSON out), so that the
    client's own cost stays small next to the server's. A lost connection is reported, never
    retried: a turn is not sent twice."""

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
        if self.writer is None or self.writer.is_closing() or self.at_eof():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        try:
            self.writer.write(head + data)
            status_line = await self.reader.readline()
            if not status_line:
                raise ConnectionLost("closed before the answer")
            status = int(status_line.split()[1])
            length = 0
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            payload = await self.reader.readexactly(length) if length else b""
        except (OSError, asyncio.IncompleteReadError, ConnectionLost) as exc:
            await self.close()
            raise ConnectionLost(str(exc)) from exc
        return status, json.loads(payload) if payload else None

    def at_eof(self) -> bool:
        """The server closed the connection while it was idle (keep-alive timeout)."""
        return self.reader is not None and self.reader.at_eof()

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def one_turn(load: SessionLoad, client: RawClient, record: bool, since: float) -> None:
    """Send the session's next turn and check its marker; latency from ``since``."""
    text, marker = load.next_text()
    load.sent += 1
    try:
        status, body = await client.request(
            "POST", f"/api/sessions/{load.sid}/turns", {"text": text}
        )
    except (ConnectionLost, OSError):
        load.unknown += 1
        if marker is not None:
            load.unknown_markers.append(marker)
        return
    if record:
        load.latencies.append((time.perf_counter() - since) * 1000.0)
    if status != 200 or not isinstance(body, dict):
        load.errors.append(f"{text!r}: HTTP {status} {body}")
        return
    load.acked += 1
    if marker is not None:
        load.last_marker, load.unknown_markers = marker, []
        changed = [c["new"] for c in body["changes"] if c["path"] == TEMPERATURE]
        if changed[-1:] != [marker]:
            load.errors.append(f"{text!r} in {load.sid} changed {changed}, not {marker}")


async def closed_loop(
    load: SessionLoad, client: RawClient, turns: int, deadline: float, record: bool
) -> None:
    """Up to ``turns`` turns one after another until the deadline."""
    for _ in range(turns):
        if time.perf_counter() > deadline:
            break
        await one_turn(load, client, record, time.perf_counter())


async def open_loop(
    pairs: list[tuple[SessionLoad, RawClient]], rate: float, seconds: float
) -> float:
    """Turns arrive at ``rate`` per second for ``seconds``, round robin over the sessions; each
    session sends its own in order. Returns the wall time until the last answer."""
    queues: list[asyncio.Queue[float | None]] = [asyncio.Queue() for _ in pairs]

    async def session(n: int) -> None:
        load, client = pairs[n]
        while (arrived := await queues[n].get()) is not None:
            await one_turn(load, client, True, arrived)

    workers = [asyncio.create_task(session(n)) for n in range(len(pairs))]
    started = time.perf_counter()
    total = int(rate * seconds)
    for k in range(total):
        due = started + k / rate
        if (wait := due - time.perf_counter()) > 0.0005:
            await asyncio.sleep(wait)
        queues[k % len(pairs)].put_nowait(due)
    for queue in queues:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return time.perf_counter() - started


async def check_sessions(admin: RawClient, loads: list[SessionLoad]) -> list[str]:
    """Each session's temperature is its own last marker (or one whose answer was lost), and it
    counted its own turns: every acknowledged one, and none that was not sent."""
    problems = []
    for load in loads:
        path = f"/api/sessions/{load.sid}/state/{TEMPERATURE}"
        status, body = await admin.request("GET", path)
        value = body.get("value") if isinstance(body, dict) else None
        possible = [load.last_marker, *load.unknown_markers]
        if status != 200 or value not in possible:
            problems.append(f"{load.sid}: temperature {value}, expected one of {possible}")
        status, body = await admin.request("GET", f"/api/sessions/{load.sid}")
        turns = body.get("turns") if isinstance(body, dict) else None
        low, high = load.acked, load.acked + load.unknown  # refused turns are not stored
        if not isinstance(turns, int) or not low <= turns <= high:
            problems.append(f"{load.sid}: server counted {turns} turns, acknowledged {load.acked}")
    return problems
