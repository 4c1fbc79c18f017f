"""The drive-scenario suite: every scenario passes, or is a known gap listed by id with the reason
in `tests/scenario_known_gaps.yaml`. A newly added scenario that fails, a listed gap that now
passes (take it off the list) and a listed id that no longer exists all fail this test.

The suite runs on each vehicle backend: the simulated car in memory, and the same car behind
codriver's own ``kuksa.val.v2`` server on loopback, reached over gRPC by the KUKSA bus (extra
``[kuksa]``; skipped without it unless CODRIVER_REQUIRE_KUKSA=1)."""

from __future__ import annotations

import asyncio
import importlib
import os
from pathlib import Path

import pytest
import yaml

from codriver.assistant import Assistant
from codriver.scenarios import SuiteResult, run_paths

HERE = Path(__file__).parent
SUITE = HERE / "scenarios"
KNOWN_GAPS = HERE / "scenario_known_gaps.yaml"


def known_gaps() -> dict[str, str]:
    raw = yaml.safe_load(KNOWN_GAPS.read_text(encoding="utf-8"))
    gaps = {str(k): str(v) for k, v in (raw.get("gaps") or {}).items()}
    assert all(reason.strip() for reason in gaps.values()), "every known gap says why"
    return gaps


async def on_simulator() -> SuiteResult:
    return await run_paths([SUITE], Assistant)


async def on_kuksa() -> SuiteResult:
    try:
        importlib.import_module("kuksa.val.v2.val_pb2_grpc")
    except ImportError:
        if not os.environ.get("CODRIVER_REQUIRE_KUKSA"):
            pytest.skip(
                "the [kuksa] extra is not installed (CODRIVER_REQUIRE_KUKSA=1 to require it)"
            )
        raise
    from codriver.testing.kuksa import LoopbackBroker

    broker = await LoopbackBroker.start()
    try:
        return await run_paths([SUITE], broker.assistant)
    finally:
        await broker.close()


@pytest.mark.parametrize("backend", [on_simulator, on_kuksa], ids=["simulator", "kuksa"])
def test_every_scenario_passes_or_is_a_known_gap(backend: object) -> None:
    suite = asyncio.run(backend())  # type: ignore[operator]
    assert suite.problems == [], [p.message for p in suite.problems]
    gaps = known_gaps()
    results = {r.id: r for r in suite.results}
    new_failures = {
        sid: r.failures for sid, r in results.items() if not r.passed and sid not in gaps
    }
    now_passing = sorted(sid for sid in gaps if sid in results and results[sid].passed)
    gone = sorted(set(gaps) - set(results))
    assert not new_failures, new_failures
    assert not now_passing, f"known gaps that pass now (take them off the list): {now_passing}"
    assert not gone, f"known gaps with no scenario of that id: {gone}"
