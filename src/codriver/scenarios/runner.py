"""Runs drive scenarios against an assistant and judges each turn as a test driver would."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from codriver.assistant.cockpit import COCKPIT_PATHS
from codriver.assistant.result import TurnResult
from codriver.assistant.session import Assistant
from codriver.errors import CodriverError
from codriver.scenarios.matchers import equal
from codriver.scenarios.model import (
    Expect,
    LoadProblem,
    Scenario,
    Turn,
    load_file,
    scenario_files,
)
from codriver.vehicle.catalog import Catalog, Value

AssistantFactory = Callable[[], Assistant | Awaitable[Assistant]]
"""Builds each scenario's fresh assistant (a coroutine for one that needs to connect first)."""


@dataclass(frozen=True, slots=True)
class TurnReport:
    number: int
    kind: str
    latency_ms: float
    outcome: str
    reply: str
    failures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    id: str
    lang: str
    tags: tuple[str, ...]
    file: str
    failures: tuple[str, ...]
    turns: tuple[TurnReport, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "lang": self.lang,
            "tags": list(self.tags),
            "file": self.file,
            "passed": self.passed,
            "failures": list(self.failures),
            "turns": [
                {
                    "latency_ms": round(t.latency_ms, 3),
                    "kind": t.kind,
                    "outcome": t.outcome,
                    "reply": t.reply,
                    "failures": list(t.failures),
                }
                for t in self.turns
            ],
        }


@dataclass
class SuiteResult:
    results: list[ScenarioResult] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed + len(self.problems)


class CarPaths:
    """The :class:`PathIndex` of a catalog plus the cockpit paths."""

    def __init__(self, catalog: Catalog) -> None:
        self._signals = {spec.path for spec in catalog} | set(COCKPIT_PATHS)

    def is_signal(self, path: str) -> bool:
        return path in self._signals

    def is_branch(self, path: str) -> bool:
        prefix = path + "."
        return path in self._signals or any(s.startswith(prefix) for s in self._signals)


async def run_paths(paths: Iterable[Path], factory: AssistantFactory) -> SuiteResult:
    """Load every scenario under ``paths`` and run each on a fresh assistant."""
    index = CarPaths((await _fresh(factory)).bus.catalog)
    suite = SuiteResult()
    seen: set[str] = set()
    for file in scenario_files(paths):
        scenarios, problems = load_file(file, index)
        suite.problems.extend(problems)
        for scenario in scenarios:
            if scenario.id in seen:
                suite.problems.append(LoadProblem(str(file), f"duplicate id {scenario.id!r}"))
                continue
            seen.add(scenario.id)
            suite.results.append(await run_scenario(scenario, await _fresh(factory)))
    return suite


async def _fresh(factory: AssistantFactory) -> Assistant:
    made = factory()
    return await made if inspect.isawaitable(made) else made


async def run_scenario(scenario: Scenario, assistant: Assistant) -> ScenarioResult:
    """Run one scenario; every unmet expectation becomes a failure line."""
    failures: list[str] = []
    reports: list[TurnReport] = []
    try:
        await assistant.preset(scenario.given)  # type: ignore[arg-type]
    except CodriverError as exc:
        return _result(scenario, [f"{scenario.id} given: {exc}"], [])
    for number, turn in enumerate(scenario.turns, 1):
        before = await assistant.snapshot()
        try:
            result = await _play(assistant, turn)
        except CodriverError as exc:
            line = f"{scenario.id} turn {number}: the turn was refused as input: {exc}"
            failures.append(line)
            reports.append(TurnReport(number, turn.kind, 0.0, "error", "", (line,)))
            continue
        after = await assistant.snapshot()
        problems = [
            f"{scenario.id} turn {number}: {p}" for p in judge(turn.expect, result, before, after)
        ]
        failures.extend(problems)
        reports.append(
            TurnReport(
                number, turn.kind, result.latency_ms, result.outcome, result.reply, tuple(problems)
            )
        )
    return _result(scenario, failures, reports)


def _result(scenario: Scenario, failures: list[str], turns: list[TurnReport]) -> ScenarioResult:
    return ScenarioResult(
        scenario.id, scenario.lang, scenario.tags, scenario.file, tuple(failures), tuple(turns)
    )


async def _play(assistant: Assistant, turn: Turn) -> TurnResult:
    if turn.kind == "say":
        return await assistant.say(turn.text, seat=turn.speaker, gaze=turn.gaze)
    if turn.kind == "set":
        return await assistant.feed(turn.values)  # type: ignore[arg-type]
    return await assistant.advance(turn.seconds)


def judge(
    expect: Expect,
    result: TurnResult,
    before: dict[str, Value | None],
    after: dict[str, Value | None],
) -> list[str]:
    """What differs from the expectations after one turn (empty when all hold)."""
    problems = []
    if expect.outcome and result.outcome not in expect.outcome:
        wanted = " or ".join(expect.outcome)
        problems.append(
            f"outcome: expected {wanted}, got {result.outcome} (reply: {result.reply!r})"
        )
    for path, matcher in expect.state:
        actual = after.get(path)
        if not matcher.holds(actual, before.get(path)):
            was = f", was {_show(before.get(path))}" if before.get(path) != actual else ""
            problems.append(f"{path}: expected {matcher.describe}, got {_show(actual)}{was}")
    for prefix in expect.unchanged:
        for path in sorted(after):
            under = path == prefix or path.startswith(prefix + ".")
            if under and not equal(before.get(path), after.get(path)):
                problems.append(
                    f"{path}: expected unchanged {_show(before.get(path))}, "
                    f"got {_show(after.get(path))}"
                )
    if expect.reply is not None and not expect.reply.search(result.reply):
        problems.append(f"reply: expected to match /{expect.reply.pattern}/, got {result.reply!r}")
    return problems


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)
