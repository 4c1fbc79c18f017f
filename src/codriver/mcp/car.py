"""The car as an MCP server: ``read_signals``, the assistant's own tools (their schemas from the
same functions) and ``say`` (a whole turn), for other agents, each call within the client's grants
and judged by the one safety gate as the ``remote`` source."""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from mcp import types
from mcp.server import Server, ServerRequestContext
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from codriver.assistant.executor import Caller
from codriver.assistant.plan import Brain, Plan, ToolCall, TurnContext, Utterance
from codriver.assistant.result import ActionResult
from codriver.assistant.session import Assistant
from codriver.errors import CodriverError
from codriver.mcp.grants import DOMAIN_GRANTS, ClientGrant
from codriver.mcp.mount import PHRASES
from codriver.safety.policy import COCKPIT
from codriver.tools.base import Tool
from codriver.vehicle.bus import SignalChange
from codriver.vehicle.seats import Seat

CLIENT_KEY = "codriver.mcp.client"
"""Where the HTTP layer puts the authenticated :class:`ClientGrant` in the ASGI scope."""
MAX_VALUES = 300
READ_ONLY_DOMAINS = ("knowledge", "status")

CURRENT: contextvars.ContextVar[ClientGrant | None] = contextvars.ContextVar(
    "codriver_mcp_client", default=None
)
"""The client whose turn is being planned (``say``), for :class:`RemoteBrain`."""


class ReadSignals(BaseModel):
    """Current values of VSS signals or branches (``Vehicle.Cabin.HVAC``) and ``Cockpit.`` paths."""

    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(min_length=1, max_length=50, description="signals or branches")


class Say(BaseModel):
    """Speak to the assistant as an occupant would; it answers and acts (within your grants)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=500, description="what is said, Chinese or English")
    seat: Seat = Field(default="driver", description="who speaks")


class RemoteBrain:
    """Plans a remote client's ``say`` turn with the assistant's brain, marks it ``remote`` and
    turns it down when it would use a tool the client has no grant for, or answer yes to the
    assistant's question (a confirmation is the occupant's alone)."""

    def __init__(self, inner: Brain) -> None:
        self.inner = inner

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        return self.vet(await self.inner.plan(utterance, context), context)

    def vet(self, plan: Plan, context: TurnContext) -> Plan:
        """Any plan of this turn — the inner brain's, or an answer the session took itself (a
        yes, an option picked) — as the client's: within its grants, and never a yes."""
        client = CURRENT.get()
        if client is None:
            return Plan("answer", say=PHRASES.get("car.no_client"), source="remote")
        if plan.kind == "confirm":
            return Plan("answer", say=PHRASES.get("car.no_remote_yes"), source="remote")
        for call in (*plan.calls, *plan.offer):
            tool = context.tools.get(call.name)
            if tool is None or not client.allows(tool.domain):
                needs = DOMAIN_GRANTS.get(tool.domain, "—") if tool else "—"
                say = PHRASES.get("car.not_granted", tool=call.name, grant=needs)
                return Plan("answer", say=say, source="remote", notes=plan.notes)
        return replace(plan, source="remote", grants=client.grants)


