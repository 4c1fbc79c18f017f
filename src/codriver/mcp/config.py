"""The apps configuration: which third-party MCP servers to reach, and each one's manifest.

The manifest is codriver's side of the contract, written by whoever installs the app, never taken
from the server: the scopes the service may touch, per tool the scopes, whether it is a read-only
look-up, and the phrases (English and Chinese) that send an utterance to it. A tool's scopes must
lie within its server's; a tool the manifest does not list gets all of its server's scopes.

```yaml
servers:
  - name: coffee
    title: {en: Coffee Express, zh: 咖啡快订}
    stdio: {command: python, args: [-m, examples.mcp_servers.coffee]}
    scopes: [food, payments]
    tools:
      menu: {scopes: [food], read_only: true}
      order: {triggers: {en: [order a coffee], zh: [点咖啡]}, utterance_arg: request}
```
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from codriver.errors import ConfigError
from codriver.text import Bilingual, Lang
from codriver.yamlfile import YAMLError, load_yaml

Scope = Literal[
    "media",
    "navigation",
    "parking",
    "charging",
    "food",
    "weather",
    "payments",
    "location",
    "contacts",
    "messages",
    "calendar",
]
"""What a third-party service may touch. ``payments`` costs money and ``location``, ``contacts``,
``messages`` and ``calendar`` share personal data: the safety rules ask the occupant first."""

SCOPES: tuple[Scope, ...] = get_args(Scope)
NAME = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
"""A server's name: lower-case words joined by single underscores (``__`` separates it from the
tool's name in ``coffee__order``)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phrases(_Model):
    """Phrases in both languages."""

    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()

    def of(self, lang: Lang) -> tuple[str, ...]:
        return self.zh if lang == "zh" else self.en


class Title(_Model):
    en: str = Field(min_length=1, max_length=40)
    zh: str = Field(min_length=1, max_length=40)


class ToolManifest(_Model):
    """What codriver allows one of a server's tools, and how the on-device engine reaches it."""

    scopes: tuple[Scope, ...] | None = None
    """Default: all of the server's scopes."""
    read_only: bool | None = None
    """Default: what the server says (``readOnlyHint``); never for a tool with ``payments``."""
    triggers: Phrases = Phrases()
    """Phrases that send an utterance to this tool (the on-device engine, before it plans)."""
    fallback: bool = False
    """Send here what the on-device brain does not understand (one tool across all servers)."""
    utterance_arg: str | None = None
    """The string argument that gets the occupant's words when a phrase sends them here."""
    lang_arg: str | None = None
    """An argument that gets the occupant's language (``en`` or ``zh``) on those calls."""


class StdioTarget(_Model):
    """A server started as a subprocess, speaking MCP over its stdin and stdout."""

    command: str = Field(min_length=1)
    """The program; ``python`` means the interpreter codriver itself runs on (its environment,
    whether or not that is on the PATH)."""
    args: tuple[str, ...] = ()
    env: dict[str, str] = Field(default_factory=dict)
    cwd: str | None = None

    @property
    def program(self) -> str:
        return sys.executable if self.command == "python" else self.command


class ServerManifest(_Model):
    """One third-party MCP server: where it is, what it may touch, and how long it may take."""

    name: str = Field(pattern=NAME, max_length=24)
    title: Title | None = None
    stdio: StdioTarget | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")
    """A Streamable HTTP endpoint, e.g. ``http://127.0.0.1:8931/mcp``."""
    token_env: str | None = None
    """Environment variable holding a bearer token for the HTTP endpoint."""
    scopes: tuple[Scope, ...] = ()
    tools: dict[str, ToolManifest] = Field(default_factory=dict)
    only_listed: bool = False
    """Mount only the tools listed under ``tools``."""
    connect_timeout_s: float = Field(default=5.0, gt=0, le=60)
    call_timeout_s: float = Field(default=3.0, gt=0, le=60)
    max_result_chars: int = Field(default=1200, ge=80, le=20_000)
    """What of a tool's answer reaches the assistant; the rest is cut."""
    failures_to_open: int = Field(default=3, ge=1, le=20)
    """Consecutive failed calls after which the server is switched off for ``cooldown_s``."""
    cooldown_s: float = Field(default=30.0, gt=0, le=3600)

    @model_validator(mode="after")
    def _consistent(self) -> ServerManifest:
        if (self.stdio is None) == (self.url is None):
            raise ValueError("give exactly one of stdio and url")
        if self.token_env is not None and self.url is None:
            raise ValueError("token_env is for an HTTP server (url)")
        for tool, manifest in self.tools.items():
            outside = set(manifest.scopes or ()) - set(self.scopes)
            if outside:
                raise ValueError(f"tool {tool}: scopes {sorted(outside)} are not the server's")
            if manifest.read_only and "payments" in self.tool_scopes(tool):
                raise ValueError(f"tool {tool}: a tool with payments is never read-only")
        return self

    def tool_scopes(self, tool: str) -> frozenset[str]:
        """The scopes the gate judges a call to ``tool`` by."""
        listed = self.tools.get(tool)
        if listed is None or listed.scopes is None:
            return frozenset(self.scopes)
        return frozenset(listed.scopes)

    def display(self) -> Bilingual:
        """The service's name as the occupant hears it."""
        if self.title is None:
            return Bilingual(self.name, self.name)
        return Bilingual(self.title.en, self.title.zh)


class AppsConfig(_Model):
    """Every configured server and how long discovering them all may take."""

    servers: tuple[ServerManifest, ...] = ()
    discovery_budget_s: float = Field(default=5.0, gt=0, le=120)
    """The most a server may take to connect and list its tools before it is left out."""

    @model_validator(mode="after")
    def _unique(self) -> AppsConfig:
        names = [s.name for s in self.servers]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"servers named twice: {twice}")
        fallbacks = [(s.name, t) for s in self.servers for t, m in s.tools.items() if m.fallback]
        if len(fallbacks) > 1:
            raise ValueError(f"only one tool may be the fallback, not {fallbacks}")
        return self

    def server(self, name: str) -> ServerManifest | None:
        return next((s for s in self.servers if s.name == name), None)


def parse_apps(raw: object, where: str) -> AppsConfig:
    """The configuration from already-parsed data (a mapping with ``servers``)."""
    try:
        return AppsConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'apps'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{where}: {problems}") from exc


def load_apps(path: Path) -> AppsConfig:
    """An apps file: YAML (``servers:`` at the top) or TOML (``[[mcp.servers]]`` or
    ``[[servers]]``), such as the ``[mcp]`` table of codriver's settings file."""
    try:
        text = path.read_text(encoding="utf-8")
        raw: Any = tomllib.loads(text) if path.suffix == ".toml" else load_yaml(text)
    except (OSError, tomllib.TOMLDecodeError, YAMLError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if isinstance(raw, dict) and isinstance(raw.get("mcp"), dict):
        raw = raw["mcp"]
    return parse_apps(raw or {}, str(path))


def token_from_env(manifest: ServerManifest) -> str | None:
    """The bearer token for an HTTP server, from the variable its manifest names."""
    if manifest.token_env is None:
        return None
    return os.environ.get(manifest.token_env) or None


def find_apps(path: Path | None = None) -> AppsConfig:
    """The apps file given, else the ``[mcp]`` table of codriver's settings file, else none."""
    if path is not None:
        return load_apps(path)
    from codriver.llm.settings import default_config_file

    settings = default_config_file()
    if not settings.is_file():
        return AppsConfig()
    try:
        has_apps = "mcp" in tomllib.loads(settings.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{settings}: {exc}") from exc
    return load_apps(settings) if has_apps else AppsConfig()
