"""Who a rule acts for, and how far automations grow: a rule is judged as its creator's when it is
made and whenever it fires; risky actions need the occupant's yes, spelled out; caps, duplicates,
and many items due at once summed up."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

from codriver.assistant.executor import Caller
from codriver.assistant.plan import Plan, ToolCall
from codriver.assistant.result import TurnResult
from codriver.assistant.session import Assistant
from codriver.automation import describe
from codriver.automation.vetting import described
from codriver.safety import SafetyPolicy
from codriver.testing import ScriptedBrain, SimulatedCar, offline_assistant
from codriver.tools import default_toolbox

T = TypeVar("T")
RAIN = "Vehicle.Body.Raindetection.Intensity"
LOCKS = [
    f"Vehicle.Cabin.Door.Row{r}.{s}Side.IsLocked" for r in (1, 2) for s in ("Driver", "Passenger")
]
LOCKED = dict.fromkeys(LOCKS, True)
UNLOCK = {"tool": "set_door_lock", "args": {"locked": False}}
DIAL = {"tool": "call_contact", "args": {"contact": "10086"}}
CLOSE = {"tool": "set_window", "args": {"position": 0, "window": "all"}}


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def rule(actions: list[dict[str, object]], trigger: str = "rain", **extra: object) -> ToolCall:
    args = {"trigger": trigger, "text": f"when {trigger}", "actions": actions, **extra}
    return ToolCall("create_rule", args)


def locks(assistant: Assistant) -> list[object]:
    return [run(assistant.read(path)) for path in LOCKS]


# -- a rule acts as its creator -------------------------------------------------------------


NO_LLM_UNLOCKING = """\
    rules:
      - id: no-llm-unlocking
        decision: refuse
        sources: [llm]
        writes: {"Vehicle.Cabin.Door.*.IsLocked": false}
        reason: {en: "An LLM may not unlock.", zh: "大模型不能解锁。"}
"""


def strict_car(tmp_path: Path, plans: list[Plan]) -> Assistant:
    """A car whose gate refuses unlocking proposed by an LLM (and only by one)."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(textwrap.dedent(NO_LLM_UNLOCKING), encoding="utf-8")
    car = SimulatedCar(values=LOCKED)
    policy = SafetyPolicy.from_file(car.catalog, rules)
    return Assistant(bus=car, clock=car.clock, policy=policy, brain=ScriptedBrain(plans))


def test_a_rule_an_llm_proposes_is_judged_as_the_llms(tmp_path: Path) -> None:
    proposed = Plan("act", (rule([UNLOCK]),), source="llm")
    assistant = strict_car(tmp_path, [proposed])
    turn = run(assistant.say("when it rains, unlock the doors"))
    assert turn.outcome == "refused"
    assert turn.actions[0].verdict is not None
    assert turn.actions[0].verdict.rule == "no-llm-unlocking"
    assert "An LLM may not unlock." in turn.reply
    assert run(assistant.read("Cockpit.Rules")) == []


def test_a_stored_rule_fires_as_its_creator(tmp_path: Path) -> None:
    assistant = strict_car(tmp_path, [])
    state = run(assistant.executor.state())
    unlock = (ToolCall("set_door_lock", {"locked": False}),)
    made_by_llm = Caller("driver", "en", source="llm")
    assistant.automations.add_rule("rain", None, unlock, "when it rains", state, origin=made_by_llm)
    fired = run(assistant.feed({RAIN: 50}))
    assert [(a.status, a.verdict and a.verdict.rule) for a in fired.actions] == [
        ("refused", "no-llm-unlocking")
    ]
    assert locks(assistant) == [True] * 4
    assistant.automations.add_rule("rain", None, unlock, "when it rains", state, origin=Caller())
    run(assistant.feed({RAIN: 0}))
    run(assistant.feed({RAIN: 50}))
    assert locks(assistant) == [False] * 4


