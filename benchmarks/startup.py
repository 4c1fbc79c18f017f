"""Benchmark of a cold start: ``codriver say TEXT`` in a fresh process, N times.

Each run starts from cached bytecode, as an installed package does (the untimed warm-up run writes
it even where ``PYTHONDONTWRITEBYTECODE`` is set). Reports, over the runs, the wall time to the
first reply line and to the process's exit, its CPU time (steadier than wall time on a shared
machine) (p50 and max) and its peak memory (max RSS of the
child, from ``wait4``); then runs once more under ``python -X importtime`` and lists the modules
and top-level packages that take longest to import.

Usage: python benchmarks/startup.py [--runs 10] [--text "打开空调"] [--top 15] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

CHILD = "import sys; from codriver.cli.main import run; sys.argv[0] = 'codriver'; run()"
"""What the ``codriver`` console script does, run by this interpreter."""


@dataclass(frozen=True, slots=True)
class Run:
    reply_s: float
    exit_s: float
    cpu_s: float
    peak_rss_mb: float


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="cold processes to time")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (disk cache)")
    parser.add_argument("--text", default="打开空调", help="what the occupant says")
    parser.add_argument("--top", type=int, default=15, help="import-profile rows to list")
    parser.add_argument("--json", type=Path, help="write the numbers as JSON")
    args = parser.parse_args()

    command = [sys.executable, "-c", CHILD, "say", args.text]
    for _ in range(args.warmup):
        cold_run(command)
    runs = [cold_run(command) for _ in range(args.runs)]
    modules, packages = import_profile([sys.executable, "-X", "importtime", *command[1:]])
    report = {
        "python": sys.version.split()[0],
        "yaml_c_loader": _c_loader(),
        "text": args.text,
        "runs": len(runs),
        "reply_s": _summary([r.reply_s for r in runs]),
        "exit_s": _summary([r.exit_s for r in runs]),
        "cpu_s": _summary([r.cpu_s for r in runs]),
        "peak_rss_mb": _summary([r.peak_rss_mb for r in runs]),
        "import_total_ms": round(sum(ms for _, ms in packages), 1),
        "slowest_modules_self_ms": modules[: args.top],
        "slowest_packages_self_ms": packages[: args.top],
        "all_runs": [asdict(r) for r in runs],
    }
    _print(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


def cold_run(command: list[str]) -> Run:
    """One fresh process: seconds to its first line of output and to its exit, and its max RSS."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # As an installed package runs: from cached bytecode (the warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    reply_s = time.perf_counter() - started
    rest = child.stdout.read()
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    exit_s = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0 or not first:
        output = (first + rest + errors).decode("utf-8", "replace")
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{output}")
    # ru_maxrss is in KiB on Linux.
    cpu_s = usage.ru_utime + usage.ru_stime
    return Run(
        round(reply_s, 4), round(exit_s, 4), round(cpu_s, 4), round(usage.ru_maxrss / 1024, 1)
    )


def import_profile(command: list[str]) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Modules and top-level packages by their own import time (ms), slowest first."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    modules: list[tuple[str, float]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|")
        modules.append((name.strip(), int(self_us) / 1000))
    packages: dict[str, float] = defaultdict(float)
    for name, ms in modules:
        packages[name.split(".")[0]] += ms
    by_time = sorted(((n, round(ms, 1)) for n, ms in modules), key=lambda item: -item[1])
    by_package = sorted(((n, round(ms, 1)) for n, ms in packages.items()), key=lambda i: -i[1])
    return by_time, by_package


def _c_loader() -> bool | None:
    try:
        from codriver.yamlfile import C_LOADER
    except ImportError:  # a codriver from before the shared YAML reader
        return None
    return C_LOADER


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 3), "max": round(max(values), 3)}


def _print(report: dict) -> None:  # type: ignore[type-arg]
    print(
        f"cold `codriver say {report['text']}` x {report['runs']} "
        f"(Python {report['python']}, YAML C loader: {report['yaml_c_loader']})"
    )
    for key, label in (
        ("reply_s", "to first reply"),
        ("exit_s", "to exit"),
        ("cpu_s", "CPU time (user + system)"),
    ):
        print(f"  {label}: p50 {report[key]['p50']} s, max {report[key]['max']} s")
    rss = report["peak_rss_mb"]
    print(f"  peak RSS: p50 {rss['p50']} MB, max {rss['max']} MB")
    print(f"import profile (-X importtime, total self time {report['import_total_ms']} ms):")
    print("  slowest packages: " + _items(report["slowest_packages_self_ms"]))
    print("  slowest modules:  " + _items(report["slowest_modules_self_ms"]))


def _items(items: list[tuple[str, float]]) -> str:
    return ", ".join(f"{name} {ms} ms" for name, ms in items)


if __name__ == "__main__":
    raise SystemExit(main())
