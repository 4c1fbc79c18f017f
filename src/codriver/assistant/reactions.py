"""What the assistant does by itself when the world changes: fired rules, due reminders and
timers, and proactive care."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from codriver.assistant.executor import Executor
from codriver.assistant.plan import ToolCall
from codriver.assistant.result import ActionResult
from codriver.text import Bilingual, Lang

if TYPE_CHECKING:
    from codriver.automation import Rule


@dataclass
class Reaction:
    actions: list[ActionResult] = field(default_factory=list)
    says: list[Bilingual] = field(default_factory=list)
    offer: tuple[ToolCall, ...] = ()
    question: Bilingual | None = None


class Reactor:
    """Runs fired automations through the executor and gathers care notices."""

    def __init__(self, executor: Executor, automations: object, care: object) -> None:
        from codriver.automation import Automations
        from codriver.care import CareMonitor

        assert isinstance(automations, Automations) and isinstance(care, CareMonitor)
        self.executor = executor
        self.automations = automations
        self.care = care

    async def react(self, now: float, lang: Lang) -> Reaction:
        reaction = Reaction()
        state = await self.executor.state()
        self.automations.check(state)
        for firing in self.automations.drain():
            if firing.rule is not None and firing.rule.calls:
                reaction.actions.extend(await self._fire(firing.rule))
            if firing.say is not None:
                reaction.says.append(firing.say)
        state = await self.executor.state()
        for notice in self.care.check(state, now, lang):
            reaction.says.append(notice.say)
            if notice.offer and not reaction.offer:
                reaction.offer, reaction.question = notice.offer, notice.say
        return reaction

    async def _fire(self, rule: Rule) -> list[ActionResult]:
        """Carry a rule's actions out as its creator's, through the gate. Where the gate asks for
        a yes the occupant already gave when setting the rule (the question spelled the action
        out), that yes counts; for any other, the action is not done and the reply says why."""
        from codriver.automation import PHRASES, describe

        caller = replace(rule.origin, automation=rule.text)
        results = []
        for call in rule.calls:
            [result] = await self.executor.run([call], caller)
            rule_id = result.verdict.rule if result.verdict else None
            if result.status == "asked" and rule_id is not None and rule_id in rule.covers:
                [result] = await self.executor.run([call], caller, confirmed=True)
            elif result.status == "asked":  # nobody was asked: not done, and said so
                said = PHRASES.get("rule.needs_yes", rule=rule.text, action=describe(call))
                result = replace(result, status="refused", message=said)
            results.append(result)
        return results
