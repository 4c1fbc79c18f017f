"""The timer tools through the assistant (tool, gate, store): pause, resume, more or less time,
what is left, named and bulk cancelling, and what each says when there is no such timer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from codriver.assistant import Assistant

DirectAssistant = Callable[..., Assistant]
TIMERS = "Cockpit.Timers"


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def say(assistant: Assistant, text: str) -> Any:
    return run(assistant.say(text))  # the language is the text's: Chinese words make it zh


@pytest.fixture
def cabin(direct_assistant: DirectAssistant) -> Assistant:
    """A cabin with a pizza timer (5 min) started first and a 10-minute one after it."""
    assistant = direct_assistant()
    say(assistant, "set_timer minutes=5 label=pizza")
    say(assistant, "set_timer minutes=10")
    return assistant


def test_a_named_timer_is_listed_and_announced_by_its_name(cabin: Assistant) -> None:
    assert run(cabin.read(TIMERS)) == ["pizza", "10 min"]
    assert "pizza" in run(cabin.advance(301)).reply


def test_pause_stops_the_named_timer_and_resume_runs_it_again(cabin: Assistant) -> None:
    paused = say(cabin, "pause_timer label=pizza")
    assert paused.outcome == "done"
    assert "pizza" in paused.reply and "5 min" in paused.reply
    run(cabin.advance(400))  # the 10-minute timer runs on; the pizza timer waits
    assert run(cabin.read(TIMERS)) == ["pizza", "10 min"]
    resumed = say(cabin, "resume_timer label=pizza")
    assert resumed.outcome == "done"
    assert "pizza" not in run(cabin.advance(299)).reply
    assert "pizza" in run(cabin.advance(2)).reply


def test_without_a_name_the_newest_timer_is_paused(cabin: Assistant) -> None:
    say(cabin, "pause_timer")
    status = say(cabin, "timer_status")
    assert "10 min left (paused)" in status.reply
    assert "(paused)" not in status.reply.split("10 min")[0]


def test_pausing_a_paused_timer_says_so(cabin: Assistant) -> None:
    say(cabin, "pause_timer label=pizza")
    again = say(cabin, "pause_timer label=pizza")
    assert again.outcome == "answered"
    assert "already paused" in again.reply


def test_resuming_when_nothing_is_paused_says_so(cabin: Assistant) -> None:
    turn = say(cabin, "resume_timer")
    assert turn.outcome == "answered"
    assert "isn't paused" in turn.reply


def test_adding_time_says_what_is_left(cabin: Assistant) -> None:
    turn = say(cabin, "adjust_timer minutes=2 label=pizza")
    assert turn.outcome == "done"
    assert "7 min left" in turn.reply
    assert "pizza" not in run(cabin.advance(400)).reply
    assert "pizza" in run(cabin.advance(30)).reply


def test_taking_off_all_that_is_left_ends_the_timer_now(cabin: Assistant) -> None:
    turn = say(cabin, "adjust_timer minutes=-20 label=pizza")
    assert turn.outcome == "done"
    assert "up now" in turn.reply
    assert run(cabin.read(TIMERS)) == ["10 min"]


def test_more_time_than_a_timer_may_run_is_refused(cabin: Assistant) -> None:
    turn = say(cabin, "adjust_timer minutes=20000 label=pizza")
    assert turn.outcome != "done"
    assert "7 days" in turn.reply


def test_the_status_lists_every_timer_and_acts_on_nothing(cabin: Assistant) -> None:
    run(cabin.advance(30))
    turn = say(cabin, "timer_status")
    assert turn.outcome == "answered"
    assert turn.changes == ()
    assert "2 timers" in turn.reply
    assert "pizza with 4 min 30 s left" in turn.reply
    assert "9 min 30 s left" in turn.reply


def test_the_status_of_one_timer_in_chinese(direct_assistant: DirectAssistant) -> None:
    assistant = direct_assistant()
    say(assistant, "set_timer minutes=5 label=意面")
    run(assistant.advance(30))
    turn = say(assistant, "timer_status label=意面")
    assert turn.reply.rstrip("。") == "意面计时器还剩4分30秒"


@pytest.mark.parametrize(
    ("call", "said"),
    [
        ("pause_timer", "no timer"),
        ("resume_timer", "no timer"),
        ("adjust_timer minutes=5", "no timer"),
        ("timer_status", "no timer"),
        ("cancel_automation kind=timer", "nothing to cancel"),
    ],
    ids=["pause", "resume", "adjust", "status", "cancel"],
)
def test_with_no_timer_each_tool_says_so(
    direct_assistant: DirectAssistant, call: str, said: str
) -> None:
    turn = say(direct_assistant(), call)
    assert turn.outcome == "answered"
    assert said in turn.reply.lower()


@pytest.mark.parametrize(
    "call", ["pause_timer", "resume_timer", "adjust_timer minutes=5", "timer_status"]
)
def test_no_timer_by_that_name_is_said_by_name(cabin: Assistant, call: str) -> None:
    turn = say(cabin, f"{call} label=soup")
    assert turn.outcome == "answered"
    assert "no timer called soup" in turn.reply.lower()
    assert run(cabin.read(TIMERS)) == ["pizza", "10 min"]


def test_cancel_by_name_leaves_the_others(cabin: Assistant) -> None:
    turn = say(cabin, "cancel_automation kind=timer label=pizza")
    assert turn.outcome == "done"
    assert "pizza" in turn.reply
    assert run(cabin.read(TIMERS)) == ["10 min"]
    missing = say(cabin, "cancel_automation kind=timer label=soup")
    assert missing.outcome == "answered"
    assert run(cabin.read(TIMERS)) == ["10 min"]


def test_cancel_every_timer(cabin: Assistant) -> None:
    say(cabin, "add_reminder text=stretch minutes=20")
    turn = say(cabin, "cancel_automation kind=timer every=true")
    assert turn.outcome == "done"
    assert "2" in turn.reply
    assert run(cabin.read(TIMERS)) == []
    assert run(cabin.read("Cockpit.Reminders")) == ["stretch"]
