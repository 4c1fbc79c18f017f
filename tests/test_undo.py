"""Undo puts back only what the assistant itself changed, from its own journal: no caller can write
arbitrary paths through it, and what it writes passes the gate as the caller's."""

from __future__ import annotations

import asyncio

import pytest

from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.testing import offline_assistant

TEMP = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
CALL = "Cockpit.Phone.Call"
REMOTE = Caller(source="remote", scopes=frozenset({"read", "cabin"}))
SIDES = ("DriverSide", "PassengerSide")
REMOTE_CABIN = Caller(source="remote", scopes=frozenset({"cabin"}), grants=frozenset({"cabin"}))


@pytest.mark.parametrize(
    "call",
    [
        ToolCall("restore_signals", {"values": {CALL: "+1 900 555 0100"}}),
        ToolCall("undo_last_change", {"values": {CALL: "+1 900 555 0100"}}),
        ToolCall(
            "undo_last_change", {"values": {"Vehicle.Cabin.Door.Row1.DriverSide.IsLocked": 0}}
        ),
    ],
    ids=["old-tool", "values-smuggled", "unlock-smuggled"],
)
@pytest.mark.parametrize("caller", [REMOTE, Caller(source="llm")], ids=["remote", "llm"])
def test_no_caller_writes_arbitrary_paths_through_undo(call: ToolCall, caller: Caller) -> None:
    async def go() -> None:
        assistant = offline_assistant()
        before = await assistant.snapshot()
        results = await assistant.executor.run([call], caller)
        assert not any(r.changes for r in results)
        assert await assistant.snapshot() == before

    asyncio.run(go())


def test_undo_puts_back_the_last_acting_turn_only() -> None:
    async def go() -> None:
        assistant = offline_assistant()
        await assistant.say("set the temperature to 25")
        await assistant.say("what's the temperature?")
        assert await assistant.read(TEMP) == 25
        turn = await assistant.say("undo that")
        assert turn.outcome == "done"
        assert await assistant.read(TEMP) == 22

    asyncio.run(go())


def test_undo_with_nothing_done_changes_nothing() -> None:
    async def go() -> None:
        assistant = offline_assistant()
        before = await assistant.snapshot()
        (result,) = await assistant.executor.run([ToolCall("undo_last_change", {})], Caller())
        assert result.status == "answered"
        assert await assistant.snapshot() == before

    asyncio.run(go())


def test_undoing_an_unlock_remotely_is_judged_as_unlocking() -> None:
    """The occupant locked the car; a remote client's undo would unlock it: refused."""

    async def go() -> None:
        doors = [f"Vehicle.Cabin.Door.Row{r}.{s}.IsLocked" for r in (1, 2) for s in SIDES]
        assistant = offline_assistant(given=dict.fromkeys(doors, False))
        await assistant.say("lock all the doors")
        assert await assistant.read("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked") is True
        results = await assistant.executor.run([ToolCall("undo_last_change", {})], REMOTE)
        assert [r.status for r in results] == ["refused"]
        assert await assistant.read("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked") is True

    asyncio.run(go())


@pytest.mark.parametrize(
    ("said", "path"),
    [("play some jazz", "Vehicle.Cabin.Infotainment.Media.Action"), ("call mum", CALL)],
    ids=["media", "phone"],
)
def test_a_remote_undo_needs_the_grant_of_what_it_changes(said: str, path: str) -> None:
    """Undo is a cabin tool, but putting back a song or a call is media's or phone's change."""

    async def go() -> None:
        assistant = offline_assistant()
        await assistant.say(said)
        before = await assistant.read(path)
        results = await assistant.executor.run([ToolCall("undo_last_change", {})], REMOTE_CABIN)
        assert [r.status for r in results] == ["refused"]
        assert results[0].verdict is not None and results[0].verdict.rule == "not-granted"
        assert await assistant.read(path) == before

    asyncio.run(go())
