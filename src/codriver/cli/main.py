"""The ``codriver`` command."""

from __future__ import annotations

import asyncio
import json
import sys
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Annotated

import typer

from codriver.assistant.result import TurnResult
from codriver.cli.bus import BUS_FLAGS, open_bus
from codriver.cli.bus import app as bus_app
from codriver.cli.common import (
    LLM_FLAGS,
    echo_turn,
    make_assistant,
    parse_assignment,
    show_value,
)
from codriver.cli.mcp import app as mcp_app
from codriver.errors import CodriverError, InputError, MissingExtraError, VehicleUnavailable
from codriver.vehicle.catalog import Catalog, Value

app = typer.Typer(
    name="codriver",
    help="codriver: an open, bilingual in-car assistant. Runs offline on a simulated car.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # "[voice]" names an extra: rich markup would swallow it
)
app.add_typer(mcp_app, name="mcp")
app.add_typer(bus_app, name="bus")


@app.callback()
def main(
    llm_preset: Annotated[
        str | None,
        typer.Option(help="LLM endpoint preset: dashscope, dashscope-intl, vllm, ollama, llamacpp"),
    ] = None,
    llm_url: Annotated[str | None, typer.Option(help="OpenAI-compatible base URL")] = None,
    llm_model: Annotated[str | None, typer.Option(help="model name at that endpoint")] = None,
    llm_key: Annotated[str | None, typer.Option(help="API key (or CODRIVER_LLM_API_KEY)")] = None,
    llm_mode: Annotated[
        str | None, typer.Option(help="tool calling: native or structured (small local models)")
    ] = None,
    llm_budget: Annotated[
        float | None, typer.Option(help="seconds a turn may wait for the LLM (default 1.5)")
    ] = None,
    llm_agents: Annotated[
        bool | None, typer.Option(help="LLM domain agents under a coordinator")
    ] = None,
    bus: Annotated[
        str | None,
        typer.Option(
            envvar="CODRIVER_BUS",
            help="a KUKSA databroker instead of the simulated car: kuksa://HOST:PORT "
            "(extra [kuksa], docs/vehicle.md)",
        ),
    ] = None,
    bus_token: Annotated[
        str | None,
        typer.Option("--token", envvar="CODRIVER_BUS_TOKEN", help="the broker's bearer token"),
    ] = None,
    bus_tls: Annotated[
        Path | None, typer.Option("--tls", help="TLS to the broker: the CA's PEM file")
    ] = None,
    bus_tls_name: Annotated[
        str | None, typer.Option("--tls-name", help="the name on the broker's certificate")
    ] = None,
    bus_timeout: Annotated[
        float | None, typer.Option(help="seconds the broker has to answer a call (default 1)")
    ] = None,
    max_age: Annotated[
        list[str] | None,
        typer.Option(help="SIGNAL=SECONDS: older values are unknown (glob, repeatable)"),
    ] = None,
) -> None:
    """codriver: an open, bilingual in-car assistant. Runs offline on a simulated car.

    An LLM is configured by these options, by CODRIVER_LLM_* variables or by an [llm] table in
    ~/.config/codriver/config.toml. --bus and the options after it reach a real car through a
    KUKSA databroker (serve's own --token is the HTTP API's).
    """
    BUS_FLAGS.update(
        {
            "url": bus,
            "token": bus_token,
            "tls": bus_tls,
            "tls_name": bus_tls_name,
            "timeout": bus_timeout,
            "max_age": max_age or [],
        }
    )
    LLM_FLAGS.update(
        {
            "preset": llm_preset,
            "base_url": llm_url,
            "model": llm_model,
            "api_key": llm_key,
            "mode": llm_mode,
            "budget_s": llm_budget,
            "agents": llm_agents,
        }
    )


Brain = Annotated[
    str,
    typer.Option(
        "--brain",
        help="local (on-device), llm, hybrid, or direct; default: hybrid when an LLM is "
        "configured, else local",
        show_default=False,  # the help says what the default is; its placeholder means nothing
    ),
]
Speaker = Annotated[
    str, typer.Option("--from", help="who speaks: driver, passenger, rear_left, rear_right")
]


