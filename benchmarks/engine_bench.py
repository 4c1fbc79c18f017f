"""Benchmark of the on-device engine on the project's drive-scenario suite.

Runs every scenario (each on a fresh assistant and simulated car), then reports:
- pass rate overall, by language and by tag, and for the held-out part (tests/scenarios/holdout);
- latency per `say` turn (understand + act, as the runner measures it): p50, p90, p99, max;
- peak memory (max RSS) of this process, and the import + first-turn start-up time.

Usage: python benchmarks/engine_bench.py [--suite tests/scenarios] [--repeat 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=ROOT / "tests" / "scenarios")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the suite for latency")
    parser.add_argument("--json", type=Path, help="write the numbers as JSON")
    args = parser.parse_args()

    started = time.perf_counter()
    from codriver.assistant import Assistant
    from codriver.scenarios import run_paths

    first = Assistant()
    asyncio.run(first.say("open the window"))
    startup_ms = (time.perf_counter() - started) * 1000

    latencies: list[float] = []
    suite = None
    for _ in range(args.repeat):
        suite = asyncio.run(run_paths([args.suite], Assistant))
        latencies.extend(t.latency_ms for r in suite.results for t in r.turns if t.kind == "say")
    assert suite is not None
    report = {
        "python": sys.version.split()[0],
        "scenarios": len(suite.results),
        "load_errors": len(suite.problems),
        "passed": suite.passed,
        "pass_rate": _rate(suite.passed, len(suite.results)),
        "by_lang": _group(suite.results, lambda r: [r.lang]),
        "by_part_and_lang": _group(suite.results, lambda r: [f"{_part(r.file)} {r.lang}"]),
        "understanding_by_lang": _group(
            [r for r in suite.results if not set(r.tags) & LATER], lambda r: [r.lang]
        ),
        "by_tag": _group(suite.results, lambda r: list(r.tags)),
        "say_turns": len(latencies),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 3),
            "p90": round(_pct(latencies, 90), 3),
            "p99": round(_pct(latencies, 99), 3),
            "max": round(max(latencies), 3),
        },
        "startup_ms": round(startup_ms, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    _print(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


LATER = {"automation", "care", "proactive", "reminder", "timer"}
"""Tags of scenarios that need the agents issue (rules, reminders, timers, proactive care)."""


def _part(file: str) -> str:
    for part in ("blind", "holdout", "examples", "agents", "open"):
        if f"/{part}/" in file:
            return part
    return "main"


def _pct(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def _rate(passed: int, total: int) -> float:
    return round(100 * passed / total, 1) if total else 0.0


def _group(results, keys):  # type: ignore[no-untyped-def]
    groups: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        for key in keys(result):
            groups[key].append(result.passed)
    return {
        key: {"passed": sum(v), "total": len(v), "rate": _rate(sum(v), len(v))}
        for key, v in sorted(groups.items())
    }


def _print(report: dict) -> None:  # type: ignore[type-arg]
    print(f"scenarios: {report['passed']}/{report['scenarios']} ({report['pass_rate']} %)")
    for title in ("by_lang", "by_part_and_lang", "understanding_by_lang"):
        for key, row in report[title].items():
            print(f"  {title} {key}: {row['passed']}/{row['total']} ({row['rate']} %)")
    print("| tag | passed | total | rate |\n|---|---|---|---|")
    for key, row in report["by_tag"].items():
        print(f"| {key} | {row['passed']} | {row['total']} | {row['rate']} % |")
    lat = report["latency_ms"]
    print(
        f"latency per say turn over {report['say_turns']} turns: p50 {lat['p50']} ms, "
        f"p90 {lat['p90']} ms, p99 {lat['p99']} ms, max {lat['max']} ms"
    )
    print(
        f"start-up (imports + first turn): {report['startup_ms']} ms; "
        f"peak RSS: {report['peak_rss_mb']} MB"
    )


if __name__ == "__main__":
    raise SystemExit(main())
