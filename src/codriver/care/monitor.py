"""Proactive care: noticing what the occupants did not ask about, and offering help."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from codriver.assistant.plan import ToolCall
from codriver.care.derived import DERIVED
from codriver.errors import ConfigError
from codriver.safety.conditions import Condition
from codriver.text import Bilingual, Lang
from codriver.vehicle.catalog import Value
from codriver.yamlfile import load_yaml

State = Mapping[str, Value | None]


@dataclass(frozen=True, slots=True)
class CareItem:
    id: str
    when: tuple[tuple[str, Condition], ...]
    say: Bilingual
    offer: tuple[tuple[str, Mapping[str, Any]], ...]
    cooldown_s: float

    def holds(self, state: State) -> bool:
        return all(
            cond.holds(DERIVED[key](state) if key in DERIVED else state.get(key))
            for key, cond in self.when
        )

    def calls(self, lang: Lang) -> tuple[ToolCall, ...]:
        return tuple(
            ToolCall(tool, {k: v[lang] if isinstance(v, dict) else v for k, v in args.items()})
            for tool, args in self.offer
        )


@dataclass(frozen=True, slots=True)
class Notice:
    item: CareItem
    say: Bilingual
    offer: tuple[ToolCall, ...]


@dataclass
class CareMonitor:
    """Fires each care item when its conditions become true, respecting its cooldown."""

    items: tuple[CareItem, ...] = field(default_factory=lambda: _load())
    _active: dict[str, bool] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def prime(self, state: State) -> None:
        """Take the starting state as known: nothing in it is news."""
        self._active = {item.id: item.holds(state) for item in self.items}

    def check(self, state: State, now: float, lang: Lang) -> list[Notice]:
        notices = []
        for item in self.items:
            holds = item.holds(state)
            rising = holds and not self._active.get(item.id, False)
            self._active[item.id] = holds
            recent = now - self._last.get(item.id, float("-inf")) < item.cooldown_s
            if rising and not recent:
                self._last[item.id] = now
                notices.append(Notice(item, item.say, item.calls(lang)))
        return notices


def _load() -> tuple[CareItem, ...]:
    return load_care()


@cache
def load_care() -> tuple[CareItem, ...]:
    res = resources.files("codriver.care").joinpath("data/care.yaml")
    raw: dict[str, Any] = load_yaml(res.read_text(encoding="utf-8"))
    items = []
    for name, spec in raw.items():
        where = f"care.yaml: {name}"
        try:
            items.append(
                CareItem(
                    name,
                    tuple((k, Condition.parse(v, where)) for k, v in spec["when"].items()),
                    Bilingual.from_mapping(spec["say"], where),
                    tuple((c["tool"], dict(c.get("args") or {})) for c in spec.get("offer", [])),
                    float(spec.get("cooldown_s", 600)),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: {exc}") from exc
    return tuple(items)
