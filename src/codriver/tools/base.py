"""Tools: plain typed functions whose name, description and JSON schema come from their signature.

A tool takes a :class:`ToolContext` first (the state it may read, who spoke, in which language) and
returns an :class:`Effect`: the writes it proposes and what to say. It never touches the car itself:
the executor passes every effect through the safety gate first. The same tools serve the on-device
engine, an LLM (function calling) and MCP.

A tool may also be served elsewhere (a third-party MCP server): then it has a :class:`Remote` —
its own schema and an async call whose answer is data — a ``provider`` and ``scopes``, and the
executor asks the gate before the call, since the call itself is the side effect.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Literal,
    Protocol,
    TypeVar,
    get_args,
    get_type_hints,
)

import docstring_parser
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from codriver.safety.action import Verdict, Write
from codriver.text import Bilingual, Lang
from codriver.vehicle.catalog import Catalog, Value
from codriver.vehicle.seats import Seat

if TYPE_CHECKING:
    from codriver.assistant.executor import Caller
    from codriver.assistant.plan import ToolCall

T = TypeVar("T")


class Consult(Protocol):
    """How a tool asks another agent a question: the orchestrator answers it and records the
    exchange (who asked whom what, the answer, how long it took) in the turn's trace."""

    def __call__(
        self, agent: str, question: str, about: Mapping[str, object], answer: Callable[[], T]
    ) -> T: ...


@dataclass(frozen=True, slots=True)
class ToolContext:
    """What a tool may know: the state (VSS and ``Cockpit.`` paths), the speaker, the language."""

    state: Mapping[str, Value | None]
    speaker: Seat = "driver"
    lang: Lang = "en"
    gaze: str | None = None
    catalog: Catalog | None = None
    automations: Any = None
    """The assistant's automation store (rules, reminders, timers), where it has one."""
    services: Any = None
    """The assistant's services (``codriver.services.Services``: maps, media, phone, knowledge)."""
    consult: Consult | None = None
    """The orchestrator's line to the other agents, where there is one."""
    journal: Any = None
    """What the assistant itself changed (``codriver.assistant.journal.UndoJournal``)."""
    caller: Caller | None = None
    """Who is behind the call (the proposer, the seat, an outside agent's grants): what a rule
    keeps of its creator, to act later as that creator would."""
    trial: Callable[[ToolCall, Mapping[str, Value | None]], Trial] | None = None
    """How the safety gate would judge another call by the same caller, nothing done: in the
    car as it is now, with the given signals as they would be then (a rule's trigger)."""

    def ask(self, agent: str, question: str, answer: Callable[[], T], **about: object) -> T:
        """Ask another agent (navigation asks energy whether the range suffices). ``answer``
        computes the reply from that agent's knowledge; ``about`` is what the trace shows."""
        if self.consult is None:
            return answer()
        return self.consult(agent, question, about, answer)

    def bounds(self, path: str, low: float, high: float) -> tuple[float, float]:
        """The accepted range of ``path`` (the given fallback where the catalog sets none)."""
        spec = self.catalog.get(path) if self.catalog else None
        if spec is None:
            return low, high
        spec_low, spec_high = spec.bounds()
        return (low if spec_low is None else spec_low, high if spec_high is None else spec_high)

    def number(self, path: str, default: float = 0.0) -> float:
        value = self.state.get(path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return default
        return float(value)


@dataclass(frozen=True, slots=True)
class Trial:
    """The gate's judgement of a call tried for later: ``allow``, ``refuse`` or ``confirm`` with
    the rule that decided and its reason (for ``allow``, what it would say when done), or
    ``failed`` (no such tool, arguments that do not fit); the writes it would make."""

    decision: Literal["allow", "refuse", "confirm", "failed"]
    reason: Bilingual | None = None
    rule: str | None = None
    writes: tuple[Write, ...] = ()
    third_party: bool = False
    """A third-party service's tool: calling it is the side effect."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a question a tool asks back: what to call it, and the call that takes it."""

    label: Bilingual
    tool: str
    args: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Effect:
    """What a tool proposes: writes, and what to say once they are done (or instead of acting)."""

    writes: tuple[Write, ...] = ()
    done: Bilingual | None = None
    answer: Bilingual | None = None
    failed: Bilingual | None = None
    after: Callable[[], None] | None = field(default=None, compare=False)
    """Run once the gate has allowed the action (register a rule, start a timer)."""
    choices: tuple[Choice, ...] = ()
    refused: Verdict | None = None
    """The gate refused part of what the tool proposes, tried beforehand (a rule's action, as its
    creator's): the whole call is refused with that verdict."""
    confirm: Bilingual | None = None
    """A question the occupant must say yes to before this is done (a rule's risky actions,
    spelled out): the gate asks it, and an outside agent is refused."""
    reports: Mapping[str, Value] = field(default_factory=dict)
    """Sensor values the device reports once the writes are done (what a head unit then shows
    as playing); fed to the car as readings, not commands."""
    """Several equally good readings: ``answer`` asks which, and the occupant's answer picks one."""

    @classmethod
    def set(cls, values: Mapping[str, Value], done: Bilingual | None = None) -> Effect:
        return cls(tuple(Write(p, v) for p, v in values.items()), done=done)


@dataclass(frozen=True, slots=True)
class ArgumentProblem:
    """Arguments that do not fit a tool's schema."""

    tool: str
    message: str


class Remote(Protocol):
    """How a tool served elsewhere is called: its JSON schema, an argument check, and the call.

    The call answers with an :class:`Effect` that has no writes: ``answer`` (what the service
    said, as data) or ``failed`` (it failed, timed out or is switched off)."""

    @property
    def schema(self) -> Mapping[str, Any]: ...

    def check(self, args: Mapping[str, object]) -> str | None:
        """What is wrong with ``args`` for this tool, or None when they fit."""
        ...

    def __call__(self, args: Mapping[str, Any]) -> Awaitable[Effect]: ...


@dataclass(frozen=True, slots=True)
class Tool:
    """One callable tool with its schema."""

    name: str
    description: str
    domain: str
    fn: Callable[..., Effect]
    args_model: type[BaseModel] | None = field(default=None, repr=False)
    """The arguments' model; None for a built-in tool, whose model is built from its signature
    the first time it is needed (``model``), so that importing the tools stays cheap."""
    provider: str | None = None
    """The third-party service (MCP server) that serves the tool; None for a built-in tool."""
    scopes: frozenset[str] = frozenset()
    """What a third-party tool may touch (``payments``, ``location`` …): the gate judges by them."""
    read_only: bool = False
    """A third-party look-up without side effects (MCP ``readOnlyHint``, as codriver's manifest
    allows): only such a tool is called when a call is merely tried (``Executor.dry_run``)."""
    remote: Remote | None = field(default=None, repr=False, compare=False)
    """The call path of a tool served elsewhere; None for a tool that runs here."""

    def model(self) -> type[BaseModel]:
        """The arguments' model: the one given, or the one built from the function's signature."""
        return self.args_model if self.args_model is not None else _args_model(self.fn)

    @property
    def parameters(self) -> dict[str, Any]:
        """JSON schema of the arguments, as function calling and MCP expect."""
        if self.remote is not None:
            return dict(self.remote.schema)
        schema = self.model().model_json_schema()
        schema.pop("title", None)
        return schema

    def validate(self, args: Mapping[str, object]) -> dict[str, Any] | ArgumentProblem:
        if self.remote is not None:
            problem = self.remote.check(args)
            if problem is not None:
                return ArgumentProblem(self.name, f"{self.name}: {problem}")
            return dict(args)
        try:
            model = self.model().model_validate(dict(args))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}"
                for err in exc.errors()
            )
            return ArgumentProblem(self.name, f"{self.name}: {problems}")
        return {name: getattr(model, name) for name in type(model).model_fields}

    def run(self, ctx: ToolContext, args: Mapping[str, Any]) -> Effect:
        return self.fn(ctx, **args)


