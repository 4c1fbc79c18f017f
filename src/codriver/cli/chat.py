"""``codriver chat``: talk to the simulated car and watch its signals change."""

from __future__ import annotations

import asyncio
from typing import Any

import typer

from codriver.assistant.session import Assistant
from codriver.cli.common import echo_turn, make_assistant, parse_assignment, show_value
from codriver.errors import CodriverError
from codriver.vehicle.seats import parse_seat

HELP = """Type what an occupant says. Commands:
  :from SEAT          who speaks next (driver, passenger, rear_left, rear_right)
  :gaze PATH | :gaze  what the speaker looks at, for "that one" (empty to clear)
  :set SIGNAL=VALUE   the world changes (e.g. :set Vehicle.Speed=60)
  :wait SECONDS       simulated time passes
  :get PREFIX         show signals under a prefix (e.g. :get Vehicle.Cabin.HVAC)
  :help, :quit"""


def chat(speaker: str, brain: str, trace: bool = False) -> None:
    assistant = make_assistant(brain)
    seat = parse_seat(speaker)
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
                if _command(assistant, line, state := {"seat": seat, "gaze": gaze}):
                    return
                seat, gaze = state["seat"], state["gaze"]  # type: ignore[assignment]
                continue
            echo_turn(asyncio.run(assistant.say(line, seat=seat, gaze=gaze)), trace=trace)
        except CodriverError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)


def _command(assistant: Assistant, line: str, state: dict[str, Any]) -> bool:
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
        echo_turn(asyncio.run(assistant.feed({path: value})))
        typer.echo(f"  {path} = {show_value(asyncio.run(assistant.read(path)))}")
    elif name == "wait":
        try:
            seconds = float(arg)
        except ValueError:
            typer.secho("error: :wait needs seconds", fg=typer.colors.RED, err=True)
            return False
        echo_turn(asyncio.run(assistant.advance(seconds)))
    elif name == "get":
        values = asyncio.run(assistant.snapshot([arg] if arg else []))
        if not values:
            typer.secho(f"error: nothing under {arg!r}", fg=typer.colors.RED, err=True)
        for path, current in values.items():
            typer.echo(f"  {path} = {show_value(current)}")
    else:
        typer.secho(f"error: unknown command :{name} (try :help)", fg=typer.colors.RED, err=True)
    return False
