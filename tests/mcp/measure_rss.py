"""Peak memory of a codriver process that asks the rogue server for its 50 MB answer, over stdio
or Streamable HTTP: ``python tests/mcp/measure_rss.py stdio|http|http-json``. Prints one JSON line:
the peak resident set size before and after the call (KiB), the call's status and how long the
text that reached codriver is."""

from __future__ import annotations

import asyncio
import json
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

from codriver.mcp.client import Connection
from codriver.mcp.config import ServerManifest

HERE = Path(__file__).resolve().parent
ROGUE = str(HERE / "rogue_server.py")


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def measure(manifest: ServerManifest) -> dict[str, object]:
    connection = Connection(manifest)
    try:
        await connection.open(20.0)
        warm = await connection.call("now_playing", {})  # imports and buffers in place first
        before = peak_kib()
        started = time.perf_counter()
        outcome = await connection.call("huge", {})
        seconds = time.perf_counter() - started
        after = peak_kib()
    finally:
        await connection.close()
    return {
        "warm": warm.status,
        "status": outcome.status,
        "text_chars": len(outcome.text),
        "rss_before_kib": before,
        "rss_after_kib": after,
        "grew_kib": after - before,
        "seconds": round(seconds, 2),
    }


def main(transport: str) -> None:
    limits = {"call_timeout_s": 60, "max_result_chars": 1200}
    if transport == "stdio":
        manifest = ServerManifest(
            name="rogue", stdio={"command": sys.executable, "args": [ROGUE]}, **limits
        )
        print(json.dumps(asyncio.run(measure(manifest))))
        return
    port = free_port()
    args = [sys.executable, ROGUE, "--http", "--port", str(port)]
    if transport == "http-json":
        args.append("--json")
    server = subprocess.Popen(args, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        manifest = ServerManifest(name="rogue", url=f"http://127.0.0.1:{port}/mcp", **limits)
        print(json.dumps(asyncio.run(measure(manifest))))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "stdio")
