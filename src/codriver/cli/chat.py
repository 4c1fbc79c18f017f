"""``codriver chat``: talk to the simulated car and watch its signals change."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import typer

from codriver.assistant.inputs import clean_seconds
from codriver.assistant.session import Assistant
from codriver.cli.common import echo_turn, open_assistant, parse_assignment, show_value
from codriver.errors import CodriverError
from codriver.vehicle.seats import Seat, parse_seat

HELP = """Type what an occupant says. Commands:
  :from SEAT          who speaks next (driver, passenger, rear_left, rear_right)
  :gaze PATH | :gaze  what the speaker looks at, for "that one" (empty to clear)
  :set SIGNAL=VALUE   the world changes (e.g. :set Vehicle.Speed=60)
  :wait SECONDS       simulated time passes
  :get PREFIX         show signals under a prefix (e.g. :get Vehicle.Cabin.HVAC)
  :help, :quit"""


def chat(speaker: str, brain: str, trace: bool = False, apps: Path | None = None) -> None:
    """The whole chat runs on one event loop, so that connections (apps over MCP, an LLM
    endpoint) live as long as the session."""
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        try:
            assistant = runner.run(open_assistant(brain, apps, stack))
            _talk(runner, assistant, parse_seat(speaker), trace)
        finally:
            runner.run(stack.aclose())


def _talk(runner: asyncio.Runner, assistant: Assistant, seat: Seat, trace: bool) -> None:
    typer.echo(
        f"codriver chat: {assistant.bus.catalog and 'simulated car'}, you are the {seat}. "
        "Type :help for commands, :quit to leave."
    )
    gaze: str | None = None
    while True:
        try:
            line = input(f"{seat}> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo()
            return
        if not line.strip():
            continue
        try:
            if line.startswith(":"):
                if _command(runner, assistant, line, state := {"seat": seat, "gaze": gaze}):
                    return
                seat, gaze = state["seat"], state["gaze"]  # type: ignore[assignment]
                continue
            echo_turn(runner.run(assistant.say(line, seat=seat, gaze=gaze)), trace=trace)
        except CodriverError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)


def _command(
    runner: asyncio.Runner, assistant: Assistant, line: str, state: dict[str, Any]
) -> bool:
    """Run a ``:command``; True means quit."""
    name, _, arg = line[1:].strip().partition(" ")
    arg = arg.strip()
    if name in ("q", "quit", "exit"):
        return True
    if name == "help":
        typer.echo(HELP)
    elif name == "from":
        state["seat"] = parse_seat(arg)
    elif name == "gaze":
        state["gaze"] = arg or None
    elif name == "set":
        path, value = parse_assignment(arg)
        echo_turn(runner.run(assistant.feed({path: value})))
        typer.echo(f"  {path} = {show_value(runner.run(assistant.read(path)))}")
    elif name == "wait":
        echo_turn(runner.run(assistant.advance(clean_seconds(arg))))
    elif name == "get":
        values = runner.run(assistant.snapshot([arg] if arg else []))
        if not values:
            typer.secho(f"error: nothing under {arg!r}", fg=typer.colors.RED, err=True)
        for path, current in values.items():
            typer.echo(f"  {path} = {show_value(current)}")
    else:
        typer.secho(f"error: unknown command :{name} (try :help)", fg=typer.colors.RED, err=True)
    return False
