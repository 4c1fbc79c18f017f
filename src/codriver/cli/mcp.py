"""``codriver mcp``: the car as an MCP server, and third-party apps over MCP (extra ``[mcp]``)."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from codriver.errors import ConfigError

if TYPE_CHECKING:
    from codriver.assistant.plan import Brain
    from codriver.mcp.grants import ClientGrant
    from codriver.safety.grants import Grant
    from codriver.tools.base import ToolBox

app = typer.Typer(
    name="mcp",
    help="The car as an MCP server; third-party apps over MCP (needs the mcp extra).",
    no_args_is_help=True,
    add_completion=False,
)

AppsFile = Annotated[
    Path | None,
    typer.Option("--apps", help="apps file (YAML or TOML); default: [mcp] of the settings file"),
]


NO_TOKEN_FLAG = (
    "--token is not accepted: a token on the command line can be read by every user of this "
    "machine (ps, /proc, shell history). Put it in CODRIVER_MCP_TOKEN or in a file given with "
    "--token-file"
)


@app.command()
def serve(
    http: Annotated[bool, typer.Option("--http", help="Streamable HTTP instead of stdio")] = False,
    host: Annotated[str, typer.Option(help="HTTP: address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP: port to listen on")] = 8766,
    grants: Annotated[
        str,
        typer.Option(help="what the client may do: read, cabin, media, navigation, phone, say"),
    ] = "read",
    clients: Annotated[
        Path | None, typer.Option(help="HTTP: clients file (name, token, grants per client)")
    ] = None,
    token_file: Annotated[
        Path | None,
        typer.Option(help="HTTP: file holding the one client's token (or CODRIVER_MCP_TOKEN)"),
    ] = None,
    tls_cert: Annotated[
        Path | None, typer.Option(help="HTTP: certificate (PEM) to serve HTTPS with")
    ] = None,
    tls_key: Annotated[Path | None, typer.Option(help="HTTP: the certificate's key (PEM)")] = None,
    token: Annotated[str | None, typer.Option(hidden=True)] = None,
) -> None:
    """Serve the car to MCP clients: read_signals, the assistant's tools, say."""
    if token is not None:
        raise ConfigError(NO_TOKEN_FLAG)
    from codriver.mcp import require_sdk

    require_sdk()
    from codriver.assistant.session import Assistant
    from codriver.mcp.car import CarServer
    from codriver.mcp.grants import ClientGrant, parse_grants
    from codriver.mcp.serve import MCP_PATH, serve_http, serve_stdio

    granted = parse_grants(grants)
    if not http:
        car = CarServer(Assistant(), stdio=ClientGrant(name="stdio", grants=granted))
        asyncio.run(serve_stdio(car))
        return
    if (tls_cert is None) != (tls_key is None):
        raise ConfigError("HTTPS needs both --tls-cert and --tls-key")
    known = _http_clients(clients, token_file, granted)
    scheme = "http" if tls_cert is None else "https"
    _warn_if_exposed(host, tls=tls_cert is not None)
    typer.echo(f"codriver MCP server at {scheme}://{host}:{port}{MCP_PATH}", err=True)
    tls = {"ssl_certfile": str(tls_cert), "ssl_keyfile": str(tls_key)} if tls_cert else {}
    asyncio.run(serve_http(CarServer(Assistant()), known, host, port, log_level="warning", **tls))


def _http_clients(
    clients: Path | None, token_file: Path | None, granted: frozenset[Grant]
) -> tuple[ClientGrant, ...]:
    """The clients file's clients, else one client with the token from the environment or the
    token file (made up and shown on stderr when neither gives one)."""
    from codriver.mcp.grants import (
        ClientGrant,
        load_clients,
        new_token,
        one_token,
        readable_by_others,
    )

    if clients is not None:
        return load_clients(clients)
    given = one_token(os.environ, token_file)
    if token_file is not None and readable_by_others(token_file):
        typer.echo(f"warning: {token_file} can be read by other users (chmod 600 it)", err=True)
    if given is None:
        given = new_token()
        typer.echo(f"token: {given}", err=True)
    return (ClientGrant(name="client", token=given, grants=granted),)


def _warn_if_exposed(host: str, *, tls: bool) -> None:
    from codriver.mcp.grants import is_loopback

    if not tls and not is_loopback(host):
        typer.echo(
            f"warning: serving the car on {host} without TLS: tokens and everything said cross "
            "the network in the clear. Give --tls-cert and --tls-key, or put a TLS proxy in "
            "front.",
            err=True,
        )


@app.command()
def apps(
    apps_file: AppsFile = None,
    as_json: Annotated[bool, typer.Option("--json", help="print as JSON")] = False,
) -> None:
    """Connect to the configured apps and show their tools, and what was left out and why."""
    from codriver.mcp import require_sdk

    require_sdk()
    from codriver.mcp.apps import Apps
    from codriver.mcp.config import find_apps

    config = find_apps(apps_file)

    async def discover() -> list[dict[str, Any]]:
        async with await Apps.connect(config) as connected:
            return connected.summary()

    listing = asyncio.run(discover())
    if as_json:
        typer.echo(json.dumps(listing, ensure_ascii=False, indent=1))
        return
    if not listing:
        typer.echo("no apps configured (--apps FILE, or [mcp] in the settings file)")
    for server in listing:
        state = "up" if server["up"] else f"down: {server['problem']}"
        typer.echo(f"{server['server']} ({state}, {server['ms']} ms)")
        for item in server["tools"]:
            ro = " read-only" if item["read_only"] else ""
            typer.echo(f"  {item['name']:32} scopes: {', '.join(item['scopes']) or '—'}{ro}")
        for item in server["left_out"]:
            typer.echo(f"  left out {item['tool']}: {item['why']}")


@app.command()
def say(
    text: Annotated[str, typer.Argument(help="what the occupant says")],
    apps_file: AppsFile = None,
    speaker: Annotated[str, typer.Option("--from", help="who speaks")] = "driver",
    given: Annotated[
        list[str] | None, typer.Option("--set", help="SIGNAL=VALUE before the turn (repeatable)")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="answer yes if the assistant asks")] = False,
    trace: Annotated[bool, typer.Option("--trace", help="show which agent did what")] = False,
) -> None:
    """One turn with the configured apps mounted (phrases and the LLM reach their tools)."""
    from codriver.mcp import require_sdk

    require_sdk()
    from codriver.cli.common import LLM_FLAGS, echo_turn, parse_assignment
    from codriver.llm.settings import load_settings
    from codriver.mcp.apps import Apps
    from codriver.mcp.assistant import assistant_with_apps
    from codriver.mcp.config import find_apps

    config = find_apps(apps_file)
    preset = dict(parse_assignment(item) for item in given or [])
    settings = load_settings(LLM_FLAGS)

    def brain(tools: ToolBox) -> Brain:
        from codriver.llm import make_brain

        return make_brain(None, settings, tools=tools)

    async def turn() -> None:
        async with await Apps.connect(config) as connected:
            for report in connected.reports.values():
                if not report.up:
                    typer.secho(f"  ({report.name} left out: {report.problem})", err=True)
            assistant = assistant_with_apps(connected, brain=brain if settings else None)
            await assistant.feed(preset)
            result = await assistant.say(text, seat=speaker)
            echo_turn(result, trace=trace)
            if yes and result.outcome == "asked":
                answer = "好的" if result.lang == "zh" else "yes"
                echo_turn(await assistant.say(answer, seat=speaker), trace=trace)

    asyncio.run(turn())
