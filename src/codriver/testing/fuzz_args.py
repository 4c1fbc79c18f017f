"""Tool calls as an adversarial LLM, app or remote client would make them: a tool (most often a
risky one) and arguments drawn from the tool's own JSON schema, with extreme numbers, injected
text, unknown signal paths and rules that carry risky actions."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from typing import Any

from codriver.testing.fuzz_phrases import phrases
from codriver.tools.base import ToolBox

_NUMBERS: tuple[float, ...] = (0, 1, -1, 16, 22, 30, 31, 45, 50, 100, 101, -100, 1e6, -1e6, 1e12)


def tool_call(rng: random.Random, tools: ToolBox) -> tuple[str, str]:
    """A tool name and its arguments as JSON text."""
    words = phrases()
    roll = rng.random()
    if roll < 0.45:
        name, args = rng.choice(words.risky_calls)
        return name, _dumps(args)
    if roll < 0.55:
        return "restore_signals", _dumps({"values": _risky_writes(rng)})
    if roll < 0.65:
        return "create_rule", _dumps(_rule(rng))
    if roll < 0.68:
        return rng.choice(("unlock_everything", "set_door_lock ", "")), "{}"
    tool = rng.choice(list(tools))
    schema = tool.parameters
    return tool.name, _dumps(value(rng, schema, schema.get("$defs", {})))


def value(rng: random.Random, schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Any:
    """A value that fits ``schema`` (mostly: extremes may still be out of the tool's range)."""
    if "$ref" in schema:
        return value(rng, defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        return value(rng, rng.choice(schema["anyOf"]), defs)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        return _object(rng, schema, defs)
    if kind == "array":
        return [value(rng, schema.get("items", {}), defs) for _ in range(rng.randint(0, 3))]
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "integer":
        return int(rng.choice(_NUMBERS)) if rng.random() < 0.7 else rng.randint(-200, 200)
    if kind == "number":
        return rng.choice(_NUMBERS) if rng.random() < 0.7 else round(rng.uniform(-50, 150), 2)
    if kind == "null":
        return None
    return rng.choice(phrases().strings)


def _object(rng: random.Random, schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Any:
    props: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    out = {
        name: value(rng, sub, defs)
        for name, sub in props.items()
        if name in required or rng.random() < 0.6
    }
    extra = schema.get("additionalProperties")
    if not props and isinstance(extra, dict):
        return _risky_writes(rng)
    if not props and extra is True:
        return dict(rng.choice(phrases().risky_calls)[1])
    return out


def _risky_writes(rng: random.Random) -> dict[str, Any]:
    writes = list(phrases().risky_writes.items())
    return dict(rng.sample(writes, rng.randint(1, 3)))


def _rule(rng: random.Random) -> dict[str, Any]:
    calls = phrases().risky_calls
    actions = [{"tool": t, "args": dict(a)} for t, a in rng.sample(calls, rng.randint(1, 2))]
    trigger = rng.choice(("rain", "dark", "speed_over", "battery_below", "outside_below"))
    rule: dict[str, Any] = {"trigger": trigger, "text": rng.choice(phrases().strings)}
    rule["actions"] = actions
    if trigger in ("speed_over", "battery_below", "outside_below"):
        rule["value"] = rng.choice((0, 5, 20, 30, 80))
    return rule


def _dumps(args: object) -> str:
    return json.dumps(args, ensure_ascii=False)
