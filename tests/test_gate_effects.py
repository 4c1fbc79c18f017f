"""The gate judges effects, not tool names: what the car does in turn (a door that unlocks as it
opens), the readings a tool reports and the assistant's own state pass the same policy."""

from __future__ import annotations

import asyncio

import pytest

from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.safety import ProposedAction, SafetyPolicy, Write
from codriver.testing import offline_assistant
from codriver.vehicle import VehicleProfile
from codriver.vehicle.couplings import consequences

DRIVER_DOOR = "Vehicle.Cabin.Door.Row1.DriverSide"
TRUNK = "Vehicle.Body.Trunk.Rear"
LOCKED = {f"{DRIVER_DOOR}.IsLocked": True, f"{TRUNK}.IsLocked": True}
REMOTE = Caller(source="remote", scopes=frozenset({"read", "cabin"}))


def run(given: dict[str, object], call: ToolCall, caller: Caller) -> tuple[str, dict[str, object]]:
    async def go() -> tuple[str, dict[str, object]]:
        assistant = offline_assistant(given=given)  # type: ignore[arg-type]
        (result,) = await assistant.executor.run([call], caller)
        return result.status, dict(await assistant.snapshot())

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("call", "lock"),
    [
        (ToolCall("set_door", {"open": True, "door": "driver"}), f"{DRIVER_DOOR}.IsLocked"),
        (ToolCall("set_trunk", {"open": True}), f"{TRUNK}.IsLocked"),
    ],
    ids=["door", "trunk"],
)
def test_a_remote_client_cannot_unlock_by_opening(call: ToolCall, lock: str) -> None:
    """Opening a locked door unlocks it in the car: for a remote client that is unlocking."""
    status, after = run(LOCKED, call, REMOTE)
    assert status == "refused"
    assert after[lock] is True


def test_an_occupant_may_open_a_locked_door_when_parked() -> None:
    status, after = run(LOCKED, ToolCall("set_door", {"open": True, "door": "driver"}), Caller())
    assert status == "done"
    assert after[f"{DRIVER_DOOR}.IsOpen"] is True
    assert after[f"{DRIVER_DOOR}.IsLocked"] is False


def test_consequences_follow_the_writes_in_order() -> None:
    state = {f"{DRIVER_DOOR}.IsLocked": True, f"{DRIVER_DOOR}.Position": 0}
    follows = consequences([(f"{DRIVER_DOOR}.IsOpen", True)], state)
    assert follows == {f"{DRIVER_DOOR}.Position": 100, f"{DRIVER_DOOR}.IsLocked": False}
    assert consequences([(f"{DRIVER_DOOR}.IsLocked", True)], state) == {}


@pytest.fixture(scope="module")
def policy() -> SafetyPolicy:
    return SafetyPolicy(VehicleProfile.load().catalog)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("Cockpit.Phone.Callz", "x"),
        ("Cockpit.Navigation.Destination", 5),
        ("Cockpit.Reminders", "not a list"),
        ("Cockpit.Media.Video", "ceiling"),
    ],
    ids=["unknown", "type", "list", "not-allowed"],
)
def test_the_assistants_own_state_is_checked_too(
    policy: SafetyPolicy, path: str, value: object
) -> None:
    action = ProposedAction("anything", writes=(Write(path, value),))  # type: ignore[arg-type]
    verdict = policy.check(action, {})
    assert verdict.decision == "refuse"


def test_a_consequence_out_of_range_is_refused(policy: SafetyPolicy) -> None:
    """A reading a tool reports back is checked against the catalog like a write."""
    bad = Write("Vehicle.Cabin.Infotainment.Media.Volume", 400)
    verdict = policy.check(ProposedAction("play_media", consequences=(bad,)), {})
    assert verdict.decision == "refuse"


def test_a_sensor_consequence_is_no_command(policy: SafetyPolicy) -> None:
    """The car moving a sensor in turn is not refused as a write to a read-only signal."""
    follows = Write("Vehicle.Cabin.Sunroof.Position", 100)
    verdict = policy.check(ProposedAction("set_sunroof", consequences=(follows,)), {})
    assert verdict.allowed


def _moving_turn(calls: list[ToolCall], given: dict[str, object]) -> list[str]:
    async def go() -> list[str]:
        assistant = offline_assistant()
        await assistant.preset({"Vehicle.Speed": 60, **given})  # type: ignore[dict-item]
        results = await assistant.executor.run(calls, Caller())
        return [r.status for r in results]

    return asyncio.run(go())


@pytest.mark.parametrize(
    "call",
    [
        ToolCall("play_video", {"title": "Up", "screen": "front"}),
        ToolCall("play_media", {"query": "the new Bond movie"}),
        ToolCall("play_media", {"query": "来部电影"}),
    ],
    ids=["play_video", "movie-as-media", "电影"],
)
def test_video_on_the_front_screen_is_judged_by_what_it_shows(call: ToolCall) -> None:
    assert _moving_turn([call], {}) == ["refused"]


def test_video_on_a_rear_screen_plays_while_moving() -> None:
    assert _moving_turn([ToolCall("play_video", {"title": "Up", "screen": "rear"})], {}) == ["done"]


def test_resuming_a_paused_front_screen_video_while_moving_is_refused() -> None:
    paused = {"Cockpit.Media.Video": "center", "Cockpit.Media.Query": "Up"}
    assert _moving_turn([ToolCall("control_playback", {"action": "PLAY"})], paused) == ["refused"]