def test_the_rule_keeps_its_creators_seat_source_grants_and_taint() -> None:
    assistant = offline_assistant()
    creator = Caller("rear_left", "zh", gaze="Vehicle.Cabin", source="llm", tainted=True)
    run(assistant.executor.run([rule([CLOSE])], creator, confirmed=True))
    [kept] = assistant.automations.rules
    assert kept.origin == Caller("rear_left", "zh", source="llm", tainted=True)


# -- risky actions need the occupant's yes, with the actions spelled out ----------------------


@pytest.mark.parametrize(
    ("said", "question"),
    [
        (
            "when it rains, unlock the doors and call 10086",
            "When it rains, unlock the doors and call 10086 — set this rule?",
        ),
        ("下雨的时候解锁车门并拨打10086", "下雨时解锁车门并拨打10086——要设置这条规则吗？"),
    ],
    ids=["en", "zh"],
)
def test_a_risky_rule_is_set_only_after_a_yes_to_its_actions(said: str, question: str) -> None:
    assistant = offline_assistant(LOCKED)
    asked = run(assistant.say(said))
    assert asked.outcome == "asked"
    assert asked.reply == question
    assert run(assistant.read("Cockpit.Rules")) == []
    assert run(assistant.feed({RAIN: 40})).outcome == "none"
    run(assistant.feed({RAIN: 0}))
    assert run(assistant.say("yes" if said.isascii() else "好的")).outcome == "done"
    assert run(assistant.read("Cockpit.Rules")) == [said]
    run(assistant.feed({RAIN: 40}))
    assert locks(assistant) == [False] * 4
    assert run(assistant.read("Cockpit.Phone.Call")) == "10086"


@pytest.mark.parametrize("no", ["no", "不用了"])
def test_no_to_a_risky_rule_sets_nothing(no: str) -> None:
    said = "when it rains, unlock the doors" if no == "no" else "下雨的时候解锁车门并拨打10086"
    assistant = offline_assistant(LOCKED)
    assert run(assistant.say(said)).outcome == "asked"
    run(assistant.say(no))
    assert run(assistant.read("Cockpit.Rules")) == []
    run(assistant.feed({RAIN: 40}))
    assert locks(assistant) == [True] * 4


def test_a_harmless_rule_needs_no_yes_but_a_tainted_creator_always_asks() -> None:
    assistant = offline_assistant()
    plain = run(assistant.executor.run([rule([CLOSE])], Caller()))
    assert [a.status for a in plain] == ["done"]
    tainted = run(assistant.executor.run([rule([CLOSE], "dark")], Caller(tainted=True)))
    assert [a.status for a in tainted] == ["asked"]
    assert tainted[0].message is not None
    assert tainted[0].message.en == "When it gets dark, close the windows — set this rule?"


def test_a_yes_given_when_setting_covers_the_gates_question_when_it_fires() -> None:
    """Set while moving, the gate's own question (unlocking while moving) was part of the yes;
    set while parked, it was not, and the rule cannot unlock while moving."""
    speed = "Vehicle.Speed"
    unlock_fast = rule([UNLOCK], "speed_over", value=30)
    moving = offline_assistant({**LOCKED, speed: 40})
    asked = run(moving.executor.run([unlock_fast], Caller()))
    assert asked[0].status == "asked"
    run(moving.executor.run([unlock_fast], Caller(), confirmed=True))
    run(moving.feed({speed: 0}))
    fired = run(moving.feed({speed: 50}))
    assert fired.outcome == "done"
    assert locks(moving) == [False] * 4

    parked = offline_assistant(LOCKED)
    run(parked.executor.run([unlock_fast], Caller(), confirmed=True))
    fired = run(parked.feed({speed: 50}))
    assert [a.verdict and a.verdict.rule for a in fired.actions] == ["confirm-unlock-while-moving"]
    assert fired.outcome == "refused"  # nobody is there to say yes: not done, and said so
    assert locks(parked) == [True] * 4


