"""The drive-scenario suite, gated on its baseline: no scenario that passed before may fail now.

The suite is measured, not all gated: scenarios that fail are kept (never loosened or deleted) and
show in `codriver scenarios tests/scenarios`; this test fails only on a regression. After an
improvement, record it with
`codriver scenarios tests/scenarios --baseline tests/scenario_baseline.json --update-baseline`.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from codriver.assistant import Assistant
from codriver.scenarios import run_paths

HERE = Path(__file__).parent
SUITE = HERE / "scenarios"
BASELINE = HERE / "scenario_baseline.json"


def test_no_scenario_that_passed_before_fails_now() -> None:
    suite = asyncio.run(run_paths([SUITE], Assistant))
    assert suite.problems == [], [p.message for p in suite.problems]
    recorded = set(json.loads(BASELINE.read_text(encoding="utf-8"))["passing"])
    results = {r.id: r for r in suite.results}
    missing = sorted(recorded - set(results))
    regressions = {
        sid: results[sid].failures
        for sid in sorted(recorded & set(results))
        if not results[sid].passed
    }
    assert not missing, f"scenarios in the baseline that no longer exist: {missing}"
    assert not regressions, regressions
