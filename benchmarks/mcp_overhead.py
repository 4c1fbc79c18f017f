"""What calling a third-party tool over MCP costs, against the same tool in process.

The coffee example's read-only ``menu`` tool is called (1) in process, as a codriver tool through
the executor and its safety gate; (2) over MCP on a stdio subprocess and (3) over Streamable HTTP
on loopback — each both raw (one ``tools/call`` round trip on an open session) and through the
executor (gate, call, cleaning the answer). Sessions are opened once; connect time is reported
apart. Numbers are per call: p50 and p95 over ``--calls`` calls after a warm-up.

Usage: python benchmarks/mcp_overhead.py [--calls 300] [--json OUT]   (needs the [mcp] extra;
run from the repository root)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.assistant.session import Assistant
from codriver.mcp.apps import Apps
from codriver.mcp.config import parse_apps
from codriver.testing import ScriptedBrain
from codriver.text import Bilingual
from codriver.tools import VEHICLE_TOOLSETS
from codriver.tools.base import Effect, ToolBox, ToolContext, Toolset, tool

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples.mcp_servers.coffee"
MENU = "latte 28 yuan, americano 22 yuan, cappuccino 28 yuan, flat white 30 yuan, mocha 30 yuan"
"""What the coffee example's menu says (not imported: building its server would set up logging
in this process)."""


@tool("apps")
def menu(ctx: ToolContext, lang: str = "en") -> Effect:
    """The coffee menu, computed in process.

    Args:
        lang: en or zh.
    """
    return Effect(answer=Bilingual(MENU, MENU))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--json", type=Path, help="write the numbers as JSON")
    args = parser.parse_args()
    report = asyncio.run(measure(args.calls))
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


async def measure(calls: int) -> dict[str, Any]:
    port = _free_port()
    http = subprocess.Popen(
        [sys.executable, "-m", EXAMPLE, "--http", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        stdio = {"command": sys.executable, "args": ["-m", EXAMPLE], "cwd": str(ROOT)}
        servers: list[dict[str, Any]] = [
            {"name": "stdio", "stdio": stdio},
            {"name": "http", "url": f"http://127.0.0.1:{port}/mcp"},
        ]
        for server in servers:
            server.update(scopes=["food"], call_timeout_s=10)
        started = time.perf_counter()
        apps = await Apps.connect(parse_apps({"servers": servers}, "benchmark"))
        connect_ms = {name: round(r.ms, 1) for name, r in apps.reports.items()}
        connect_all_ms = round((time.perf_counter() - started) * 1000, 1)
        try:
            toolbox = ToolBox([*VEHICLE_TOOLSETS, Toolset("local", (menu,)), apps.toolset()])
            assistant = Assistant(tools=toolbox, brain=ScriptedBrain([]))
            rows = {
                "in process, through the executor": _executor(assistant, "menu"),
                "stdio, raw tools/call": _raw(apps, "stdio"),
                "stdio, through the executor": _executor(assistant, "stdio__menu"),
                "HTTP, raw tools/call": _raw(apps, "http"),
                "HTTP, through the executor": _executor(assistant, "http__menu"),
            }
            latency = {name: await _time(call, calls) for name, call in rows.items()}
        finally:
            await apps.close()
    finally:
        http.terminate()
        http.wait(10)
    return {
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "calls": calls,
        "connect_ms": connect_ms,
        "connect_all_ms": connect_all_ms,
        "latency_ms": latency,
    }


def _executor(assistant: Assistant, name: str) -> Callable[[], Awaitable[None]]:
    async def call() -> None:
        [result] = await assistant.executor.run([ToolCall(name, {})], Caller())
        assert result.status == "answered", result

    return call


def _raw(apps: Apps, server: str) -> Callable[[], Awaitable[None]]:
    connection = apps.connections[server]

    async def call() -> None:
        outcome = await connection.call("menu", {})
        assert outcome.status == "answered", outcome

    return call


async def _time(call: Callable[[], Awaitable[None]], calls: int) -> dict[str, float]:
    for _ in range(20):
        await call()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=20)
    return {"p50": round(statistics.median(samples), 3), "p95": round(cuts[18], 3)}


def table(report: dict[str, Any]) -> str:
    lines = ["| call | p50 ms | p95 ms |", "|---|---|---|"]
    for name, ms in report["latency_ms"].items():
        lines.append(f"| {name} | {ms['p50']:.2f} | {ms['p95']:.2f} |")
    connect = report["connect_ms"]
    lines.append("")
    lines.append(
        f"Connect and list tools: stdio {connect['stdio']} ms (starting the server process), "
        f"HTTP {connect['http']} ms; both at once {report['connect_all_ms']} ms. "
        f"{report['calls']} calls each, Python {report['python']}, {report['machine']}."
    )
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the HTTP server did not listen on {port}")


if __name__ == "__main__":
    raise SystemExit(main())