def test_a_rule_cannot_hold_another_rule_or_an_unknown_tool() -> None:
    assistant = offline_assistant()
    nested = run(assistant.executor.run([rule([{"tool": "create_rule", "args": {}}])], Caller()))
    unknown = run(assistant.executor.run([rule([{"tool": "fly", "args": {}}])], Caller()))
    assert [nested[0].status, unknown[0].status] == ["failed", "failed"]
    assert assistant.automations.rules == []


def test_every_tool_is_spelled_out_in_both_languages() -> None:
    assert {t.name for t in default_toolbox()} <= described()
    said = describe(ToolCall("set_door", {"open": True, "door": "passenger"}))
    assert (said.en, said.zh) == ("open the passenger's door", "打开副驾车门")


# -- caps, duplicates, summaries ------------------------------------------------------------


def fill(assistant: Assistant, kind: str, count: int) -> None:
    state = run(assistant.executor.state())
    for i in range(count):
        if kind == "rule":
            calls = (ToolCall("set_temperature", {"celsius": 16 + i % 16, "zone": None}),)
            value = float(i)
            assistant.automations.add_rule(
                "speed_over", value, calls, f"r{i}", state, origin=Caller()
            )
        else:
            assistant.automations.add_later(kind, f"{kind} {i}", 600 + i)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "cap", "en", "zh", "word"),
    [
        ("rule", 50, "if it rains close the windows", "下雨的时候关上车窗", ("rules", "规则")),
        (
            "reminder",
            100,
            "remind me to call Mum in 10 minutes",
            "十分钟后提醒我给妈妈打电话",
            ("reminders", "提醒"),
        ),
        ("timer", 100, "set a timer for 3 minutes", "帮我计时三分钟", ("timers", "计时")),
    ],
    ids=["rules", "reminders", "timers"],
)
def test_past_its_cap_a_new_one_is_refused_in_both_languages(
    kind: str, cap: int, en: str, zh: str, word: tuple[str, str]
) -> None:
    paths = {"rule": "Cockpit.Rules", "reminder": "Cockpit.Reminders", "timer": "Cockpit.Timers"}
    for said, term in ((en, word[0]), (zh, word[1])):
        assistant = offline_assistant()
        fill(assistant, kind, cap - 1)
        assert run(assistant.say(said)).outcome == "done"
        assert len(run(assistant.read(paths[kind]))) == cap  # type: ignore[arg-type]
        refused = run(assistant.say(said.replace("3", "4").replace("三", "四")))
        assert refused.outcome == "refused"
        assert str(cap) in refused.reply and term in refused.reply
        assert len(run(assistant.read(paths[kind]))) == cap  # type: ignore[arg-type]


def test_the_store_keeps_its_caps_by_itself() -> None:
    assistant = offline_assistant()
    fill(assistant, "timer", 100)
    assert assistant.automations.add_later("timer", "one more", 60) is None
    assert len(assistant.automations.scheduled) == 100


@pytest.mark.parametrize(
    "call",
    [
        rule([CLOSE] * 11),
        rule([CLOSE], text="x" * 201),
        ToolCall("set_timer", {"minutes": 0}),
        ToolCall("set_timer", {"minutes": -5}),
        ToolCall("set_timer", {"minutes": float("inf")}),
        ToolCall("add_reminder", {"text": "tyres", "minutes": 8 * 24 * 60}),
        ToolCall("add_reminder", {"text": "x" * 201, "minutes": 5}),
    ],
    ids=["11-actions", "long-rule", "zero", "negative", "endless", "eight-days", "long-text"],
)
def test_what_is_too_much_to_keep_is_refused(call: ToolCall) -> None:
    assistant = offline_assistant()
    [result] = run(assistant.executor.run([call], Caller()))
    assert result.status == "failed"
    assert result.message is not None and result.message.en and result.message.zh
    assert assistant.automations.pending() == []


