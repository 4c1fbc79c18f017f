"""Shared fixtures: the packaged catalog and profile, a fresh simulated car, assistants on the
direct brain (explicit tool calls), and a writer for scenario files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from codriver.assistant import Assistant
from codriver.scenarios import CarPaths
from codriver.testing import offline_assistant
from codriver.understanding import DirectBrain
from codriver.vehicle import Catalog, SimulatedCar, Value, VehicleProfile

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The VSS catalog as shipped, before any vehicle narrows it."""
    return Catalog.load()


@pytest.fixture(scope="session")
def profile() -> VehicleProfile:
    """The shipped simulated sedan (its catalog narrowed by its limits)."""
    return VehicleProfile.load()


@pytest.fixture
def car(profile: VehicleProfile) -> SimulatedCar:
    """A fresh simulated car in its default state."""
    return SimulatedCar(profile=profile)


@pytest.fixture(scope="session")
def car_paths(profile: VehicleProfile) -> CarPaths:
    return CarPaths(profile.catalog)


DirectAssistant = Callable[..., Assistant]


@pytest.fixture
def direct_assistant() -> DirectAssistant:
    """Builds an assistant on a fresh car that understands explicit calls (``set_x a=1; ...``)."""

    def make(given: Mapping[str, Value] | None = None) -> Assistant:
        return offline_assistant(given, brain=DirectBrain())

    return make


WriteYaml = Callable[[str, str], Path]


@pytest.fixture
def write_yaml(tmp_path: Path) -> WriteYaml:
    """Writes dedented YAML text to ``tmp_path/name`` (folders created) and returns the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write
