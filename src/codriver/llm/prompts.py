"""The LLM's instructions (``data/prompts.yaml``) and what it is told about the car each turn."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from codriver.text import Bilingual
from codriver.tools.base import Tool
from codriver.vehicle.catalog import Value
from codriver.yamlfile import load_yaml


@dataclass(frozen=True, slots=True)
class Prompts:
    system: str
    turn: str
    agents: Mapping[str, str]
    structured: str
    tool_results: str
    unavailable: Bilingual
    confirm_tainted: Bilingual
    attributed: Bilingual
    state: tuple[str, ...]


@cache
def load_prompts() -> Prompts:
    raw: dict[str, Any] = load_yaml(
        resources.files("codriver.llm").joinpath("data/prompts.yaml").read_text(encoding="utf-8")
    )
    return Prompts(
        system=raw["system"],
        turn=raw["turn"],
        agents=raw["agents"],
        structured=raw["structured"],
        tool_results=raw["tool_results"],
        unavailable=Bilingual.from_mapping(raw["unavailable"], "prompts.yaml: unavailable"),
        confirm_tainted=Bilingual.from_mapping(raw["confirm_tainted"], "prompts.yaml"),
        attributed=Bilingual.from_mapping(raw["attributed"], "prompts.yaml: attributed"),
        state=tuple(raw["state"]),
    )


def state_summary(state: Mapping[str, Value | None], prefixes: Iterable[str]) -> str:
    """The signals the model should know, one ``path = value`` per line, unset ones left out."""
    wanted = tuple(prefixes)
    lines = [
        f"{path} = {json.dumps(value, ensure_ascii=False)}"
        for path, value in sorted(state.items())
        if value not in (None, "", []) and any(path.startswith(p) for p in wanted)
    ]
    return "\n".join(lines) or "(nothing reported)"


def openai_tools(tools: Iterable[Tool]) -> list[dict[str, Any]]:
    """The tools as the ``tools`` parameter of a chat completion (native function calling)."""
    return [
        {
            "type": "function",
            "function": {
                "name": t.name,
                "description": t.description,
                "parameters": t.parameters,
            },
        }
        for t in tools
    ]


def tool_lines(tools: Iterable[Tool]) -> str:
    """The tools for a prompt (structured mode), one compact line each: ``name(arg: type, …):
    what it does`` — short, since a small local model reads every token of it each turn."""
    return "\n".join(f"- {t.name}({_signature(t.parameters)}): {t.description}" for t in tools)


def _signature(schema: Mapping[str, Any]) -> str:
    required = set(schema.get("required", ()))
    parts = []
    for name, spec in schema.get("properties", {}).items():
        optional = "" if name in required else "?"
        parts.append(f"{name}{optional}: {_type(spec)}")
    return ", ".join(parts)


def _type(spec: Mapping[str, Any]) -> str:
    if "enum" in spec:
        return "|".join(str(v) for v in spec["enum"])
    if "anyOf" in spec:
        return "|".join(_type(s) for s in spec["anyOf"] if s.get("type") != "null")
    kind = str(spec.get("type", "any"))
    low, high = spec.get("minimum"), spec.get("maximum")
    if low is not None or high is not None:
        kind += f" {low if low is not None else ''}..{high if high is not None else ''}"
    return kind


def plan_format(tools: Iterable[Tool]) -> dict[str, Any]:
    """``response_format`` for structured mode: a reply and calls, each call's arguments held to
    its tool's own schema, so a grammar-constrained model cannot name a tool that does not exist."""
    options = [
        {
            "type": "object",
            "properties": {"tool": {"const": t.name}, "args": inline_refs(t.parameters)},
            "required": ["tool", "args"],
            "additionalProperties": False,
        }
        for t in tools
    ]
    schema = {
        "type": "object",
        "properties": {  # calls first: the model commits to actions before it talks
            "calls": {"type": "array", "items": {"anyOf": options}},
            "say": {"type": "string"},
        },
        "required": ["calls", "say"],
        "additionalProperties": False,
    }
    return {"type": "json_schema", "json_schema": {"name": "plan", "schema": schema}}


def inline_refs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema with every local ``$ref`` replaced by its ``$defs`` entry, so that it can be
    nested inside another schema (a grammar compiler resolves refs against the outer root)."""
    defs = schema.get("$defs", {})

    def walk(node: object) -> object:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    inlined = walk(schema)
    assert isinstance(inlined, dict)
    return inlined
