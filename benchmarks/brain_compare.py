"""Compare the brains on the drive-scenario suite: local (on-device), llm and hybrid.

For each brain: pass rate by language and by tag, p50/p95 latency per `say` turn, and for hybrid
how often it called the LLM and how often it fell back. The LLM is whatever the usual settings
name (``--llm-preset``, ``--llm-url``/``--llm-model``, CODRIVER_LLM_*, the settings file).

A real local model is slow on two CPU cores, so ``--every K`` takes every K-th scenario of the
suite (deterministic) plus every scenario tagged ``open`` (requests the engine was not built for).

Usage:
  python scripts/local_qwen.py serve --dir /work/models &      # a local Qwen (structured mode)
  python benchmarks/brain_compare.py --llm-preset llamacpp --every 12 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=ROOT / "tests" / "scenarios")
    parser.add_argument("--every", type=int, default=1, help="take every K-th scenario")
    parser.add_argument("--brains", default="local,llm,hybrid")
    parser.add_argument("--llm-preset")
    parser.add_argument("--llm-url")
    parser.add_argument("--llm-model")
    parser.add_argument("--llm-mode")
    parser.add_argument("--budget", type=float, help="hybrid time budget, seconds")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from codriver.llm.settings import load_settings

    flags = {
        "preset": args.llm_preset,
        "base_url": args.llm_url,
        "model": args.llm_model,
        "mode": args.llm_mode,
        "budget_s": args.budget,
    }
    settings = load_settings(flags)
    scenarios = _sample(args.suite, args.every)
    print(f"{len(scenarios)} scenarios ({sum(1 for s in scenarios if 'open' in s.tags)} open)")
    report: dict[str, Any] = {"scenarios": len(scenarios), "brains": {}}
    for kind in args.brains.split(","):
        if kind != "local" and settings is None:
            print(f"{kind}: skipped, no LLM configured", file=sys.stderr)
            continue
        if kind != "local":
            _warm_up(kind, settings)
        report["brains"][kind] = asyncio.run(_run(kind, settings, scenarios))
        _print(kind, report["brains"][kind])
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


def _sample(suite: Path, every: int) -> list[Any]:
    from codriver.scenarios.model import load_file, scenario_files
    from codriver.scenarios.runner import CarPaths
    from codriver.vehicle.simulator import SimulatedCar

    index = CarPaths(SimulatedCar().catalog)
    found = [s for f in scenario_files([suite]) for s in load_file(f, index)[0]]
    return [s for i, s in enumerate(found) if i % every == 0 or "open" in s.tags]


def _factory(kind: str, settings: Any, decisions: Counter[str]) -> Callable[[], Any]:
    from codriver.assistant import Assistant
    from codriver.llm import make_brain

    def build() -> Any:
        brain = make_brain(kind, settings)
        return Assistant(brain=_Counting(brain, decisions))

    return build


class _Counting:
    """Passes turns to a brain and counts the decisions its plan notes record."""

    def __init__(self, inner: Any, decisions: Counter[str]) -> None:
        self.inner = inner
        self.decisions = decisions

    async def plan(self, utterance: Any, context: Any) -> Any:
        plan = await self.inner.plan(utterance, context)
        for note in plan.notes:
            if note.agent == "hybrid":
                self.decisions[f"{note.tool}: {note.status.split(':')[0]}"] += 1
            elif note.agent == "llm":
                self.decisions["llm: unavailable"] += 1
            elif note.tool == "model":
                self.decisions["model calls"] += 1
        return replace(plan)


async def _run(kind: str, settings: Any, scenarios: list[Any]) -> dict[str, Any]:
    from codriver.scenarios.runner import run_scenario

    decisions: Counter[str] = Counter()
    build = _factory(kind, settings, decisions)
    by_lang: dict[str, list[bool]] = defaultdict(list)
    by_tag: dict[str, list[bool]] = defaultdict(list)
    latencies: list[float] = []
    outcomes: dict[str, bool] = {}
    started = time.perf_counter()
    for scenario in scenarios:
        result = await run_scenario(scenario, build())
        outcomes[scenario.id] = result.passed
        by_lang[scenario.lang].append(result.passed)
        for tag in scenario.tags:
            by_tag[tag].append(result.passed)
        latencies += [t.latency_ms for t in result.turns if t.kind == "say"]
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "passed": sum(sum(v) for v in by_lang.values()),
        "total": sum(len(v) for v in by_lang.values()),
        "by_lang": {k: [sum(v), len(v)] for k, v in sorted(by_lang.items())},
        "by_tag": {k: [sum(v), len(v)] for k, v in sorted(by_tag.items())},
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(cuts[94], 1),
        "turns": len(latencies),
        "decisions": dict(decisions),
        "wall_s": round(time.perf_counter() - started, 1),
        "passed_ids": sorted(k for k, ok in outcomes.items() if ok),
    }


def _warm_up(kind: str, settings: Any) -> None:
    """One turn first, so the model's prompt cache holds the instructions and the tool list."""
    from codriver.assistant import Assistant
    from codriver.llm import make_brain

    brain = make_brain("llm", settings)
    asyncio.run(Assistant(brain=brain).say("hello"))


def _print(kind: str, numbers: dict[str, Any]) -> None:
    print(
        f"\n== {kind}: {numbers['passed']}/{numbers['total']}, p50 {numbers['p50_ms']} ms, "
        f"p95 {numbers['p95_ms']} ms over {numbers['turns']} turns ({numbers['wall_s']} s)"
    )
    for lang, (ok, n) in numbers["by_lang"].items():
        print(f"  {lang}: {ok}/{n}")
    print("  tags: " + ", ".join(f"{t} {ok}/{n}" for t, (ok, n) in numbers["by_tag"].items()))
    if numbers["decisions"]:
        print(f"  decisions: {numbers['decisions']}")


if __name__ == "__main__":
    sys.exit(main())
