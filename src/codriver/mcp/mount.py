"""Third-party tools as codriver tools (domain ``apps``): each named ``server__tool`` so it can
never shadow a built-in one, with the scopes its manifest gives it, its schema checked, and its
answers turned into data to speak, attributed to the app. Tools that look wrong are left out, with
the reason: among them any named like one of the car's tools or for an action on the car."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml
from pydantic import BaseModel, ConfigDict

from codriver.assistant.speakable import injected, speakable
from codriver.mcp.client import Connection, Listed, Outcome
from codriver.mcp.config import ServerManifest
from codriver.mcp.payload import clean
from codriver.text import Bilingual, PhraseBook
from codriver.tools.base import Effect, Tool, ToolContext

DOMAIN = "apps"
SEPARATOR = "__"
_TOOL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,47}$")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
MAX_ERROR_CHARS = 200
MAX_DESCRIPTION = 400
MAX_SCHEMA = 8_000
"""Characters of a tool's JSON schema: more is left out (it would crowd an LLM's prompt)."""

PHRASES = PhraseBook.load("codriver.mcp", "data/phrases.yaml")


@dataclass(frozen=True, slots=True)
class Rejected:
    """A tool a server offered that codriver left out, and why."""

    server: str
    tool: str
    why: str


def tool_name(server: str, tool: str) -> str:
    """The codriver name of a server's tool: ``coffee__order``."""
    return f"{server}{SEPARATOR}{tool}"


class RemoteCall:
    """A third-party tool's call path (:class:`codriver.tools.base.Remote`)."""

    def __init__(
        self,
        connection: Connection,
        listed: Listed,
        app: Bilingual,
        validator: Any,
        schema: Mapping[str, Any],
    ) -> None:
        self.connection = connection
        self.listed = listed
        self.app = app
        self._validator = validator
        self._schema = schema

    @property
    def schema(self) -> Mapping[str, Any]:
        return self._schema

    def check(self, args: Mapping[str, object]) -> str | None:
        error = jsonschema.exceptions.best_match(self._validator.iter_errors(dict(args)))
        if error is None:
            return None
        where = ".".join(str(p) for p in error.absolute_path) or "arguments"
        return clean(f"{where}: {error.message}", 200)

    async def __call__(self, args: Mapping[str, Any]) -> Effect:
        outcome = await self.connection.call(self.listed.name, args)
        return effect_of(outcome, self.app, self.connection.manifest.max_result_chars)


def effect_of(outcome: Outcome, app: Bilingual, limit: int) -> Effect:
    """A call's outcome as what the assistant says: the answer made speakable (at most about
    ``limit`` characters), quoted and attributed to the app by its manifest's name."""
    if outcome.status == "answered":
        said = speakable(outcome.text, limit)
        if not said.en:
            return Effect(answer=PHRASES.get("apps.empty", app=app))
        return Effect(answer=PHRASES.get("apps.says", app=app, text=said))
    if outcome.status == "tool_error":
        said = speakable(outcome.text, min(limit, MAX_ERROR_CHARS))
        text = said if said.en else Bilingual("?", "?")
        return Effect(failed=PHRASES.get("apps.tool_error", app=app, text=text))
    return Effect(failed=PHRASES.get(f"apps.{outcome.status}", app=app))


def mount(
    connection: Connection, listed: Iterable[Listed], reserved: Iterable[str]
) -> tuple[list[Tool], list[Rejected]]:
    """The tools a server offers that pass codriver's checks, and the ones left out."""
    manifest = connection.manifest
    taken = {_plain(n) for n in reserved}
    tools: list[Tool] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for item in listed:
        why = _problem(manifest, item, taken, seen)
        validator = None
        if why is None:
            validator, why = _validator(item.schema)
        if why is not None:
            rejected.append(Rejected(manifest.name, clean(item.name, 60), why))
            continue
        seen.add(_plain(item.name))
        tools.append(_tool(connection, item, validator))
    return tools, rejected


def _problem(manifest: ServerManifest, item: Listed, taken: set[str], seen: set[str]) -> str | None:
    """Why ``item`` is left out, or None."""
    if not _TOOL_NAME.match(item.name) or SEPARATOR in item.name:
        return "its name is not a plain identifier"
    if _plain(item.name) in taken or _squeezed(item.name) in {_squeezed(n) for n in taken}:
        return "it is named like one of the car's own tools"
    if _acts_on_the_car(item.name):
        return "it is named for an action on the car, which only the car's own tools take"
    if _plain(item.name) in seen:
        return "the server offers two tools of this name"
    if manifest.only_listed and item.name not in manifest.tools:
        return "the manifest does not list it"
    if item.claimed_scopes is not None:
        outside = set(item.claimed_scopes) - set(manifest.scopes)
        if outside:
            return f"it asks for scopes the manifest does not grant: {sorted(outside)}"
    text = f"{item.description} {json.dumps(item.schema, ensure_ascii=False)}"
    if injected(text):
        return "its description gives the assistant orders"
    return None


def _validator(schema: Mapping[str, Any]) -> tuple[Any, str | None]:
    if len(json.dumps(schema, ensure_ascii=False)) > MAX_SCHEMA:
        return None, f"its argument schema is over {MAX_SCHEMA} characters"
    if schema.get("type") != "object":
        return None, "its arguments are not an object"
    try:
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        return None, clean(f"its argument schema is invalid: {exc.message}", 200)
    return cls(schema), None


def _tool(connection: Connection, item: Listed, validator: Any) -> Tool:
    manifest = connection.manifest
    listed = manifest.tools.get(item.name)
    scopes = manifest.tool_scopes(item.name)
    read_only = listed.read_only if listed and listed.read_only is not None else item.read_only_hint
    schema = {k: v for k, v in item.schema.items() if k not in ("title", "$schema")}
    app = manifest.display()
    description = clean(item.description, MAX_DESCRIPTION) or item.name
    return Tool(
        name=tool_name(manifest.name, item.name),
        description=f"[{app.en}] {description}",
        domain=DOMAIN,
        fn=_served_elsewhere,
        args_model=_AnyArgs,
        provider=manifest.name,
        scopes=scopes,
        read_only=bool(read_only) and "payments" not in scopes,
        remote=RemoteCall(connection, item, app, validator, schema),
    )


def _plain(name: str) -> str:
    return name.casefold().replace("-", "_")


def _squeezed(name: str) -> str:
    """A name without separators or a plural ending: ``Set-Temperatures`` → ``settemperature``."""
    return re.sub(r"[-_]", "", name.casefold()).removesuffix("s")


@cache
def _car_words() -> tuple[frozenset[str], frozenset[str]]:
    raw = yaml.safe_load(
        resources.files("codriver.mcp").joinpath("data/car_words.yaml").read_text("utf-8")
    )
    return frozenset(raw["verbs"]), frozenset(raw["parts"])


def _acts_on_the_car(name: str) -> bool:
    """Does ``name`` pair a verb with a part of the car (``unlock_doors``, ``openTrunk``)?"""
    words = {w.casefold() for w in _WORDS.findall(name)}
    verbs, parts = _car_words()
    return bool(words & verbs) and bool(words & parts)


class _AnyArgs(BaseModel):
    """Arguments of a tool served elsewhere: its own JSON schema checks them."""

    model_config = ConfigDict(extra="allow")


def _served_elsewhere(ctx: ToolContext, **args: object) -> Effect:
    """A remote tool is called through its :class:`RemoteCall`, never run here."""
    return Effect(failed=PHRASES.get("apps.unavailable", app="?"))
