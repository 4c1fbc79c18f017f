"""What the assistant waits for an answer to, and how an answer is taken.

A confirmation the gate asked for or an offer is settled by a yes or a no; a choice only by an
answer that picks an option. "cancel" / "never mind" / "算了" calls either off; a new, unrelated
command drops the question and is carried out as itself; anything else asks again, so that
nothing pending is ever carried out on a word that was not an answer. These rules hold whatever
brain plans the turn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from codriver.assistant.executor import Caller
from codriver.assistant.plan import Plan, ToolCall
from codriver.assistant.reply import held_question, phrase
from codriver.assistant.result import ActionResult
from codriver.assistant.trace import TraceEntry
from codriver.text import Bilingual
from codriver.tools.base import Choice
from codriver.understanding.answers import (
    after_yes,
    answer_kind,
    pick,
    refers_back,
    starts_with_yes,
)


@dataclass(frozen=True, slots=True)
class Pending:
    """Calls waiting for the occupant's yes (a confirmation the gate asked for, or an offer), or
    the options of a question asked back."""

    calls: tuple[ToolCall, ...]
    caller: Caller
    question: Bilingual | None
    confirmed: bool = True
    """A yes confirms the held calls for the gate (False for offers: they are judged afresh)."""
    choices: tuple[Choice, ...] = ()


def pending_after(plan: Plan, actions: Sequence[ActionResult], caller: Caller) -> Pending | None:
    """What a turn leaves waiting: a choice asked back, actions held for a yes, or an offer."""
    asked = [a for a in actions if a.status == "asked"]
    choosing = [a for a in asked if a.choices]
    if choosing:
        return Pending((), caller, choosing[0].message, choices=choosing[0].choices)
    if asked:
        return Pending(tuple(a.call for a in asked), caller, held_question(asked))
    if plan.offer:
        return Pending(plan.offer, caller, plan.say, confirmed=False)
    return None


def answer_before_brain(text: str, pending: Pending) -> Plan | None:
    """A plain answer to what is pending, settled without the brain: the option picked, yes,
    no or cancel. None when the utterance is something else."""
    kind = answer_kind(text)
    if kind in ("no", "cancel"):
        return Plan("decline")
    if kind == "unclear":
        return _ask_again(pending)  # "行了吧": a yes or "enough"? asked again
    if pending.choices:
        chosen = pick(text, pending.choices)
        if chosen is not None:
            call = ToolCall(chosen.tool, dict(chosen.args))  # as whoever the question was for
            return Plan("act", (call,), source=pending.caller.source, grants=pending.caller.grants)
        return _ask_again(pending) if kind == "yes" else None
    return Plan("confirm") if kind == "yes" else None


def answer_after_brain(text: str, plan: Plan, pending: Pending) -> Plan:
    """The brain's plan for an utterance that was no plain answer: a new request is carried out
    (and the question dropped); for a choice, anything else asks again."""
    if not pending.choices:
        if plan.kind == "confirm" and pending.confirmed and not starts_with_yes(text):
            return _ask_again(pending)  # what the gate holds is released by a clear yes only
        return plan
    if plan.kind == "decline":
        return plan
    if plan.kind in ("confirm", "not_understood") or (plan.kind == "act" and not plan.calls):
        return _ask_again(pending)
    return plan


async def yes_and_nothing_else(
    text: str, plan: Plan, pending: Pending, plan_rest: Callable[[str], Awaitable[Plan]]
) -> Plan:
    """A yes followed by more words confirms what the gate holds only when the rest asks for
    that same action ("yes, unlock them", "好的，解锁吧"); a new request in the rest is carried out
    as itself and the question dropped ("嗯，导航去外滩"); anything else asks again."""
    if plan.kind != "confirm" or not pending.confirmed or pending.choices:
        return plan
    rest = after_yes(text)
    if not rest:
        return plan
    if answer_kind(rest) == "yes":
        return plan  # "yeah, go for it": a yes said twice
    if refers_back(rest):
        return _ask_again(pending)  # "do it again": which action that is, it does not say
    rest_plan = await plan_rest(rest)
    if rest_plan.kind != "act" or not rest_plan.calls:
        return _ask_again(pending)  # "yes, close it", "do it again": not plainly this yes
    held = {call.name for call in pending.calls}
    if all(call in pending.calls for call in rest_plan.calls):
        if rest_plan.confidence < 1.0:
            return _ask_again(pending)  # "对，姐姐锁吧": a word guessed is no clear yes
        return plan  # the very calls held: "yes, unlock them"
    if any(call.name in held for call in rest_plan.calls):
        return _ask_again(pending)  # the same tool asked otherwise: which is it?
    return rest_plan


ASKED_AGAIN = TraceEntry("dialogue", "ask_again", {}, "asked", 0.0)
"""The trace note of a plan that asks the pending question again (and so keeps it pending)."""


def asks_again(plan: Plan) -> bool:
    return plan.kind == "ask" and ASKED_AGAIN in plan.notes


def _ask_again(pending: Pending) -> Plan:
    question = pending.question or Bilingual("", "")
    key = "ask_again_choice" if pending.choices else "ask_again_confirm"
    return Plan("ask", say=phrase(key, question=question), notes=(ASKED_AGAIN,))
