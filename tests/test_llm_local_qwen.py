"""End to end against a real local Qwen (Qwen2.5-Coder-1.5B-Instruct, structured mode): slow and
optional, not in the default run. Enable with ``pytest -m slow`` after
``python scripts/local_qwen.py fetch`` (and ``pip install xllamacpp``); set ``CODRIVER_QWEN_URL``
to use a server that is already running instead of starting one."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codriver.llm import LLMSettings, make_brain
from codriver.testing import offline_assistant

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
MODELS = Path(os.environ.get("CODRIVER_MODEL_DIR", Path.home() / ".cache/codriver/models"))
GGUF = MODELS / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    if os.environ.get("CODRIVER_QWEN_URL"):
        yield os.environ["CODRIVER_QWEN_URL"]
        return
    if not GGUF.is_file() or importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("no local Qwen: run scripts/local_qwen.py fetch and pip install xllamacpp")
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "scripts/local_qwen.py"),
            "serve",
            "--dir",
            str(MODELS),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    url = ""
    for line in server.stdout:
        if line.startswith("base URL:"):
            url = line.split()[2]
            break
    try:
        assert url, "the local server did not start"
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def turn(url: str, text: str, given: dict[str, Any] | None = None) -> tuple[Any, Any]:
    settings = LLMSettings(
        base_url=url, model="qwen2.5-coder-1.5b-instruct", mode="structured", timeout_s=120
    )
    assistant = offline_assistant(given, brain=make_brain("llm", settings))
    return assistant, asyncio.run(assistant.say(text))


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        ("open the driver window", "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position", 100),
        (
            "set the temperature to 24 degrees",
            "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature",
            24,
        ),
        ("把温度调到20度", "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", 20),
        ("打开座椅加热", "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling", "positive"),
    ],
)
def test_a_real_small_qwen_turns_commands_into_checked_tool_calls(
    base_url: str, text: str, path: str, expected: object
) -> None:
    assistant, result = turn(base_url, text)
    value = asyncio.run(assistant.read(path))
    assert result.outcome == "done", result.trace
    if expected == "positive":
        assert isinstance(value, int | float) and value > 0
    else:
        assert value == expected


def test_a_real_small_qwen_cannot_get_past_the_safety_gate(base_url: str) -> None:
    assistant, result = turn(base_url, "open the trunk", {"Vehicle.Speed": 100})
    assert asyncio.run(assistant.read("Vehicle.Body.Trunk.Rear.IsOpen")) is False
    assert all(a.status == "refused" for a in result.actions if a.call.name == "set_trunk")
