"""The example services as apps, over real MCP sessions (stdio and Streamable HTTP): discovery,
names and scopes, calls from the on-device engine's phrases and from an LLM, confirmation of
payments, Chinese, and bearer tokens."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

# the SDK: a bare "mcp" would also find this folder, tests/mcp
pytest.importorskip("mcp.client.stdio", reason="the [mcp] extra is not installed")

from codriver.assistant.result import TurnResult
from codriver.assistant.session import Assistant
from codriver.llm import LLMSettings, make_brain
from codriver.mcp.apps import Apps
from codriver.mcp.assistant import assistant_with_apps
from codriver.testing import RecordingBus, SimulatedCar
from codriver.testing.openai_server import (
    Reply,
    ScriptedOpenAI,
    ToolCallReply,
    after_tool_result,
    replies,
    rules,
)
from codriver.tools.base import ToolBox


def turn(loop: asyncio.Runner, a: Assistant, text: str) -> TurnResult:
    return loop.run(a.say(text))


def with_apps(apps: Apps, given: dict[str, Any] | None = None) -> Assistant:
    car = SimulatedCar(values=given)
    return assistant_with_apps(apps, bus=RecordingBus(car))


def test_every_answering_server_is_mounted_under_its_own_names(apps: Apps) -> None:
    report = apps.reports
    assert report["coffee"].tools == ("coffee__menu", "coffee__order")
    assert report["parking"].tools == ("parking__find_parking", "parking__reserve_parking")
    assert report["parking_http"].tools == (
        "parking_http__find_parking",
        "parking_http__reserve_parking",
    )
    toolbox = apps.toolbox()
    assert toolbox.get("set_door_lock") is not None  # the car's own tools stay
    order = toolbox.get("coffee__order")
    assert order is not None
    assert (order.domain, order.provider, order.read_only) == ("apps", "coffee", False)
    assert order.scopes == frozenset({"food", "payments"})  # not in the manifest: all the server's
    assert order.parameters["required"] == ["request"]


@pytest.mark.parametrize(
    ("tool", "scopes", "read_only"),
    [
        ("coffee__menu", {"food"}, True),
        ("parking__find_parking", {"parking", "navigation"}, True),
        ("parking__reserve_parking", {"parking", "navigation", "payments"}, False),
        ("parking_http__find_parking", {"parking", "navigation"}, True),
        ("parking_http__reserve_parking", {"parking", "navigation", "payments"}, False),
    ],
    ids=["menu", "find", "reserve", "http-find", "http-reserve"],
)
def test_scopes_come_from_the_manifest(
    apps: Apps, tool: str, scopes: set[str], read_only: bool
) -> None:
    mounted = apps.toolbox().get(tool)
    assert mounted is not None
    assert (mounted.scopes, mounted.read_only) == (frozenset(scopes), read_only)


def test_a_wrong_token_leaves_that_server_out_and_says_why(apps: Apps) -> None:
    report = apps.reports["parking_bad_token"]
    assert not report.up
    assert report.problem is not None and "401" in report.problem
    assert apps.reports["parking_http"].up


def test_an_order_costs_money_so_it_waits_for_a_yes(loop: asyncio.Runner, apps: Apps) -> None:
    a = with_apps(apps)
    asked = turn(loop, a, "order a coffee: a large latte")
    assert asked.outcome == "asked"
    assert asked.actions[0].verdict is not None
    assert asked.actions[0].verdict.rule == "confirm-plugin-costs"
    assert "Order" not in asked.reply
    done = turn(loop, a, "yes")
    assert done.outcome == "done"
    assert re.fullmatch(
        r"Coffee Express says: Order C[0-9A-F]{4}: 1 large latte, 32 yuan, ready in 10 minutes at "
        r"Coffee Express, People's Square\.",
        done.reply,
    ), done.reply
    assert done.changes == ()
    assert a.bus.writes == []  # type: ignore[attr-defined]


def test_a_no_calls_nothing(loop: asyncio.Runner, apps: Apps) -> None:
    a = with_apps(apps)
    assert turn(loop, a, "order a coffee, a mocha").outcome == "asked"
    declined = turn(loop, a, "no")
    assert "Order" not in declined.reply
    assert [t.tool for t in declined.trace if t.agent == "apps"] == []


def test_a_look_up_in_chinese_over_stdio(loop: asyncio.Runner, apps: Apps) -> None:
    a = with_apps(apps)
    result = turn(loop, a, "外滩附近找停车场")
    assert result.outcome == "answered"
    assert result.reply.startswith("停车宝说：外滩中心停车场（P-BUND-1），250米，空位34个")
    assert [(t.agent, t.tool, t.status) for t in result.trace][-1] == (
        "apps",
        "parking__find_parking",
        "answered",
    )


def test_a_call_over_streamable_http_with_its_token(loop: asyncio.Runner, apps: Apps) -> None:
    a = with_apps(apps)
    [result] = loop.run(
        a.orchestrator.run(
            [_call("parking_http__find_parking", near="People's Square")],
            _caller(),
        )
    )[0]
    assert result.status == "answered"
    assert result.message is not None
    assert result.message.en.startswith("parking_http says: People's Square underground (P-PSQ-1)")


def test_the_engine_still_does_the_car(loop: asyncio.Runner, apps: Apps) -> None:
    a = with_apps(apps)
    result = turn(loop, a, "set the temperature to 24")
    assert result.outcome == "done"
    assert loop.run(a.read("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature")) == 24


# -- the LLM brain ---------------------------------------------------------------------------


def llm_assistant(apps: Apps, server: ScriptedOpenAI, kind: str = "llm") -> Assistant:
    # the brain's client
    pytest.importorskip("openai", reason="the [llm] extra (openai) is not installed")
    settings = LLMSettings(
        base_url=server.base_url, model="qwen-plus", api_key="t", timeout_s=5, budget_s=5
    )

    def brain(tools: ToolBox) -> Any:
        return make_brain(kind, settings, tools=tools)

    return assistant_with_apps(apps, brain=brain, bus=RecordingBus(SimulatedCar()))


def test_the_llm_sees_the_apps_and_a_look_up_comes_back_as_data(
    loop: asyncio.Runner, apps: Apps
) -> None:
    server = ScriptedOpenAI(
        rules(
            (after_tool_result, Reply(content="There are spaces at the Bund Centre.")),
            default=Reply(tool_calls=(ToolCallReply("parking__find_parking", {"near": "Bund"}),)),
        ),
        model="qwen-plus",
        api_key="t",
    )
    try:
        a = llm_assistant(apps, server)
        result = turn(loop, a, "is there parking near the bund?")
        offered = {t["function"]["name"] for t in server.requests[0]["tools"]}
        assert {"parking__find_parking", "coffee__order", "set_temperature"} <= offered
        fed_back = server.requests[1]["messages"][-1]
        assert fed_back["role"] == "tool"
        assert "Bund Centre car park (P-BUND-1)" in fed_back["content"]
        # the model did not name the app it heard from: its claim is the app's
        assert result.reply == "According to ParkNow: There are spaces at the Bund Centre."
    finally:
        server.close()


def test_after_an_app_answered_the_llm_cannot_spend_money_unasked(
    loop: asyncio.Runner, apps: Apps
) -> None:
    reserve = ToolCallReply("parking__reserve_parking", {"lot": "P-BUND-1", "hours": 2})
    server = ScriptedOpenAI(
        rules(
            (after_tool_result, Reply(tool_calls=(reserve,))),
            default=Reply(tool_calls=(ToolCallReply("parking__find_parking", {"near": "Bund"}),)),
        ),
        model="qwen-plus",
        api_key="t",
    )
    try:
        a = llm_assistant(apps, server)
        result = turn(loop, a, "find me parking at the bund and book it")
        assert result.outcome == "asked"
        assert not any(
            t.tool == "parking__reserve_parking" and t.agent == "apps" for t in result.trace
        )
        assert "Reserved" not in result.reply
        assert any(e.status == "held for the occupant's yes" for e in result.trace)
    finally:
        server.close()


def test_a_plan_from_the_llm_for_an_app_still_needs_the_yes_for_payments(
    loop: asyncio.Runner, apps: Apps
) -> None:
    order = ToolCallReply("coffee__order", {"request": "two americanos"})
    server = ScriptedOpenAI(replies([Reply(tool_calls=(order,))]), model="qwen-plus", api_key="t")
    try:
        a = llm_assistant(apps, server, "hybrid")  # the engine takes the yes
        asked = turn(loop, a, "get me two americanos for the road")
        assert asked.outcome == "asked"
        assert asked.actions[0].verdict is not None
        assert asked.actions[0].verdict.rule == "confirm-plugin-costs"
        done = turn(loop, a, "yes")
        assert re.search(r"Order C[0-9A-F]{4}: 2 medium americanos, 44 yuan", done.reply)
    finally:
        server.close()


def _call(name: str, **args: object) -> Any:
    from codriver.assistant.plan import ToolCall

    return ToolCall(name, args)


def _caller() -> Any:
    from codriver.assistant.executor import Caller

    return Caller()
