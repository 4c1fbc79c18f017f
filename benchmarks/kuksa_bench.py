"""What a KUKSA vehicle bus costs: added latency per turn over loopback gRPC, and the rate of sensor
updates the subscription keeps up with (extra [kuksa]).

1. Turns: the whole drive-scenario suite, once on the simulated car in memory and once on the same
   car behind codriver's own ``kuksa.val.v2`` server on 127.0.0.1 (codriver → gRPC → server, both
   in this process); each turn's own time (understanding, reads at decision time, writes confirmed
   on the subscription). Reported: p50/p99 per backend and the difference.
2. Updates: the served car's speed changes at each of ``--rates`` per second for ``--seconds``,
   one change per subscription message (a feeder's sample); the bus counts what reaches it.
   "Keeps up" means every update arrives, in order, and the last one soon after it was sent.
   Server and bus share this process's one event loop and core: a pessimistic bound for a
   broker in its own process.

Usage: python benchmarks/kuksa_bench.py [--suite tests/scenarios] [--rates 500,1000,...]
       [--seconds 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

from codriver.assistant import Assistant
from codriver.scenarios import SuiteResult, run_paths
from codriver.testing.kuksa import LoopbackBroker
from codriver.vehicle import SignalChange, SimulatedCar

SPEED = "Vehicle.Speed"


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    mean = statistics.fmean(ordered)
    return {"p50": round(cut[49], 3), "p99": round(cut[98], 3), "mean": round(mean, 3)}


def turn_times(suite: SuiteResult) -> list[float]:
    return [t.latency_ms for r in suite.results for t in r.turns]


async def turns(paths: list[Path]) -> dict[str, object]:
    started = time.perf_counter()
    local = await run_paths(paths, Assistant)
    local_s = time.perf_counter() - started
    broker = await LoopbackBroker.start()
    try:
        started = time.perf_counter()
        remote = await run_paths(paths, broker.assistant)
        remote_s = time.perf_counter() - started
    finally:
        await broker.close()
    a, b = percentiles(turn_times(local)), percentiles(turn_times(remote))
    return {
        "turns": len(turn_times(remote)),
        "scenarios_passed": {"simulator": local.passed, "kuksa": remote.passed},
        "simulator_ms": a,
        "kuksa_ms": b,
        "added_ms": {k: round(b[k] - a[k], 3) for k in ("p50", "p99", "mean")},
        "suite_seconds": {"simulator": round(local_s, 1), "kuksa": round(remote_s, 1)},
    }


async def updates(rate: float, seconds: float) -> dict[str, object]:
    """The served car's speed changes ``rate`` times a second (each change its own message)."""
    car = SimulatedCar()
    broker = await LoopbackBroker.start(car)
    seen: list[SignalChange] = []
    broker.bus.subscribe(seen.append, [SPEED])
    sent = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        while sent < rate * elapsed:
            sent += 1
            car.feed_now({SPEED: float(sent % 200)})  # every value differs from the one before
            await asyncio.sleep(0)  # one change, one message: the server flushes each on its own
        await asyncio.sleep(0.001)
    produced_s = time.perf_counter() - started
    last = float(sent % 200)
    deadline = time.perf_counter() + 30
    while not (seen and seen[-1].new == last) and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    lag = time.perf_counter() - started - produced_s
    await broker.close()
    values = [c.new for c in seen]
    return {
        "rate": rate,
        "sent": sent,
        "received": len(seen),
        "all_in_order": values == [float(i % 200) for i in range(1, sent + 1)],
        "lag_after_last_s": round(lag, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=Path("tests/scenarios"))
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rates", default="500,1000,2000,4000,8000")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report = {
        "turns": asyncio.run(turns([args.suite])),
        "updates": [
            asyncio.run(updates(float(rate), args.seconds)) for rate in args.rates.split(",")
        ],
    }
    text = json.dumps(report, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
