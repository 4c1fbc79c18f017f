"""Load benchmark of the HTTP service: turns per second and latency over loopback, with its store.

Starts `codriver serve` (uvicorn, one worker or several) in its own process — on a Redis it
starts itself for ``--store redis`` — opens N sessions, and drives them from this process, each
session on one keep-alive connection: closed loop (the next turn when the last is answered) or
open loop (``--rate`` turns a second arrive whatever the answers; latency counts from the
arrival). Marker turns set a temperature unique to the session and turn; every marker's reply
must carry its own value, and at the end each session's state and turn count must be its own:
no lost or crossed turns. ``--kill-at S`` kills one worker (SIGKILL) S seconds into the measure:
turns whose answer was lost may or may not be stored, every acknowledged one must be.

Usage: python benchmarks/server_load.py [--store memory|sqlite|redis|URL] [--workers 1]
       [--sessions 8] [--mode closed|open] [--rate 1500] [--turns 6000] [--seconds 60]
       [--warmup 400] [--kill-at S] [--url URL --token TOKEN] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import time
from pathlib import Path

from load_drive import RawClient, SessionLoad, check_sessions, closed_loop, open_loop
from load_procs import Procs, start_redis, start_server, worker_pids


async def run_load(args: argparse.Namespace, host: str, port: int, token: str) -> dict[str, object]:
    admin = RawClient(host, port, token)
    loads = []
    for i in range(args.sessions):
        status, body = await admin.request("POST", "/api/sessions", {"id": f"load-{i}"})
        if status != 201:
            raise SystemExit(f"could not open a session: HTTP {status} {body}")
        loads.append(SessionLoad(f"load-{i}", i))
    pairs = [(s, RawClient(host, port, token)) for s in loads]
    warmup = max(1, args.warmup // args.sessions)
    far = time.perf_counter() + 3600
    await asyncio.gather(*(closed_loop(s, c, warmup, far, False) for s, c in pairs))
    warm_sent = sum(s.sent for s in loads)
    killer = asyncio.create_task(kill_one_worker(args)) if args.kill_at is not None else None
    cpu_before = args.procs.cpu_seconds()
    started = time.perf_counter()
    if args.mode == "open":
        wall = await open_loop(pairs, args.rate, args.seconds)
    else:
        deadline = started + args.seconds
        per_session = args.turns // args.sessions
        await asyncio.gather(*(closed_loop(s, c, per_session, deadline, True) for s, c in pairs))
        wall = time.perf_counter() - started
    cpu = args.procs.cpu_used(cpu_before)
    killed = await killer if killer is not None else None
    crossed = await check_sessions(admin, loads)
    for client in (admin, *(c for _, c in pairs)):
        await client.close()
    return report(args, loads, wall, warm_sent, crossed) | {"killed": killed, "cpu_s": cpu}


def report(
    args: argparse.Namespace, loads: list[SessionLoad], wall: float, warm: int, crossed: list[str]
) -> dict[str, object]:
    latencies = sorted(x for s in loads for x in s.latencies)
    measured = len(latencies)
    return {
        "mode": args.mode,
        "rate_asked": args.rate if args.mode == "open" else None,
        "store": args.store,
        "workers": args.workers,
        "sessions": args.sessions,
        "turns": measured,
        "warmup_turns": warm,
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
        "answers_lost": sum(s.unknown for s in loads),
        "state_problems": crossed,
    }


async def kill_one_worker(args: argparse.Namespace) -> dict[str, object]:
    await asyncio.sleep(args.kill_at)
    pids = worker_pids(args.server_pid)
    if not pids:
        return {"error": "no worker process found"}
    os.kill(pids[0], signal.SIGKILL)
    return {"pid": pids[0], "at_s": args.kill_at, "workers_before": len(pids)}


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(len(values) * q / 100))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="memory", help="memory, sqlite, redis or a store URL")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--mode", choices=("closed", "open"), default="closed")
    parser.add_argument("--rate", type=float, default=1500.0, help="open loop: turns a second")
    parser.add_argument("--turns", type=int, default=6000, help="closed loop: measured turns")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit of the measure")
    parser.add_argument("--warmup", type=int, default=400, help="turns before measuring")
    parser.add_argument("--kill-at", type=float, help="kill one worker this far into the measure")
    parser.add_argument("--url", help="a running service (http://HOST:PORT) instead of a new one")
    parser.add_argument("--token", help="its token (with --url)")
    parser.add_argument("--json", type=Path, help="write the numbers as JSON")
    args = parser.parse_args()

    procs = Procs()
    try:
        if args.url:
            host, _, port_text = args.url.removeprefix("http://").rstrip("/").partition(":")
            port, token = int(port_text or 80), args.token or os.environ.get("CODRIVER_TOKEN", "")
            args.server_pid = None
        else:
            store = args.store
            if store == "redis":
                store = start_redis(procs)
            host, token = "127.0.0.1", "bench-token-0123456789"
            port = start_server(procs, store, args.workers, args.sessions, token)
            args.server_pid = procs.server_pid
        args.procs = procs
        load_before = os.getloadavg()
        result = run(args, host, port, token)
        result["loadavg_before"] = [round(x, 2) for x in load_before]
        result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        procs.stop()
    result["python"] = sys.version.split()[0]
    result["cores"] = os.cpu_count()
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 1 if result["error_count"] or result["state_problems"] else 0


def run(args: argparse.Namespace, host: str, port: int, token: str) -> dict[str, object]:
    try:
        import uvloop

        return uvloop.run(run_load(args, host, port, token))
    except ImportError:
        return asyncio.run(run_load(args, host, port, token))


if __name__ == "__main__":
    sys.exit(main())
