"""Hybrid arbitration: the engine keeps what it understands, the LLM gets the rest within a time
budget, and the engine (or a clear apology) answers when the LLM is slow or down."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from codriver.assistant.result import TurnResult
from codriver.llm import LLMSettings, OpenAIChat, make_brain
from codriver.llm.hybrid import HybridBrain
from codriver.testing import offline_assistant
from codriver.testing.openai_server import Reply, ScriptedOpenAI, ToolCallReply, replies

DRIVER_TEMP = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"


@pytest.fixture
def server() -> Iterator[ScriptedOpenAI]:
    """A scripted model server; the brain talks to it through the openai SDK."""
    pytest.importorskip("openai", reason="the [llm] extra (openai) is not installed")
    with ScriptedOpenAI(replies([]), model="qwen-plus", api_key="k") as running:
        yield running


def hybrid(server: ScriptedOpenAI, budget_s: float = 2.0) -> Any:
    settings = LLMSettings(
        base_url=server.base_url, model="qwen-plus", api_key="k", budget_s=budget_s, timeout_s=5
    )
    return offline_assistant(brain=make_brain("hybrid", settings))


def say(assistant: Any, text: str) -> TurnResult:
    return asyncio.run(assistant.say(text))


def decisions(turn: TurnResult) -> list[tuple[str, str]]:
    return [(e.tool, e.status) for e in turn.trace if e.agent == "hybrid"]


def test_the_engine_keeps_what_it_understands_and_the_llm_is_not_called(
    server: ScriptedOpenAI,
) -> None:
    a = hybrid(server)
    turn = say(a, "set the temperature to 21")
    assert asyncio.run(a.read(DRIVER_TEMP)) == 21
    assert server.requests == []
    assert decisions(turn) == [("local", "kept")]


def test_what_the_engine_cannot_plan_goes_to_the_llm(server: ScriptedOpenAI) -> None:
    server.responder = replies(
        [Reply(tool_calls=(ToolCallReply("set_temperature", {"celsius": 19.5, "zone": "all"}),))]
    )
    a = hybrid(server)
    turn = say(a, "my wife runs hot and I run cold, find us a compromise for everyone")
    assert len(server.requests) == 1
    assert decisions(turn) == [("local", "handed to the LLM"), ("llm", "answered")]
    assert asyncio.run(a.read(DRIVER_TEMP)) == 19.5


def test_open_conversation_goes_to_the_llm(server: ScriptedOpenAI) -> None:
    server.responder = replies(
        [Reply(content="Why did the car get a puncture? A fork in the road.")]
    )
    a = hybrid(server)
    turn = say(a, "tell me a joke")
    assert turn.reply == "Why did the car get a puncture? A fork in the road."


def test_a_slow_llm_falls_back_to_the_engine_within_the_budget(server: ScriptedOpenAI) -> None:
    server.responder = replies([Reply(content="too late", delay_s=3.0)])
    a = hybrid(server, budget_s=0.3)
    turn = say(a, "tell me a joke")
    assert turn.latency_ms < 1500
    (local, llm) = decisions(turn)
    assert local == ("local", "handed to the LLM")
    assert llm[1].startswith("fell back: timed out")
    assert turn.outcome == "answered" and turn.reply  # the engine's own small talk


def test_a_slow_llm_and_an_engine_that_did_not_understand_give_an_apology(
    server: ScriptedOpenAI,
) -> None:
    server.responder = replies([Reply(content="too late", delay_s=3.0)])
    a = hybrid(server, budget_s=0.3)
    turn = say(a, "刚才有人在车里吃了榴莲，味道太冲了")
    assert turn.changes == ()
    assert turn.reply == "这个我现在还做不到。"


def test_a_plan_whose_look_ups_fail_goes_to_the_llm(server: ScriptedOpenAI) -> None:
    server.responder = replies(
        [
            Reply(tool_calls=(ToolCallReply("find_nearby", {"category": "restaurant"}),)),
            Reply(content="附近有几家餐厅，要去哪一家？"),
        ]
    )
    a = hybrid(server)
    turn = say(a, "饿死了，附近找个吃饭的地方带我们过去")
    assert decisions(turn) == [("local", "handed to the LLM"), ("llm", "answered")]
    assert turn.reply.endswith("要去哪一家？")


def test_a_down_llm_with_nothing_understood_gives_a_clear_apology(server: ScriptedOpenAI) -> None:
    server.responder = replies([Reply(content="boom", status=500)])
    a = hybrid(server)
    turn = say(a, "qwertyuiop zxcvbnm")
    assert turn.reply == "I can't do that right now."
    assert turn.changes == ()
    assert (
        decisions(turn)[-1][1].startswith("fell back: APIStatusError")
        or "Error" in decisions(turn)[-1][1]
    )


def test_yes_to_a_pending_question_stays_with_the_engine(server: ScriptedOpenAI) -> None:
    a = hybrid(server)
    asyncio.run(a.feed({"Vehicle.Speed": 60}))
    asked = say(a, "unlock the doors")
    assert asked.outcome == "asked"
    confirmed = say(a, "yes")
    assert confirmed.outcome == "done"
    assert server.requests == []


def test_keeps_is_judged_by_kind_and_confidence() -> None:
    from codriver.assistant.plan import Plan, ToolCall

    brain = HybridBrain(object(), object(), budget_s=1, confident=0.25)  # type: ignore[arg-type]
    act = (ToolCall("set_temperature", {"celsius": 20}),)
    assert brain.keeps(Plan("act", act, confidence=0.9))
    assert not brain.keeps(Plan("act", act, confidence=0.2))
    assert not brain.keeps(Plan("not_understood", confidence=1.0))
    assert brain.keeps(Plan("confirm", confidence=0.1))


def test_the_backend_streams_text_as_it_comes(server: ScriptedOpenAI) -> None:
    server.responder = replies([Reply(content="Turning the heat up a little for you.")])
    model = OpenAIChat(LLMSettings(base_url=server.base_url, model="qwen-plus", api_key="k"))
    pieces: list[str] = []
    completion = asyncio.run(
        model.complete([{"role": "user", "content": "warmer"}], on_text=pieces.append)
    )
    assert len(pieces) > 1
    assert "".join(pieces) == completion.text == "Turning the heat up a little for you."
    assert server.requests[0]["stream"] is True


def test_the_backend_reassembles_streamed_tool_calls(server: ScriptedOpenAI) -> None:
    server.responder = replies(
        [Reply(tool_calls=(ToolCallReply("set_window", {"position": 30, "window": "rear_left"}),))]
    )
    model = OpenAIChat(LLMSettings(base_url=server.base_url, model="qwen-plus", api_key="k"))
    completion = asyncio.run(
        model.complete([{"role": "user", "content": "crack the back left"}], on_text=lambda _: None)
    )
    assert [(c.name, c.arguments) for c in completion.calls] == [
        ("set_window", '{"position": 30, "window": "rear_left"}')
    ]
