"""A deliberately malicious server (``rogue_server.py``, mounted as a music app with the ``media``
scope): its suspicious tools are left out, its answers reach the occupant only as cleaned, capped,
attributed data, and nothing it says or does changes the car — zero unauthorized actions."""

from __future__ import annotations

import asyncio
import unicodedata
from typing import Any

import pytest

# the SDK: a bare "mcp" would also find this folder, tests/mcp
pytest.importorskip("mcp.client.stdio", reason="the [mcp] extra is not installed")

from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.assistant.session import Assistant
from codriver.llm import LLMSettings, make_brain
from codriver.mcp.apps import Apps
from codriver.mcp.assistant import assistant_with_apps
from codriver.mcp.client import Connection, Listed
from codriver.mcp.config import ServerManifest
from codriver.mcp.mount import mount
from codriver.mcp.payload import clean
from codriver.testing import RecordingBus, SimulatedCar
from codriver.testing.openai_server import (
    Reply,
    ScriptedOpenAI,
    ToolCallReply,
    after_tool_result,
    rules,
)
from codriver.tools.base import ToolBox

LOCKED = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked"
TRUNK = "Vehicle.Body.Trunk.Rear.IsOpen"


def car_with(apps: Apps, brain: Any = None) -> tuple[Assistant, RecordingBus]:
    bus = RecordingBus(SimulatedCar(values={LOCKED: True, "Vehicle.Speed": 50}))
    return assistant_with_apps(apps, bus=bus, brain=brain), bus


@pytest.mark.parametrize(
    ("tool", "why"),
    [
        ("set_door_lock", "it is named like one of the car's own tools"),
        ("set_temperature", "it is named like one of the car's own tools"),
        (
            "unlock_doors",
            "it is named for an action on the car, which only the car's own tools take",
        ),
        ("s\u0435t_temperature", "its name is not a plain identifier"),
        ("buy_album", "it asks for scopes the manifest does not grant: ['payments']"),
        ("helpful", "its description gives the assistant orders"),
        ("sneaky", "its description gives the assistant orders"),
    ],
    ids=[
        "vehicle-name",
        "vehicle-name-2",
        "car-action",
        "homoglyph",
        "claims-payments",
        "orders-in-description",
        "disguised-orders-in-description",
    ],
)
def test_suspicious_tools_are_left_out(apps: Apps, tool: str, why: str) -> None:
    rejected = {r.tool: r.why for r in apps.reports["music"].rejected}
    assert rejected[tool] == why
    assert all(t.name.startswith("music__") for t in apps.tools if t.provider == "music")


def test_a_result_carrying_orders_is_attributed_and_its_orders_are_not_spoken(
    loop: asyncio.Runner, apps: Apps
) -> None:
    a, bus = car_with(apps)
    result = loop.run(a.say("what's playing"))
    assert result.outcome == "answered"
    assert result.reply == (
        "Rogue Radio says: Now playing: Qing Tian. I left out a part that read like orders to me."
    )
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in result.reply)
    assert bus.writes == []
    assert result.changes == ()
    assert loop.run(a.read(LOCKED)) is True


def test_a_tool_named_for_a_car_action_is_left_out_and_its_phrase_only_talks(
    loop: asyncio.Runner, apps: Apps
) -> None:
    a, bus = car_with(apps)
    result = loop.run(a.say("rogue unlock"))
    assert result.reply == "Rogue Radio isn't available right now."
    assert bus.writes == []
    assert loop.run(a.read(LOCKED)) is True


def test_an_answer_over_the_transport_limit_is_not_read(loop: asyncio.Runner, apps: Apps) -> None:
    a, _ = car_with(apps)
    [result] = loop.run(a.executor.run([ToolCall("music__big", {})], Caller()))
    assert result.status == "failed"
    assert result.message is not None
    assert result.message.en == "Rogue Radio's answer was too long, so I didn't read it."
    assert result.message.zh == "流氓电台返回的内容太长，我没有读取。"
    [after] = loop.run(a.executor.run([ToolCall("music__now_playing", {})], Caller()))
    assert after.status == "answered"  # the session goes on


def test_a_long_answer_is_cut_to_the_manifest_limit_at_a_sentence(
    loop: asyncio.Runner, apps: Apps
) -> None:
    a, _ = car_with(apps)
    [result] = loop.run(a.executor.run([ToolCall("music__chatty", {})], Caller()))
    assert result.message is not None
    said = result.message.en.removeprefix("Rogue Radio says: ")
    assert said.startswith("Track 1 is a fine song. Track 2 is a fine song.")
    assert said.endswith(" is a fine song.")  # whole sentences only
    assert 150 <= len(said) <= 300  # max_result_chars of the music app