@app.command()
def chat(
    speaker: Speaker = "driver",
    brain: Brain = "default",
    trace: Annotated[bool, typer.Option("--trace", help="show which agent did what")] = False,
    apps: Annotated[
        Path | None,
        typer.Option(help="third-party apps over MCP (YAML/TOML; default: [mcp] of the settings)"),
    ] = None,
) -> None:
    """Talk to the simulated car; each reply shows the signals that changed."""
    from codriver.cli.chat import chat as run_chat

    run_chat(speaker, brain, trace, apps)


@app.command()
def say(
    text: Annotated[str, typer.Argument(help="what the occupant says")],
    speaker: Speaker = "driver",
    gaze: Annotated[str | None, typer.Option(help="VSS branch the speaker looks at")] = None,
    given: Annotated[
        list[str] | None, typer.Option("--set", help="SIGNAL=VALUE before the turn (repeatable)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the turn as JSON")] = False,
    trace: Annotated[bool, typer.Option("--trace", help="show which agent did what")] = False,
    brain: Brain = "default",
) -> None:
    """One turn: say TEXT to the car and print the reply and the changes."""
    preset = dict(parse_assignment(item) for item in given or [])

    async def turn() -> TurnResult:
        async with AsyncExitStack() as stack:
            assistant = make_assistant(brain, await open_bus(stack))
            await assistant.feed(preset)
            return await assistant.say(text, seat=speaker, gaze=gaze)

    result = asyncio.run(turn())
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        echo_turn(result, trace=trace)


@app.command()
def vision(
    source: Annotated[
        str | None, typer.Option("--in", help="a video, an image or a folder of images")
    ] = None,
    camera: Annotated[int | None, typer.Option(help="a camera's index, e.g. 0 (live)")] = None,
    hands: Annotated[bool, typer.Option(help="look for hands: gestures and pointing")] = False,
    faces: Annotated[
        int, typer.Option(help="faces to look for: 1 the driver, up to 4 for every seat")
    ] = 1,
    show: Annotated[
        bool, typer.Option(help="also print the measures: eye closure, PERCLOS, head, gaze")
    ] = False,
    drive: Annotated[str, typer.Option(help="left- or right-hand drive: left or right")] = "left",
    speed: Annotated[
        float, typer.Option(help="the simulated car's speed in km/h; 0: parked and locked")
    ] = 50.0,
    brain: Brain = "default",
) -> None:
    """The cabin camera (extra [vision]): driver state each second, gestures, deixis, seats."""
    from codriver.cli.vision import run_vision

    if (source is None) == (camera is None):
        raise InputError("give one of --in PATH or --camera INDEX")
    if drive not in ("left", "right"):
        raise InputError(f"--drive is left or right, not {drive!r}")
    run_vision(
        str(camera) if source is None else source,
        hands=hands,
        faces=faces,
        show=show,
        drive=drive,  # type: ignore[arg-type]
        speed=speed,
        assistant=make_assistant(brain),
    )


