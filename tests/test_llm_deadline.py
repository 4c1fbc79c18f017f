"""The LLM brain's turn deadline: a stalling, trickling or long-winded endpoint costs the occupant
at most the turn's budget (``budget_s``, as under the hybrid brain), and a turn over it ends with a
clear "I can't do that right now" in the turn's language, with nothing of it carried out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("openai", reason="the [llm] extra is not installed")

from codriver.assistant.result import TurnResult
from codriver.llm import LLMSettings, ModelUnavailable, OpenAIChat, make_brain
from codriver.llm.prompts import load_prompts
from codriver.testing import offline_assistant
from codriver.testing.openai_server import (
    Reply,
    Responder,
    ScriptedOpenAI,
    ToolCallReply,
    after_tool_result,
    replies,
    rules,
)

DRIVER_TEMP = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
BUDGET_S = 0.6
LONG_S = 20.0
"""Far longer than any budget here: a turn that waits it out has no deadline."""


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[ScriptedOpenAI] = []

    def start(responder: Responder) -> ScriptedOpenAI:
        servers.append(ScriptedOpenAI(responder, model="qwen-plus", api_key="k"))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def llm_assistant(server: ScriptedOpenAI, **settings: Any) -> Any:
    config = LLMSettings(
        base_url=server.base_url,
        model="qwen-plus",
        api_key="k",
        budget_s=BUDGET_S,
        timeout_s=LONG_S,
        **settings,
    )
    return offline_assistant(brain=make_brain("llm", config))


def say(assistant: Any, text: str) -> TurnResult:
    return asyncio.run(assistant.say(text))


def over_budget(turn: TurnResult) -> bool:
    return any(e.agent == "llm" and e.status.startswith("timed out") for e in turn.trace)


SLOW = {
    "stalls": Reply(content="finally", delay_s=LONG_S),
    "trickles": Reply(content="a long and slow answer " * 20, trickle_s=0.05),
}
UNAVAILABLE = load_prompts().unavailable


@pytest.mark.parametrize("how", sorted(SLOW))
@pytest.mark.parametrize(
    ("text", "lang"),
    [("tell me something about this road", "en"), ("给我讲讲这条路", "zh")],
    ids=["en", "zh"],
)
def test_a_slow_endpoint_costs_the_turn_its_budget_and_no_more(
    serve: Any, how: str, text: str, lang: str
) -> None:
    server = serve(replies([SLOW[how]]))
    turn = say(llm_assistant(server), text)
    assert turn.latency_ms < (BUDGET_S + 2.0) * 1000
    assert over_budget(turn)
    assert turn.reply == UNAVAILABLE.in_(lang)  # type: ignore[arg-type]
    assert turn.changes == ()


def test_a_turn_over_budget_carries_out_nothing_the_model_already_proposed(serve: Any) -> None:
    """The model sets the temperature and looks something up; its second step never comes in
    time. The temperature it proposed before must not be set: a turn is all or nothing."""
    first = Reply(
        tool_calls=(
            ToolCallReply("set_temperature", {"celsius": 26}),
            ToolCallReply("trip_info", {}),
        )
    )
    server = serve(rules((after_tool_result, Reply(content="late", delay_s=LONG_S)), default=first))
    a = llm_assistant(server)
    turn = say(a, "warm it up and tell me how far we have to go")
    assert over_budget(turn)
    assert turn.changes == ()
    assert asyncio.run(a.read(DRIVER_TEMP)) == 22
    assert len(server.requests) == 2


def test_many_quick_steps_still_end_at_the_budget(serve: Any) -> None:
    """Each model step is well within one request's timeout, but look-up after look-up the turn
    would take their sum: the deadline is the turn's, not the request's."""
    step = Reply(tool_calls=(ToolCallReply("trip_info", {}),), delay_s=BUDGET_S / 2)
    server = serve(rules(default=step))
    turn = say(llm_assistant(server, max_steps=12), "how far to go, again and again")
    assert over_budget(turn)
    assert turn.latency_ms < (BUDGET_S + 2.0) * 1000
    assert len(server.requests) < 12


def test_one_streamed_request_is_bounded_by_its_timeout(serve: Any) -> None:
    """A stream that keeps sending a little, never pausing long enough for a read timeout, ends
    at ``timeout_s`` as a whole."""
    server = serve(replies([Reply(content="word " * 400, trickle_s=0.05)]))
    settings = LLMSettings(base_url=server.base_url, model="qwen-plus", api_key="k", timeout_s=0.5)
    heard: list[str] = []
    started = time.perf_counter()
    with pytest.raises(ModelUnavailable, match=r"within 0\.5 s"):
        asyncio.run(
            OpenAIChat(settings).complete([{"role": "user", "content": "hi"}], on_text=heard.append)
        )
    assert time.perf_counter() - started < 3.0
    assert heard  # it was streaming, not stalled
