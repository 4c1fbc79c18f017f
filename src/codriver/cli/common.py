"""Shared bits of the command line: building the assistant, parsing values, showing changes."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AsyncExitStack
from pathlib import Path

import typer

from codriver.assistant.result import TurnResult
from codriver.assistant.session import Assistant
from codriver.errors import InputError
from codriver.vehicle.bus import SignalChange, VehicleBus
from codriver.vehicle.catalog import Value
from codriver.yamlfile import YAMLError, load_yaml

BRAINS = ("local", "llm", "hybrid", "direct")

LLM_FLAGS: dict[str, object] = {}
"""LLM settings given on the command line (``codriver --llm-… COMMAND``)."""


def make_assistant(brain: str = "default", bus: VehicleBus | None = None) -> Assistant:
    """The offline assistant with the chosen brain, on ``bus`` (the simulated car when None).
    ``default`` is the hybrid brain when an LLM is configured (flags, environment, settings
    file), else local."""
    if brain == "direct":
        from codriver.understanding import DirectBrain

        return Assistant(bus=bus, brain=DirectBrain())
    if brain != "default" and brain not in BRAINS:
        raise InputError(f"unknown brain {brain!r}: use {', '.join(BRAINS)}")
    if brain == "local":
        return Assistant(bus=bus)
    from codriver.llm.settings import load_settings

    settings = load_settings(LLM_FLAGS)
    if settings is None and brain == "default":
        return Assistant(bus=bus)
    from codriver.llm import make_brain

    return Assistant(bus=bus, brain=make_brain(None if brain == "default" else brain, settings))


async def open_assistant(brain: str, apps_file: Path | None, stack: AsyncExitStack) -> Assistant:
    """The assistant for a session that lives in one event loop: on the vehicle bus of
    ``--bus`` when given, with the third-party apps of ``apps_file`` mounted (or those of the
    settings file's ``[mcp]`` table), their connections closed when ``stack`` closes. Without
    apps, :func:`make_assistant`."""
    from codriver.cli.bus import open_bus

    bus = await open_bus(stack)
    if apps_file is None:
        from codriver.llm.settings import default_config_file

        if not default_config_file().is_file():
            return make_assistant(brain, bus)
    try:
        from codriver.mcp.config import find_apps
    except ImportError:  # no [mcp] extra: apps named in a file are an error, else none
        if apps_file is not None:
            raise
        return make_assistant(brain, bus)
    config = find_apps(apps_file)
    if not config.servers:
        return make_assistant(brain, bus)
    from codriver.mcp import require_sdk

    require_sdk()
    from codriver.llm import make_brain
    from codriver.llm.settings import load_settings
    from codriver.mcp.apps import Apps
    from codriver.mcp.assistant import assistant_with_apps

    apps = await stack.enter_async_context(await Apps.connect(config))
    for report in apps.reports.values():
        if not report.up:
            typer.secho(f"  ({report.name} left out: {report.problem})", err=True)
    settings = load_settings(LLM_FLAGS)
    kind = None if brain == "default" else brain
    if kind in ("local", "direct") or settings is None:
        return assistant_with_apps(apps, bus=bus)
    made = lambda tools: make_brain(kind, settings, tools=tools)  # noqa: E731
    return assistant_with_apps(apps, brain=made, bus=bus)


def parse_assignment(text: str) -> tuple[str, Value]:
    """``PATH=VALUE`` with VALUE read as YAML (``true``, ``22.5``, ``"OFF"``)."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise InputError(f"expected SIGNAL=VALUE, got {text!r}")
    try:
        value = load_yaml(raw) if raw.strip() else ""
    except YAMLError:
        value = raw
    if isinstance(value, str | bool | int | float):
        return path.strip(), value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return path.strip(), value
    if isinstance(value, list) and all(_number(v) for v in value):
        return path.strip(), [float(v) for v in value]  # a numeric array (cell voltages)
    raise InputError(f"{path.strip()}: cannot use {raw!r} as a signal value")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def show_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def change_lines(changes: Iterable[SignalChange]) -> list[str]:
    """One line per signal that ended up different, first value → last value."""
    first: dict[str, SignalChange] = {}
    last: dict[str, SignalChange] = {}
    for change in changes:
        first.setdefault(change.path, change)
        last[change.path] = change
    lines = []
    for path, change in last.items():
        old = first[path].old
        if old != change.new:
            lines.append(f"  {path}: {show_value(old)} → {show_value(change.new)}")
    return lines


def echo_turn(result: TurnResult, *, show_changes: bool = True, trace: bool = False) -> None:
    if result.reply:
        typer.echo(f"codriver [{result.outcome}]: {result.reply}")
    elif result.outcome != "none":
        typer.echo(f"codriver [{result.outcome}]")
    if show_changes:
        for line in change_lines(result.changes):
            typer.secho(line, fg=typer.colors.CYAN)
    if trace:
        typer.secho(f"  ({result.latency_ms:.2f} ms in all)", fg=typer.colors.BRIGHT_BLACK)
        for entry in result.trace:
            typer.secho(f"  · {entry.line()}", fg=typer.colors.BRIGHT_BLACK)