@app.command()
def voice(
    source: Annotated[
        Path | None,
        typer.Option(
            "--in", help="an audio file to listen to: WAV, FLAC, OGG, MP3… (else the microphone)"
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="write the replies, on the input's clock, as WAV")
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            help="en, zh or auto (the wake phrase's language, else the last turn's, else "
            "detected once per conversation)"
        ),
    ] = "auto",
    speaker: Speaker = "driver",
    channels: Annotated[
        str | None,
        typer.Option(
            help="seat of each channel of a multi-channel file, e.g. driver,passenger "
            "(default: every channel is --from's seat)"
        ),
    ] = None,
    wake: Annotated[
        str | None,
        typer.Option(
            help="how the car is called, comma-separated: a wake-word model (hey jarvis, "
            "okay nabu, alexa, hey mycroft) and/or a phrase in Chinese (你好小驰), or none; "
            "default: none for --in; for the microphone 'hey jarvis,你好小驰' "
            "(hey jarvis alone with --lang en)"
        ),
    ] = None,
    asr: Annotated[
        str,
        typer.Option(
            help="offline (Whisper), funasr (a FunASR server) or sherpa (a sherpa-onnx server)"
        ),
    ] = "offline",
    funasr_url: Annotated[
        str, typer.Option(help="FunASR WebSocket server")
    ] = "ws://127.0.0.1:10095",
    sherpa_url: Annotated[
        str, typer.Option(help="sherpa-onnx WebSocket server")
    ] = "ws://127.0.0.1:6006",
    sherpa_mode: Annotated[
        str, typer.Option(help="streaming or offline: which sherpa-onnx server it is")
    ] = "streaming",
    brain: Brain = "default",
    follow_up: Annotated[float, typer.Option(help="seconds after a reply without wake word")] = 8.0,
    hangover: Annotated[
        float, typer.Option(help="seconds of silence that end an utterance")
    ] = 0.25,
    as_json: Annotated[
        Path | None, typer.Option("--json", help="write per-utterance timings")
    ] = None,
    apps: Annotated[Path | None, typer.Option(help="third-party apps over MCP (YAML/TOML)")] = None,
) -> None:
    """Hands-free: wake word, speech in, actions, spoken replies out (extra [voice])."""
    try:
        from codriver.cli.voice import run_voice
    except ImportError as exc:  # numpy and the engines come with the extra
        raise MissingExtraError("codriver voice", "voice") from exc

    run_voice(
        source,
        out,
        lang=lang,
        seat=speaker,
        channels=channels,
        wake=wake,
        asr=asr,
        funasr_url=funasr_url,
        sherpa_url=sherpa_url,
        sherpa_mode=sherpa_mode,
        brain=brain,
        follow_up=follow_up,
        as_json=as_json,
        hangover=hangover,
        apps=apps,
    )


