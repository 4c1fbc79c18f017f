"""Drive scenarios (FORMAT.md v1.1): the yardstick the assistant is judged by."""

from codriver.scenarios.model import LoadProblem, Scenario, load_file, parse_scenario
from codriver.scenarios.runner import (
    CarPaths,
    ScenarioResult,
    SuiteResult,
    judge,
    run_paths,
    run_scenario,
)

__all__ = [
    "CarPaths",
    "LoadProblem",
    "Scenario",
    "ScenarioResult",
    "SuiteResult",
    "judge",
    "load_file",
    "parse_scenario",
    "run_paths",
    "run_scenario",
]