@pytest.mark.parametrize(
    ("said", "path", "again"),
    [
        ("if it rains close the windows", "Cockpit.Rules", "already"),
        ("下雨的时候关上车窗", "Cockpit.Rules", "已经"),
        ("remind me to call Alice in 10 minutes", "Cockpit.Reminders", "already"),
        ("半小时后提醒我吃药", "Cockpit.Reminders", "已经"),
        ("set a timer for 3 minutes", "Cockpit.Timers", "already"),
        ("帮我计时五分钟", "Cockpit.Timers", "已经"),
    ],
)
def test_an_exact_duplicate_is_kept_once_and_the_reply_says_so(
    said: str, path: str, again: str
) -> None:
    assistant = offline_assistant()
    assert run(assistant.say(said)).outcome == "done"
    twice = run(assistant.say(said))
    assert twice.outcome == "answered"
    assert again in twice.reply
    assert len(run(assistant.read(path))) == 1  # type: ignore[arg-type]


def test_the_same_timer_later_is_no_duplicate_nor_is_the_same_rule_by_another_creator() -> None:
    assistant = offline_assistant()
    run(assistant.say("set a timer for 3 minutes"))
    run(assistant.advance(60))
    assert run(assistant.say("set a timer for 3 minutes")).outcome == "done"
    assert len(run(assistant.read("Cockpit.Timers"))) == 2  # type: ignore[arg-type]
    run(assistant.executor.run([rule([CLOSE])], Caller()))
    remote = Caller(source="remote", grants=frozenset({"cabin"}))
    run(assistant.executor.run([rule([CLOSE])], remote))
    assert len(assistant.automations.rules) == 2


def timers(lang: str, count: int) -> Assistant:
    calls = [ToolCall("set_timer", {"minutes": 1 + i, "label": f"t{i}"}) for i in range(count)]
    assistant = offline_assistant(
        {"Vehicle.Cabin.Infotainment.HMI.CurrentLanguage": "zh-CN" if lang == "zh" else "en-US"}
    )
    run(assistant.executor.run(calls, Caller(lang=lang)))  # type: ignore[arg-type]
    return assistant


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "12 timers are done: t0, t1 and 10 more."),
        ("zh", "12个计时到了：t0、t1，还有另外10个。"),
    ],
)
def test_many_timers_due_at_once_are_summed_up(lang: str, summary: str) -> None:
    assistant = timers(lang, 12)
    due: TurnResult = run(assistant.advance(3600))
    assert due.reply == summary
    assert run(assistant.read("Cockpit.Timers")) == []


def test_a_few_timers_due_at_once_are_each_read_out() -> None:
    assistant = timers("en", 3)
    due = run(assistant.advance(3600))
    assert due.reply.count("Time's up") == 3
    assert all(f"t{i}" in due.reply for i in range(3))


def test_a_rule_an_llm_made_after_reading_a_look_up_is_asked_about() -> None:
    """The turn's taint travels from the LLM's plan to the rule's creator: always asked."""
    from codriver.assistant.plan import Plan
    from codriver.testing import ScriptedBrain

    def made(tainted: bool) -> str:
        plan = Plan("act", (rule([CLOSE], "dark"),), source="llm", tainted=tainted)
        assistant = offline_assistant(brain=ScriptedBrain([plan]))
        return run(assistant.say("close the windows when it gets dark")).outcome

    assert made(tainted=False) == "done"
    assert made(tainted=True) == "asked"


def test_a_trigger_names_the_world_its_rule_fires_in() -> None:
    from codriver.automation import make_trigger
    from codriver.safety.conditions import Condition

    assert make_trigger("speed_over", 100).world() == {"Vehicle.Speed": 101}
    assert make_trigger("battery_below", None).world() == {
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": 19
    }
    for raw in ({"gt": 5}, {"lt": 5}, {"ge": 5}, {"in": ["P", "R"]}, "DRIVE"):
        condition = Condition.parse(raw, "test")
        assert condition.holds(condition.witness())
    assert Condition.parse({"ne": 5}, "test").witness() is None
    assert Condition.parse({"gt": 0, "lt": 9}, "test").witness() is None
