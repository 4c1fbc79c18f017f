"""The apps file (manifests are checked when loaded) and the phrases that send an utterance to an
app's tool in front of the on-device engine."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

# the SDK: a bare "mcp" would also find this folder, tests/mcp
pytest.importorskip("mcp.client.stdio", reason="the [mcp] extra is not installed")

from codriver.assistant.plan import Plan, TurnContext, Utterance
from codriver.errors import ConfigError
from codriver.mcp.config import AppsConfig, load_apps, parse_apps
from codriver.mcp.routes import AppsBrain, Routes
from codriver.testing import ScriptedBrain
from codriver.text import Bilingual, detect_lang
from codriver.tools import VEHICLE_TOOLSETS
from codriver.tools.base import Effect, Tool, ToolBox, Toolset

ROOT = Path(__file__).resolve().parents[2]
STDIO = {"command": "python"}


def server(**overrides: Any) -> dict[str, Any]:
    return {"name": "coffee", "stdio": STDIO, "scopes": ["food", "payments"], **overrides}


def test_the_example_apps_file_loads() -> None:
    config = load_apps(ROOT / "examples" / "mcp_servers" / "apps.yaml")
    coffee = config.server("coffee")
    assert coffee is not None
    assert coffee.display() == Bilingual("Coffee Express", "咖啡快订")
    assert coffee.tool_scopes("menu") == frozenset({"food"})
    assert coffee.tool_scopes("order") == frozenset({"food", "payments"})  # not narrowed
    assert coffee.tool_scopes("unlisted") == frozenset({"food", "payments"})


def test_a_toml_settings_file_with_an_mcp_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[llm]\npreset = "ollama"\n\n[mcp]\ndiscovery_budget_s = 2\n\n[[mcp.servers]]\n'
        'name = "parking"\nurl = "http://127.0.0.1:8932/mcp"\nscopes = ["parking"]\n',
        encoding="utf-8",
    )
    config = load_apps(path)
    assert config.discovery_budget_s == 2
    assert [s.name for s in config.servers] == ["parking"]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"servers": [server(tools={"menu": {"scopes": ["location"]}})]}, "not the server's"),
        ({"servers": [server(url="http://x/mcp")]}, "exactly one of stdio and url"),
        ({"servers": [server(stdio=None)]}, "exactly one of stdio and url"),
        ({"servers": [server(tools={"pay": {"read_only": True}})]}, "never read-only"),
        ({"servers": [server(), server()]}, "servers named twice"),
        ({"servers": [server(name="Coffee")]}, "name"),
        ({"servers": [server(name="cof__fee")]}, "name"),
        ({"servers": [server(scopes=["doors"])]}, "scopes"),
        ({"servers": [server(token_env="T")]}, "token_env is for an HTTP server"),
        ({"servers": [server(surprise=1)]}, "surprise"),
        (
            {
                "servers": [
                    server(tools={"a": {"fallback": True}}),
                    server(name="tea", tools={"b": {"fallback": True}}),
                ]
            },
            "only one tool may be the fallback",
        ),
    ],
    ids=[
        "tool-scope-outside",
        "both-targets",
        "no-target",
        "paid-read-only",
        "twice",
        "upper-case-name",
        "separator-in-name",
        "unknown-scope",
        "token-for-stdio",
        "unknown-key",
        "two-fallbacks",
    ],
)
def test_bad_manifests_are_config_errors(raw: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        parse_apps(raw, "apps.yaml")


# -- phrases ---------------------------------------------------------------------------------

CONFIG = parse_apps(
    {
        "servers": [
            server(
                title={"en": "Coffee Express", "zh": "咖啡快订"},
                tools={
                    "order": {
                        "triggers": {"en": ["coffee", "order a coffee"], "zh": ["点咖啡"]},
                        "utterance_arg": "request",
                        "lang_arg": "lang",
                    },
                    "menu": {"triggers": {"en": ["coffee menu"]}},
                },
            ),
            {
                "name": "concierge",
                "url": "http://127.0.0.1:9/mcp",
                "scopes": ["food"],
                "tools": {"ask": {"fallback": True, "utterance_arg": "question"}},
            },
            {
                "name": "stuck",
                "stdio": STDIO,
                "scopes": ["food"],
                "tools": {"book": {"triggers": {"en": ["book a table"]}}},
            },
        ]
    },
    "test",
)


class _Remote:
    schema: ClassVar[dict[str, Any]] = {"type": "object"}

    def check(self, args: Any) -> None:
        return None

    async def __call__(self, args: Any) -> Effect:
        return Effect()


class _Args(BaseModel):
    model_config = ConfigDict(extra="allow")


def _tools(*names: str) -> ToolBox:
    def make(name: str) -> Tool:
        return Tool(name, "", "apps", lambda ctx: Effect(), _Args, "x", remote=_Remote())

    return ToolBox([*VEHICLE_TOOLSETS, Toolset("apps", tuple(make(n) for n in names))])


TOOLS = _tools("coffee__order", "coffee__menu", "concierge__ask")


def plan(
    text: str,
    inner: Plan | None = None,
    pending: Bilingual | None = None,
    available: Any = None,
) -> tuple[Plan, ScriptedBrain]:
    brain = ScriptedBrain([inner or Plan("act")])
    routed = AppsBrain(brain, Routes(CONFIG), available)
    context = TurnContext({}, (), TOOLS, pending_question=pending)
    return asyncio.run(routed.plan(Utterance(text, detect_lang(text)), context)), brain


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("Order a coffee, a flat white", "coffee__order", {"lang": "en"}),
        ("show me the coffee menu", "coffee__menu", {}),
        ("给我点咖啡，要拿铁", "coffee__order", {"lang": "zh"}),
        ("any  COFFEE around?", "coffee__order", {"lang": "en"}),
    ],
    ids=["phrase", "longest-wins", "chinese", "case-and-spaces"],
)
def test_a_phrase_sends_the_utterance_to_its_tool(
    text: str, tool: str, args: dict[str, Any]
) -> None:
    routed, inner = plan(text)
    assert routed.kind == "act"
    [call] = routed.calls
    assert call.name == tool
    expected = {"request": text, **args} if tool == "coffee__order" else args
    assert dict(call.args) == expected
    assert inner.heard == []  # the inner brain was not asked


@pytest.mark.parametrize("text", ["coffeemaker settings", "set the temperature to 22"])
def test_other_words_go_to_the_inner_brain(text: str) -> None:
    routed, inner = plan(text, inner=Plan("act", confidence=0.9))
    assert routed.confidence == 0.9
    assert [u.text for u in inner.heard] == [text]


def test_a_pending_question_is_the_inner_brains(text: str = "yes, order a coffee") -> None:
    routed, inner = plan(text, inner=Plan("confirm"), pending=Bilingual("Go?", "好吗？"))
    assert routed.kind == "confirm"
    assert len(inner.heard) == 1


def test_what_nobody_understood_goes_to_the_fallback_tool() -> None:
    routed, _ = plan("what's a good book for a long drive?", inner=Plan("not_understood"))
    [call] = routed.calls
    assert (call.name, dict(call.args)) == (
        "concierge__ask",
        {"question": "what's a good book for a long drive?"},
    )


def test_a_phrase_of_a_server_that_is_down_is_answered_so() -> None:
    routed, _ = plan("book a table for two")  # "stuck" was never mounted
    assert routed.kind == "answer"
    assert routed.say == Bilingual("stuck isn't available right now.", "stuck暂时无法使用。")
    switched_off, _ = plan("order a coffee", available=lambda server: server != "coffee")
    assert switched_off.say is not None
    assert switched_off.say.en == "Coffee Express isn't available right now."


def test_without_apps_everything_goes_to_the_inner_brain() -> None:
    inner = ScriptedBrain([Plan("not_understood")])
    routed = AppsBrain(inner, Routes(AppsConfig()))
    context = TurnContext({}, (), TOOLS)
    result = asyncio.run(routed.plan(Utterance("order a coffee", "en"), context))
    assert result.kind == "not_understood"
    assert len(inner.heard) == 1
