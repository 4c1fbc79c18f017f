"""The safety gate: one place every action passes before it reaches the car.

Whoever proposed the action (the on-device engine, an LLM, a plugin, an automation), the gate checks
its writes against the vehicle catalog (known signal, writable, right type, in range) and then the
declarative rules. The outcome is a :class:`Verdict` value, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from codriver.safety.action import ALLOW, ProposedAction, Verdict, Write
from codriver.safety.grants import check_grants
from codriver.safety.motion import motion
from codriver.safety.rules import Rule, load_rules
from codriver.text import Bilingual
from codriver.vehicle.catalog import Catalog, Rejection, Value
from codriver.vehicle.cockpit_paths import COCKPIT, check_cockpit

__all__ = ["COCKPIT", "SafetyPolicy"]
MAX_TOOLS = 4096
"""Tools whose rules are kept worked out (the toolbox has far fewer; a bound all the same)."""
_UNITS_ZH = {"Celsius": "摄氏度", "percent": "%", "km/h": "公里/小时", "m": "米"}


class SafetyPolicy:
    """Judges proposed actions against the catalog and the rules."""

    def __init__(self, catalog: Catalog, rules: tuple[Rule, ...] | None = None) -> None:
        self.catalog = catalog
        self.rules = load_rules() if rules is None else rules
        self._indexed: tuple[Rule, ...] = ()
        self._by_tool: dict[str, tuple[Rule, ...]] = {}

    @classmethod
    def from_file(cls, catalog: Catalog, path: Path) -> SafetyPolicy:
        return cls(catalog, load_rules(path))

    def check(self, action: ProposedAction, state: Mapping[str, Value | None]) -> Verdict:
        """Allow, refuse (with the reason to speak) or ask for confirmation."""
        verdict = check_grants(action)
        if verdict is not None:
            return verdict
        for write in action.writes:
            verdict = self._check_value(write, action.source, command=True)
            if verdict is not None:
                return verdict
        for write in action.consequences:
            verdict = self._check_value(write, action.source, command=False)
            if verdict is not None:
                return verdict
        moving = motion(state)
        matching = [r for r in self._rules_for(action.tool) if r.matches(action, state, moving)]
        for rule in matching:
            if rule.decision == "refuse":
                return Verdict("refuse", rule.id, rule.reason)
        if not action.confirmed:
            for rule in matching:
                return Verdict("confirm", rule.id, rule.reason)
            if action.question is not None:
                return Verdict("confirm", "confirm-asked-by-tool", action.question)
        return ALLOW

    def _rules_for(self, tool: str) -> tuple[Rule, ...]:
        """The rules that can apply to ``tool``, in order: worked out once per tool, as the
        rules do not change (a new tuple assigned to ``rules`` starts afresh)."""
        if self._indexed is not self.rules or len(self._by_tool) > MAX_TOOLS:
            self._indexed, self._by_tool = self.rules, {}
        found = self._by_tool.get(tool)
        if found is None:
            found = self._by_tool[tool] = tuple(r for r in self.rules if r.may_match(tool))
        return found

    def _check_value(self, write: Write, source: str, *, command: bool) -> Verdict | None:
        """A write (``command``) or a consequence against the catalog: known, typed, in range."""
        if source == "plugin":
            return Verdict("refuse", "plugin-writes-nothing-directly", _PLUGIN_WRITE)
        if write.path.startswith(COCKPIT):
            checked: Value | Rejection | None = check_cockpit(write.path, write.value)
        else:
            checked = self.catalog.validate(write.path, write.value, write=command)
        if not isinstance(checked, Rejection):
            return None
        if not command and checked.code == "read_only":
            return None
        if checked.code in ("out_of_range", "not_allowed") and checked.accepted:
            return Verdict("refuse", f"range:{write.path}", self._range_reason(write, checked))
        return Verdict(
            "refuse",
            f"{checked.code}:{write.path}",
            Bilingual(f"I can't do that: {checked.message}.", f"无法执行：{checked.message}。"),
        )

    def _range_reason(self, write: Write, rejection: Rejection) -> Bilingual:
        accepted = rejection.accepted or ""
        accepted_zh = accepted
        for unit, zh in _UNITS_ZH.items():
            accepted_zh = accepted_zh.replace(f" {unit}", zh)
        value = _show(write.value)
        return Bilingual(
            f"{value} is out of range: I can set {accepted}.",
            f"{value}超出范围，可设置的范围是{accepted_zh}。",
        )


_PLUGIN_WRITE = Bilingual(
    "A third-party service can't control the car directly.",
    "第三方服务不能直接控制车辆。",
)


def _show(value: Value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
