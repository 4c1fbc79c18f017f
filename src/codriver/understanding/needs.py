"""Vague needs ("I'm freezing", "太闷了") to concrete actions, chosen by the car's state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from codriver.assistant.plan import ToolCall
from codriver.errors import ConfigError
from codriver.safety.conditions import Condition
from codriver.text import Bilingual
from codriver.vehicle.catalog import Value
from codriver.vehicle.seats import Seat
from codriver.yamlfile import load_yaml

SPEAKER_ARGS = ("zone", "window", "seat")


@dataclass(frozen=True, slots=True)
class Remedy:
    when: tuple[tuple[str, Condition], ...]
    calls: tuple[ToolCall, ...]
    say: Bilingual | None = None
    speakers: tuple[str, ...] = ()
    offer: tuple[ToolCall, ...] = ()


@cache
def load_needs() -> dict[str, tuple[Remedy, ...]]:
    text = resources.files("codriver.understanding").joinpath("data/needs.yaml").read_text("utf-8")
    raw: dict[str, Any] = load_yaml(text)
    needs = {}
    for need, options in raw.items():
        try:
            needs[need] = tuple(_remedy(o, f"needs.yaml: {need}") for o in options)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"needs.yaml: {need}: {exc}") from exc
    return needs


def _remedy(raw: dict[str, Any], where: str) -> Remedy:
    when = tuple((k, Condition.parse(v, where)) for k, v in (raw.get("when") or {}).items())
    calls = tuple(ToolCall(c["tool"], dict(c.get("args") or {})) for c in raw["do"])
    say = Bilingual.from_mapping(raw["say"], where) if "say" in raw else None
    offer = tuple(ToolCall(c["tool"], dict(c.get("args") or {})) for c in raw.get("offer", []))
    return Remedy(when, calls, say, tuple(raw.get("speaker", ())), offer)


def remedy_for(
    need: str, state: Mapping[str, Value | None], speaker: Seat, lang: str = "en"
) -> tuple[list[ToolCall], Bilingual | None, tuple[ToolCall, ...]]:
    """The calls (speaker filled in), words and offer (on a yes) for ``need`` in this state."""
    for option in load_needs().get(need, ()):
        if option.speakers and speaker not in option.speakers:
            continue
        if all(cond.holds(state.get(path)) for path, cond in option.when):
            calls = [
                ToolCall(
                    c.name,
                    {
                        k: speaker if v == "speaker" and k in SPEAKER_ARGS else v
                        for k, v in c.args.items()
                    },
                )
                for c in option.calls
            ]
            offer = tuple(
                ToolCall(
                    c.name, {k: v[lang] if isinstance(v, dict) else v for k, v in c.args.items()}
                )
                for c in option.offer
            )
            return calls, option.say, offer
    return [], None, ()
