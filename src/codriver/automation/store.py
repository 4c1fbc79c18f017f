"""Automations: rules over signals ("if it rains, close the windows"), reminders and timers.

Rules fire on the rising edge of their condition (it starts raining), as often as it rises, until
cancelled. Reminders and timers run on the simulated clock. What is pending is published to the
cockpit state (`Cockpit.Rules`, `Cockpit.Reminders`, `Cockpit.Timers`); what fires is queued for
the assistant, which carries rule actions out through the safety gate like any other action.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from codriver.assistant.cockpit import CockpitState
from codriver.assistant.plan import ToolCall
from codriver.safety.conditions import Condition
from codriver.text import Bilingual, Lang
from codriver.vehicle.catalog import Value
from codriver.vehicle.clock import SimClock, TimerHandle
from codriver.vehicle.seats import Seat
from codriver.yamlfile import load_yaml

Kind = Literal["rule", "reminder", "timer"]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A condition on one signal."""

    id: str
    signal: str
    condition: Condition
    text: Bilingual

    def holds(self, state: Mapping[str, Value | None]) -> bool:
        return self.condition.holds(state.get(self.signal))


@dataclass
class Rule:
    id: int
    text: str
    trigger: Trigger
    calls: tuple[ToolCall, ...]
    speaker: Seat
    lang: Lang
    warning: Bilingual | None = None
    active: bool = False


@dataclass
class Scheduled:
    id: int
    kind: Literal["reminder", "timer"]
    text: str
    handle: TimerHandle | None = None


@dataclass(frozen=True, slots=True)
class Firing:
    """Something that came due: a rule to carry out, or words to say."""

    rule: Rule | None = None
    say: Bilingual | None = None


@dataclass
class Automations:
    clock: SimClock
    cockpit: CockpitState
    rules: list[Rule] = field(default_factory=list)
    scheduled: list[Scheduled] = field(default_factory=list)
    fired: list[Firing] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add_rule(
        self,
        trigger: str,
        value: float | None,
        calls: Sequence[ToolCall | tuple[str, Mapping[str, object]]],
        text: str,
        state: Mapping[str, Value | None],
        speaker: Seat = "driver",
        lang: Lang = "en",
        warning: Bilingual | None = None,
    ) -> Rule:
        planned = tuple(c if isinstance(c, ToolCall) else ToolCall(c[0], dict(c[1])) for c in calls)
        rule = Rule(
            next(self._ids), text, make_trigger(trigger, value), planned, speaker, lang, warning
        )
        rule.active = rule.trigger.holds(state)  # "if it starts raining": not while it already is
        self.rules.append(rule)
        self._publish()
        return rule

    def add_later(self, kind: Literal["reminder", "timer"], text: str, seconds: float) -> None:
        item = Scheduled(next(self._ids), kind, text)
        item.handle = self.clock.call_later(seconds, lambda: self._due(item))
        self.scheduled.append(item)
        self._publish()

    def cancel(self, kind: Kind | None = None) -> str | None:
        """Cancel the newest automation of ``kind`` (any kind when None); its text, or None."""
        newest: list[tuple[int, Rule | Scheduled]] = [
            (r.id, r) for r in self.rules if kind in (None, "rule")
        ] + [(s.id, s) for s in self.scheduled if kind in (None, s.kind)]
        if not newest:
            return None
        _, item = max(newest, key=lambda pair: pair[0])
        if isinstance(item, Rule):
            self.rules.remove(item)
        else:
            if item.handle is not None:
                item.handle.cancel()
            self.scheduled.remove(item)
        self._publish()
        return item.text

    def check(self, state: Mapping[str, Value | None]) -> None:
        """Queue every rule whose condition has just become true."""
        for rule in self.rules:
            holds = rule.trigger.holds(state)
            if holds and not rule.active:
                self.fired.append(Firing(rule=rule, say=rule.warning))
            rule.active = holds

    def drain(self) -> list[Firing]:
        fired, self.fired = self.fired, []
        return fired

    def _due(self, item: Scheduled) -> None:
        if item in self.scheduled:
            self.scheduled.remove(item)
            self._publish()
            key = "reminder" if item.kind == "reminder" else "timer"
            self.fired.append(Firing(say=_PHRASES[key].format(text=item.text)))

    def _publish(self) -> None:
        self.cockpit.set("Cockpit.Rules", [r.text for r in self.rules])
        self.cockpit.set(
            "Cockpit.Reminders", [s.text for s in self.scheduled if s.kind == "reminder"]
        )
        self.cockpit.set("Cockpit.Timers", [s.text for s in self.scheduled if s.kind == "timer"])


_PHRASES = {
    "reminder": Bilingual("Reminder: {text}", "提醒您：{text}"),
    "timer": Bilingual("Time's up: {text} timer", "时间到了：{text}计时结束"),
}


@cache
def _triggers() -> dict[str, dict[str, Any]]:
    res = resources.files("codriver.automation").joinpath("data/triggers.yaml")
    raw: dict[str, dict[str, Any]] = load_yaml(res.read_text(encoding="utf-8"))
    return raw


def trigger_ids() -> list[str]:
    return sorted(_triggers())


def make_trigger(trigger: str, value: float | None) -> Trigger:
    spec = _triggers()[trigger]
    threshold = spec["value"] if value is None else value
    shown = int(threshold) if float(threshold).is_integer() else threshold
    return Trigger(
        trigger,
        spec["signal"],
        Condition.parse({spec["op"]: threshold}, f"trigger {trigger}"),
        Bilingual.from_mapping(spec["text"], trigger).format(value=shown),
    )