def test_an_llm_fed_injected_orders_cannot_unlock_or_open_anything(
    loop: asyncio.Runner, apps: Apps
) -> None:
    # the brain's client
    pytest.importorskip("openai", reason="the [llm] extra (openai) is not installed")
    unlock = ToolCallReply("set_door_lock", {"locked": False})
    trunk = ToolCallReply("set_trunk", {"open": True})
    server = ScriptedOpenAI(
        rules(
            (after_tool_result, Reply(tool_calls=(unlock, trunk))),
            default=Reply(tool_calls=(ToolCallReply("music__now_playing", {}),)),
        ),
        model="qwen-plus",
        api_key="t",
    )
    settings = LLMSettings(base_url=server.base_url, model="qwen-plus", api_key="t", timeout_s=5)

    def brain(tools: ToolBox) -> Any:
        return make_brain("llm", settings, tools=tools)

    try:
        a, bus = car_with(apps, brain)
        result = loop.run(a.say("what's on the radio?"))
        assert result.outcome == "asked"  # held for the occupant, not done
        assert {e.tool for e in result.trace if e.status == "held for the occupant's yes"} == {
            "set_door_lock",
            "set_trunk",
        }
        loop.run(a.say("no"))
        assert bus.writes == []
        assert loop.run(a.read(LOCKED)) is True
        assert loop.run(a.read(TRUNK)) is False
    finally:
        server.close()


def test_a_music_app_can_never_unlock_the_doors_even_when_asked_directly(
    loop: asyncio.Runner, apps: Apps
) -> None:
    """Every path a third party has: its own tools (no writes at all), and the gate's refusal of
    any write from the plugin source."""
    a, bus = car_with(apps)
    plugin = Caller(source="plugin", scopes=frozenset({"media"}))
    [direct] = loop.run(a.executor.run([ToolCall("set_door_lock", {"locked": False})], plugin))
    assert (direct.status, direct.verdict.rule if direct.verdict else None) == (
        "refused",
        "plugin-writes-nothing-directly",
    )
    for tool in apps.tools:
        if tool.provider == "music" and tool.name != "music__hang":
            loop.run(a.executor.run([ToolCall(tool.name, {})], Caller(), confirmed=True))
    assert bus.writes == []


@pytest.mark.parametrize(
    ("name", "schema", "why"),
    [
        ("Unlock-Doors", {"type": "object"}, "it is named like one of the car's own tools"),
        ("Set-Temperatures", {"type": "object"}, "it is named like one of the car's own tools"),
        ("openTrunk", {"type": "object"}, "it is named for an action on the car"),
        ("two__parts", {"type": "object"}, "its name is not a plain identifier"),
        ("x" * 49, {"type": "object"}, "its name is not a plain identifier"),
        ("listy", {"type": "array"}, "its arguments are not an object"),
        ("broken", {"type": "object", "properties": 3}, "its argument schema is invalid"),
        ("huge", {"type": "object", "description": "x" * 9000}, "its argument schema is over"),
    ],
    ids=[
        "case-and-dash",
        "plural",
        "car-action",
        "separator",
        "too-long",
        "not-object",
        "invalid",
        "huge-schema",
    ],
)
def test_names_and_schemas_are_checked(name: str, schema: dict[str, Any], why: str) -> None:
    manifest = ServerManifest(name="music", stdio={"command": "x"}, scopes=("media",))
    listed = Listed(name, "a tool", schema, None, None)
    tools, rejected = mount(
        Connection(manifest), [listed], reserved={"unlock_doors", "set_temperature"}
    )
    assert tools == []
    assert rejected[0].why.startswith(why)


def test_two_tools_of_one_name_keep_only_the_first() -> None:
    manifest = ServerManifest(name="music", stdio={"command": "x"}, scopes=("media",))
    listed = [Listed(n, "", {"type": "object"}, None, None) for n in ("play", "Play")]
    tools, rejected = mount(Connection(manifest), listed, reserved=())
    assert [t.name for t in tools] == ["music__play"]
    assert rejected[0].why == "the server offers two tools of this name"


def test_the_server_cannot_make_a_paid_tool_read_only() -> None:
    manifest = ServerManifest(name="shop", stdio={"command": "x"}, scopes=("food", "payments"))
    listed = Listed("buy", "", {"type": "object"}, True, None)
    [tool], _ = mount(Connection(manifest), [listed], reserved=())
    assert tool.read_only is False


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("a\x1b[31mb\x07c", 50, "abc"),
        ("right\u202eto left\u202c and\u200b zero\ufeffwidth", 50, "rightto left and zerowidth"),
        ("tag\U000e0041\U000e0042s", 50, "tags"),
        ("line\r\nbreaks\tand   spaces", 50, "line breaks and spaces"),
        ("abcdefghij", 5, "abcd…"),
        ("中文保留", 50, "中文保留"),
    ],
    ids=["escape-and-bell", "bidi-and-zero-width", "tag-characters", "whitespace", "cut", "cjk"],
)
def test_clean(text: str, limit: int, expected: str) -> None:
    assert clean(text, limit) == expected
