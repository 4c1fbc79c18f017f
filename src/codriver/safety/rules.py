"""Declarative safety rules, loaded from YAML (see ``data/rules.yaml`` for the format)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path
from typing import Any, get_args

from codriver.errors import ConfigError
from codriver.safety.action import ProposedAction, Source
from codriver.safety.conditions import Condition
from codriver.safety.motion import Motion, motion
from codriver.text import Bilingual
from codriver.vehicle.catalog import Value
from codriver.vehicle.seats import SEATS
from codriver.yamlfile import YAMLError, load_yaml

_KEYS = {
    "id", "decision", "motion", "when", "writes", "tools", "args", "speaker", "sources", "scopes",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: the action it matches and what the gate decides then."""

    id: str
    decision: str
    reason: Bilingual
    motion: Motion | None = None
    """``moving``: the car is not known to be parked (see :mod:`codriver.safety.motion`)."""
    when: tuple[tuple[str, Condition], ...] = ()
    writes: tuple[tuple[str, Condition], ...] = ()
    tools: tuple[str, ...] = ()
    args: tuple[tuple[str, Condition], ...] = ()
    speaker: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()

    def matches(
        self,
        action: ProposedAction,
        state: Mapping[str, Value | None],
        moving: Motion | None = None,
    ) -> bool:
        """Whether the rule applies; ``moving`` is ``motion(state)`` when the caller has it."""
        if self.motion is not None and (moving or motion(state)) != self.motion:
            return False
        if not all(cond.holds(state.get(path)) for path, cond in self.when):
            return False
        if not self.may_match(action.tool):
            return False
        if self.args and not all(
            name in action.args and cond.holds(action.args[name]) for name, cond in self.args
        ):
            return False
        if self.speaker and action.speaker not in self.speaker:
            return False
        if self.sources and action.source not in self.sources:
            return False
        if self.scopes and not action.scopes.intersection(self.scopes):
            return False
        if self.writes:
            return any(
                fnmatchcase(write.path, glob) and cond.holds(write.value)
                for write in action.effects
                for glob, cond in self.writes
            )
        return True

    def may_match(self, tool: str) -> bool:
        """Whether the rule can apply to a call of ``tool`` at all."""
        return not self.tools or any(fnmatchcase(tool, glob) for glob in self.tools)


def load_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The shipped rules, or a rules file in the same format."""
    where = str(path or "codriver/safety/data/rules.yaml")
    try:
        if path is None:
            text = resources.files("codriver.safety").joinpath("data/rules.yaml").read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        raw = load_yaml(text)
        return tuple(_rule(item, where) for item in raw["rules"])
    except (OSError, YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"bad safety rules in {where}: {exc}") from exc


def _rule(raw: dict[str, Any], where: str) -> Rule:
    rid = str(raw["id"])
    here = f"{where}, rule {rid}"
    unknown = set(raw) - _KEYS - {"reason"}
    if unknown:
        raise ValueError(f"{here}: unknown keys {sorted(unknown)}")
    if raw["decision"] not in ("refuse", "confirm"):
        raise ValueError(f"{here}: decision must be refuse or confirm")
    if not any(raw.get(k) for k in ("motion", "when", "writes", "tools", "sources", "scopes")):
        raise ValueError(f"{here}: a rule must say what it matches")
    bad_seats = set(raw.get("speaker", ())) - set(SEATS)
    bad_sources = set(raw.get("sources", ())) - set(get_args(Source))
    if bad_seats or bad_sources:
        raise ValueError(f"{here}: unknown speaker or source {sorted(bad_seats | bad_sources)}")
    if raw.get("motion") not in (None, "parked", "moving"):
        raise ValueError(f"{here}: motion must be parked or moving")
    return Rule(
        id=rid,
        decision=raw["decision"],
        reason=Bilingual.from_mapping(raw["reason"], here),
        motion=raw.get("motion"),
        when=_conditions(raw.get("when"), here),
        writes=_conditions(raw.get("writes"), here),
        tools=tuple(raw.get("tools", ())),
        args=_conditions(raw.get("args"), here),
        speaker=tuple(raw.get("speaker", ())),
        sources=tuple(raw.get("sources", ())),
        scopes=tuple(raw.get("scopes", ())),
    )


def _conditions(raw: Mapping[str, object] | None, where: str) -> tuple[tuple[str, Condition], ...]:
    return tuple((str(k), Condition.parse(v, f"{where}, {k}")) for k, v in (raw or {}).items())