class CarServer:
    """Serves one assistant (its car, its cockpit) to MCP clients, one call at a time.

    The assistant's brain is wrapped in a :class:`RemoteBrain`: every turn it takes is a remote
    client's. ``stdio`` is the client on the other end of a stdio connection (no token there)."""

    def __init__(self, assistant: Assistant, *, stdio: ClientGrant | None = None) -> None:
        self.assistant = assistant
        assistant.brain = RemoteBrain(assistant.brain)
        self.stdio = stdio
        self._lock = asyncio.Lock()

    def server(self) -> Server[Any]:
        """The low-level MCP server with this car's handlers."""
        return Server(
            "codriver",
            version="0.1",
            instructions="The car's signals and tools. Calls are checked by the car's safety "
            "gate; what needs the occupant's yes is not done remotely.",
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )

    # -- what a client sees and may call -------------------------------------------------

    def tools(self, client: ClientGrant | None) -> list[types.Tool]:
        if client is None:
            return []
        listed = []
        if "read" in client.grants:
            listed.append(_spec("read_signals", ReadSignals, read_only=True))
        if "say" in client.grants:
            listed.append(_spec("say", Say, read_only=False))
        for tool in self.assistant.tools:
            if tool.remote is None and client.allows(tool.domain):
                listed.append(_tool_spec(tool))
        return listed

    async def call(
        self, client: ClientGrant | None, name: str, args: Mapping[str, Any]
    ) -> types.CallToolResult:
        """One call by ``client``; refusals and failures are results with ``is_error`` set."""
        if client is None:
            return _error(PHRASES.get("car.no_client").en)
        token = CURRENT.set(client)
        try:
            async with self._lock:
                return await self._call(client, name, args)
        except ValidationError as exc:
            return _error(f"{name}: {exc.errors()[0]['msg']}")
        except CodriverError as exc:
            return _error(str(exc))
        finally:
            CURRENT.reset(token)

    async def _call(
        self, client: ClientGrant, name: str, args: Mapping[str, Any]
    ) -> types.CallToolResult:
        if name == "read_signals" and "read" in client.grants:
            return await self._read(ReadSignals.model_validate(dict(args)))
        if name == "say" and "say" in client.grants:
            said = Say.model_validate(dict(args))
            turn = await self.assistant.say(said.text, seat=said.seat)
            data = {"outcome": turn.outcome, "reply": turn.reply, "changes": _changes(turn.changes)}
            return _result(turn.reply, data, error=False)
        tool = self.assistant.tools.get(name)
        if tool is None or tool.remote is not None or not client.allows(tool.domain):
            needs = DOMAIN_GRANTS.get(tool.domain, "—") if tool else "—"
            return _error(PHRASES.get("car.not_granted", tool=name, grant=needs).in_(client.lang))
        caller = Caller(
            client.seat, client.lang, source="remote", scopes=client.grants, grants=client.grants
        )
        results, _ = await self.assistant.orchestrator.run([ToolCall(name, dict(args))], caller)
        return _action(results[0], client)

    async def _read(self, request: ReadSignals) -> types.CallToolResult:
        catalog = self.assistant.bus.catalog
        values: dict[str, Any] = {}
        unknown = []
        for path in request.paths:
            if path.startswith(COCKPIT) or path in catalog or catalog.under(path):
                values.update(await self.assistant.snapshot([path]))
            else:
                unknown.append(path)
        shown = dict(list(values.items())[:MAX_VALUES])
        data = {"values": shown, "unknown": unknown, "truncated": len(values) > len(shown)}
        return _result(json.dumps(data, ensure_ascii=False), data, error=False)

    # -- the SDK's handlers --------------------------------------------------------------

    def client_of(self, ctx: ServerRequestContext[Any, Any]) -> ClientGrant | None:
        """The HTTP request's authenticated client, else the stdio client."""
        request = ctx.request
        if request is not None:
            found = getattr(request, "scope", {}).get(CLIENT_KEY)
            return found if isinstance(found, ClientGrant) else None
        return self.stdio

    async def _list_tools(
        self, ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=self.tools(self.client_of(ctx)))

    async def _call_tool(
        self, ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        return await self.call(self.client_of(ctx), params.name, params.arguments or {})


def _spec(name: str, model: type[BaseModel], *, read_only: bool) -> types.Tool:
    schema = model.model_json_schema()
    schema.pop("title", None)
    description = schema.pop("description", "")
    annotations = types.ToolAnnotations(read_only_hint=read_only)
    return types.Tool(
        name=name, description=description, input_schema=schema, annotations=annotations
    )


def _tool_spec(tool: Tool) -> types.Tool:
    annotations = types.ToolAnnotations(read_only_hint=tool.domain in READ_ONLY_DOMAINS)
    return types.Tool(
        name=tool.name,
        description=tool.description,
        input_schema=tool.parameters,
        annotations=annotations,
    )


def _action(result: ActionResult, client: ClientGrant) -> types.CallToolResult:
    said = result.message.in_(client.lang) if result.message else result.status
    rule = result.verdict.rule if result.verdict else None
    data: dict[str, Any] = {"status": result.status, "message": said, "rule": rule}
    data["changes"] = _changes(result.changes)
    if result.choices:
        data["choices"] = [c.label.in_(client.lang) for c in result.choices]
        return _result(said, data, error=False)
    if result.status == "asked":
        said = PHRASES.get("car.needs_occupant", reason=said).in_(client.lang)
        data["message"] = said
    return _result(said, data, error=result.status in ("refused", "failed", "asked"))


def _changes(changes: tuple[SignalChange, ...]) -> list[dict[str, Any]]:
    return [{"path": c.path, "old": c.old, "new": c.new} for c in changes]


def _result(text: str, data: dict[str, Any], *, error: bool) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structured_content=data,
        is_error=error,
    )


def _error(text: str) -> types.CallToolResult:
    return _result(text, {"status": "refused", "message": text}, error=True)