@app.command()
def parse(
    text: Annotated[str, typer.Argument(help="what the occupant says")],
    speaker: Speaker = "driver",
    gaze: Annotated[str | None, typer.Option(help="VSS branch the speaker looks at")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print as JSON")] = False,
) -> None:
    """Show how the on-device engine understands TEXT, without executing anything."""
    from codriver.cli.parse import interpret

    report = interpret(text, speaker, gaze)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    typer.echo(
        f"lang: {report['lang']}  plan: {report['plan']}  confidence: {report['confidence']}"
    )
    for frame in report["frames"]:
        typer.echo(f"  frame: {frame}")
    for call in report["calls"]:
        typer.echo(f"  call: {call['tool']} {call['args']}")
    if report["say"]:
        typer.echo(f"  say: {report['say']}")
    if report["ambiguous"]:
        typer.echo(f"  ambiguous: {', '.join(report['ambiguous'])}")


@app.command()
def scenarios(
    paths: Annotated[list[Path], typer.Argument(help="scenario files or folders")],
    json_file: Annotated[Path | None, typer.Option("--json", help="write results as JSON")] = None,
    brain: Brain = "default",
    baseline: Annotated[
        Path | None, typer.Option(help="fail only on scenarios this baseline records as passing")
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option(help="record the scenarios that pass now in --baseline")
    ] = False,
) -> None:
    """Run drive scenarios (format: docs/scenarios.md); ends with 'N passed, N failed'."""
    from codriver.cli.scenarios import run_scenarios

    if update_baseline and baseline is None:
        raise CodriverError("--update-baseline needs --baseline FILE")
    raise typer.Exit(run_scenarios(paths, json_file, brain, baseline, update_baseline))


@app.command()
def signals(
    prefix: Annotated[str, typer.Argument(help="only signals under this prefix")] = "",
) -> None:
    """List the car's signals with their current value and accepted values."""

    async def read() -> tuple[Catalog, list[str], dict[str, Value | None]]:
        async with AsyncExitStack() as stack:
            assistant = make_assistant(bus=await open_bus(stack))
            catalog = assistant.bus.catalog
            paths = catalog.under(prefix) if prefix else [s.path for s in catalog]
            if not paths:
                raise CodriverError(f"no signal under {prefix!r}")
            return catalog, paths, await assistant.snapshot(paths)

    catalog, paths, values = asyncio.run(read())
    for path in paths:
        spec = catalog.spec(path)
        accepted = f"  [{spec.accepted()}]" if spec.accepted() else ""
        typer.echo(f"{path} ({spec.kind}, {spec.datatype}) = {show_value(values[path])}{accepted}")


@app.command()
def tools(
    as_json: Annotated[bool, typer.Option("--json", help="full JSON schemas")] = False,
) -> None:
    """List the assistant's tools (name, domain, description; --json for schemas)."""
    toolbox = make_assistant().tools
    if as_json:
        listing = [
            {
                "name": t.name,
                "domain": t.domain,
                "description": t.description,
                "parameters": t.parameters,
            }
            for t in toolbox
        ]
        typer.echo(json.dumps(listing, ensure_ascii=False, indent=1))
        return
    for item in toolbox:
        typer.echo(f"{item.domain:10} {item.name:28} {item.description}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8765,
    token_file: Annotated[
        Path | None,
        typer.Option(help="file with the operator token, made when missing (or CODRIVER_TOKEN)"),
    ] = None,
    tls_cert: Annotated[Path | None, typer.Option(help="certificate (PEM): serve HTTPS")] = None,
    tls_key: Annotated[Path | None, typer.Option(help="the certificate's key (PEM)")] = None,
    insecure: Annotated[
        bool, typer.Option(help="serve beyond loopback without TLS (a TLS proxy in front)")
    ] = False,
    allow_origin: Annotated[
        list[str] | None, typer.Option(help="another web origin whose pages may stream events")
    ] = None,
    access_log: Annotated[bool, typer.Option(help="log every request")] = False,
    apps: Annotated[
        Path | None, typer.Option(help="third-party apps over MCP, mounted in every cabin")
    ] = None,
    token: Annotated[str | None, typer.Option(hidden=True)] = None,
    store: Annotated[
        str | None,
        typer.Option(
            help="where cabins are kept: memory, sqlite:PATH or redis://HOST:PORT/DB "
            "(default: an SQLite file under the user's data directory)"
        ),
    ] = None,
    idle_expiry: Annotated[
        float,
        typer.Option(help="real seconds after which a cabin nobody uses is deleted (0: never)"),
    ] = 86_400.0,
    max_resident: Annotated[int, typer.Option(help="cabins each worker keeps in memory")] = 64,
    max_cabins: Annotated[int, typer.Option(help="cabins the store holds at most")] = 10_000,
    workers: Annotated[int, typer.Option(help="worker processes (several need a redis store)")] = 1,
) -> None:
    """Serve the HTTP/WebSocket API and the web cockpit (needs the [server] extra)."""
    import os

    from codriver.errors import ConfigError
    from codriver.server.config import ServerConfig
    from codriver.server.exposure import NO_TOKEN_FLAG, exposure_from
    from codriver.server.run import serve as run_server
    from codriver.server.setup import check_store, choose_store

    kept, notice = choose_store(store, apps=apps is not None)
    check_store(kept, workers)
    if notice:
        typer.echo(notice, err=True)

    if token is not None:
        raise ConfigError(NO_TOKEN_FLAG)
    secret, exposure = exposure_from(os.environ, host, token_file, (tls_cert, tls_key), insecure)
    mounted = None
    if apps is not None:
        from codriver.mcp import require_sdk
        from codriver.mcp.config import load_apps

        require_sdk()
        mounted = load_apps(apps)
    config = ServerConfig(
        token=secret,
        allow_origins=tuple(allow_origin or ()),
        store=kept,
        max_cabins=max_cabins,
        max_resident=max_resident,
        idle_expiry=idle_expiry or None,
    )
    opener = open_bus if BUS_FLAGS.get("url") else None
    run_server(
        host,
        port,
        config,
        access_log=access_log,
        apps=mounted,
        exposure=exposure,
        bus=opener,
        workers=workers,
    )


def run() -> None:
    """Entry point: no traceback reaches a user; errors are one clear line and exit code 2 (3: the
    vehicle bus cannot be reached)."""
    try:
        app()
    except VehicleUnavailable as exc:  # its own code: a script can tell it and try again
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(3)
    except CodriverError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