def tool(domain: str, *, name: str | None = None) -> Callable[[Callable[..., Effect]], Tool]:
    """Make a function a :class:`Tool`; its first parameter must be the :class:`ToolContext`."""

    def wrap(fn: Callable[..., Effect]) -> Tool:
        hints = get_type_hints(fn)
        params = list(inspect.signature(fn).parameters.values())
        if not params or hints.get(params[0].name) is not ToolContext:
            raise TypeError(f"tool {fn.__name__}: first parameter must be a ToolContext")
        for param in params[1:]:
            if param.name not in hints:
                raise TypeError(f"tool {fn.__name__}: parameter {param.name} needs a type hint")
        doc = docstring_parser.parse(inspect.getdoc(fn) or "")
        description = " ".join(filter(None, [doc.short_description, doc.long_description]))
        return Tool(name or fn.__name__, description, domain, fn)

    return wrap


@cache
def _args_model(fn: Callable[..., Effect]) -> type[BaseModel]:
    """The model of ``fn``'s arguments (all but the context), from its signature and docstring."""
    doc = docstring_parser.parse(inspect.getdoc(fn) or "")
    descriptions = {p.arg_name: p.description or "" for p in doc.params}
    hints = get_type_hints(fn)
    fields: dict[str, Any] = {}
    for param in list(inspect.signature(fn).parameters.values())[1:]:
        default = ... if param.default is inspect.Parameter.empty else param.default
        described = descriptions.get(param.name) or None
        fields[param.name] = (
            _no_bool_for_number(hints[param.name]),
            Field(default, description=described),
        )
    return create_model(  # type: ignore[call-overload, no-any-return]
        f"{fn.__name__}_args", __config__=ConfigDict(extra="forbid"), **fields
    )


def _no_bool_for_number(hint: Any) -> Any:
    """``hint``, refusing true/false where a number is expected (pydantic would read true as 1)."""
    options = {hint, *get_args(hint)}
    if bool in options or not options & {int, float}:
        return hint
    return Annotated[hint, BeforeValidator(_reject_bool)]


def _reject_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true or false")
    return value


@dataclass(frozen=True, slots=True)
class Toolset:
    """Tools of one domain, by name."""

    name: str
    tools: tuple[Tool, ...]

    def get(self, name: str) -> Tool | None:
        return next((t for t in self.tools if t.name == name), None)


class ToolBox:
    """The toolsets an assistant can use, looked up by tool name."""

    def __init__(self, toolsets: Iterable[Toolset]) -> None:
        self.toolsets = tuple(toolsets)
        self._by_name: dict[str, Tool] = {}
        for toolset in self.toolsets:
            for item in toolset.tools:
                if item.name in self._by_name:
                    raise ValueError(f"two tools are named {item.name!r}")
                self._by_name[item.name] = item

    def get(self, name: str) -> Tool | None:
        return self._by_name.get(name)

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._by_name.values())

    def names(self) -> list[str]:
        return sorted(self._by_name)
