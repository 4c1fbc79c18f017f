"""``codriver scenarios``: run drive scenarios, print failures and the closing count."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer

from codriver.cli.common import make_assistant
from codriver.errors import InputError
from codriver.scenarios import SuiteResult, run_paths


def run_scenarios(
    paths: list[Path],
    json_file: Path | None,
    brain: str,
    baseline: Path | None,
    update_baseline: bool,
) -> int:
    make_assistant(brain)  # fail early on a bad brain name
    suite = asyncio.run(run_paths(paths, lambda: make_assistant(brain)))
    for problem in suite.problems:
        typer.secho(f"ERROR {problem.file}: {problem.message}", fg=typer.colors.RED)
    for result in suite.results:
        for failure in result.failures:
            typer.echo(f"FAIL {failure}")
    if json_file is not None:
        text = json.dumps(_report(suite), ensure_ascii=False, indent=1) + "\n"
        try:
            json_file.parent.mkdir(parents=True, exist_ok=True)
            json_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {json_file}: {exc}") from None
    if baseline is not None:
        return _against_baseline(suite, baseline, update_baseline)
    typer.echo(f"{suite.passed} passed, {suite.failed} failed")
    return 1 if suite.failed else 0


def _report(suite: SuiteResult) -> dict[str, object]:
    return {
        "results": [r.to_dict() for r in suite.results],
        "errors": [{"file": p.file, "message": p.message} for p in suite.problems],
        "passed": suite.passed,
        "failed": suite.failed,
    }


def _against_baseline(suite: SuiteResult, baseline: Path, update: bool) -> int:
    """Fail only on regressions: a scenario the baseline records as passing that now fails."""
    passing = sorted(r.id for r in suite.results if r.passed)
    if update:
        try:
            baseline.parent.mkdir(parents=True, exist_ok=True)
            baseline.write_text(json.dumps({"passing": passing}, indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write baseline {baseline}: {exc}") from None
        typer.echo(f"baseline {baseline}: {len(passing)} passing scenarios recorded")
    try:
        recorded = set(json.loads(baseline.read_text(encoding="utf-8"))["passing"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read baseline {baseline}: {exc}") from None
    ran = {r.id for r in suite.results}
    regressions = sorted(i for i in recorded & ran if i not in passing)
    missing = sorted(recorded - ran)
    for sid in regressions:
        typer.secho(f"REGRESSION {sid}: passed in the baseline, fails now", fg=typer.colors.RED)
    for sid in missing:
        typer.secho(f"MISSING {sid}: in the baseline but not run", fg=typer.colors.RED)
    gained = sorted(set(passing) - recorded)
    if gained:
        typer.echo(f"{len(gained)} scenarios pass that the baseline does not record yet")
    typer.echo(f"{suite.passed} passed, {suite.failed} failed")
    return 1 if regressions or missing or suite.problems else 0
