"""A server that never answers is left out at discovery and said to be unavailable; a tool that
hangs costs a timeout, then its server is switched off for a while (circuit breaker) — and the
other servers work all along."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

# the SDK: a bare "mcp" would also find this folder, tests/mcp
pytest.importorskip("mcp.client.stdio", reason="the [mcp] extra is not installed")

from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.assistant.result import ActionResult
from codriver.assistant.session import Assistant
from codriver.mcp.apps import Apps
from codriver.mcp.assistant import assistant_with_apps
from codriver.mcp.breaker import Breaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def call(loop: asyncio.Runner, a: Assistant, name: str, **args: object) -> ActionResult:
    [result] = loop.run(a.executor.run([ToolCall(name, args)], Caller()))
    return result


def test_a_server_that_never_answers_is_left_out_and_the_others_are_mounted(apps: Apps) -> None:
    stuck = apps.reports["stuck"]
    assert not stuck.up
    assert stuck.problem == "it did not answer within 1 s"
    assert stuck.tools == ()
    assert not apps.available("stuck")
    assert all(apps.reports[name].up for name in ("coffee", "parking", "music", "flaky"))


def test_the_assistant_says_so_and_other_apps_still_answer(
    loop: asyncio.Runner, apps: Apps
) -> None:
    a = assistant_with_apps(apps)
    result = loop.run(a.say("ask the stuck service for a table"))
    assert result.reply == "Stuck Service isn't available right now."
    assert result.trace[0].status == "not available"
    later = loop.run(a.say("what's playing"))
    assert later.outcome == "answered"
    assert later.reply.startswith("Rogue Radio says: Now playing: Qing Tian.")


def test_a_hanging_tool_times_out_then_its_server_is_switched_off(
    loop: asyncio.Runner, apps: Apps, clock: Any
) -> None:
    a = assistant_with_apps(apps)
    breaker = apps.connections["flaky"].breaker
    first = call(loop, a, "flaky__hang")
    assert (first.status, first.message.en if first.message else "") == (
        "failed",
        "flaky didn't answer in time.",
    )
    call(loop, a, "flaky__hang")  # the second failure in a row opens the breaker
    assert breaker.state == "open"
    assert not apps.available("flaky")
    off = call(loop, a, "flaky__now_playing")  # refused at once, without asking the server
    assert off.message is not None
    assert off.message.en == "flaky keeps failing, so I've paused it for a while."
    assert call(loop, a, "coffee__menu").status == "answered"  # the others are unaffected
    clock.now += 31  # after the cool-down one trial call goes through, and closes it again
    assert breaker.state == "half_open"
    trial = call(loop, a, "flaky__now_playing")
    assert trial.status == "answered"
    assert breaker.state == "closed"


def test_a_server_that_dies_is_started_again_on_the_next_call(
    loop: asyncio.Runner, apps: Apps
) -> None:
    a = assistant_with_apps(apps)
    crashed = call(loop, a, "flaky__crash")
    assert crashed.status == "failed"
    assert crashed.message is not None
    assert crashed.message.en == "flaky isn't available right now."
    again = call(loop, a, "flaky__now_playing")
    assert again.status == "answered"
    assert apps.connections["flaky"].connected


@pytest.mark.parametrize(
    ("events", "state"),
    [
        ("f", "closed"),
        ("ff", "open"),
        ("ffs", "closed"),
        ("fsf", "closed"),
        ("ff+", "half_open"),
        ("ff+f", "open"),
        ("ff+s", "closed"),
    ],
    ids=[
        "one-failure",
        "two",
        "success-resets",
        "not-in-a-row",
        "cooled",
        "trial-fails",
        "trial-ok",
    ],
)
def test_breaker_states(events: str, state: str) -> None:
    clock = Clock()
    breaker = Breaker(2, 30, clock)
    for event in events:
        if event == "f":
            breaker.failed()
        elif event == "s":
            breaker.succeeded()
        else:
            clock.now += 30
    assert breaker.state == state


def test_half_open_lets_one_trial_through_at_a_time() -> None:
    clock = Clock()
    breaker = Breaker(1, 10, clock)
    breaker.failed()
    assert not breaker.allow()
    clock.now += 10
    assert breaker.allow()
    assert not breaker.allow()
