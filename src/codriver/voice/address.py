"""Is an utterance heard in the follow-up window said to the car?

After a reply the loop listens for a while without the wake word, so that "a bit more" or
"再高一点" needs no name. Occupants talk among themselves in that window too. The assistant is
asked what it makes of the utterance, without effects (:meth:`Assistant.say` with ``accept``),
and the plan is taken only if it continues the conversation:

- it answers the question the car asked (a yes, a no, an option), or
- it would act on, or ask about, the same kind of device as the turn before (the same tool
  domain: more seat heat, the passenger side too, close the window again), or undo that turn, or
- it is a question the car can answer from what it knows (questions never act).

What is read as said about something else (chitchat, someone else's car), what the assistant
does not understand, and a new topic are not for the car: to change the subject, call it by name.
Rules of the rule (which sentence kinds and tool domains) are data: ``data/follow_up.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from codriver.assistant.plan import Plan, ToolCall, TurnContext
from codriver.tools.base import ToolBox
from codriver.yamlfile import read_yaml


@dataclass(frozen=True, slots=True)
class FollowUpRules:
    not_to_the_car: frozenset[str]
    about_the_last_turn: frozenset[str]


@cache
def follow_up_rules() -> FollowUpRules:
    data = read_yaml("codriver.voice", "data/follow_up.yaml")
    return FollowUpRules(frozenset(data["not_to_the_car"]), frozenset(data["about_the_last_turn"]))


def addressed(plan: Plan, context: TurnContext) -> bool:
    """Whether a plan for an utterance heard in the follow-up window is for the car."""
    rules = follow_up_rules()
    if plan.kind in ("confirm", "decline"):
        return context.pending_question is not None
    if not plan.calls or plan.sentence in rules.not_to_the_car:
        return False
    if plan.sentence == "question":
        return True
    domains = _domains(plan.calls, context.tools)
    if domains & rules.about_the_last_turn:
        return True
    last = context.history[-1].plan if context.history else None
    topic = _domains((*last.calls, *last.offer), context.tools) if last is not None else set()
    return bool(domains & topic)


def _domains(calls: tuple[ToolCall, ...], tools: ToolBox) -> set[str]:
    found = (tools.get(call.name) for call in calls)
    return {tool.domain for tool in found if tool is not None}
