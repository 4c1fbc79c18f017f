"""State that survives: a cabin rebuilt from its log is the cabin it was — the car, the dialogue
and its open question, rules, reminders, timers, clock, profiles, transcript — and goes on exactly
as the original does; refused input is not logged; the clock follows real time in logged steps;
idle cabins expire; copies beyond the memory limit are let go and rebuilt."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the [server] extra is not installed")

from codriver.errors import InputError
from codriver.server.cabin import Cabin
from codriver.server.cabins import Cabins
from codriver.server.config import ServerConfig
from codriver.server.store import MemoryStore, Store
from codriver.server.store.base import lay
from codriver.server.store.log import Entry, Tail
from codriver.server.vision_api import publish_vision
from codriver.vision.observation import FaceObservation, FrameObservation

START = 1_000_000.0
MOVING = {"Vehicle.Speed": 80}
RAIN = {"Vehicle.Body.Raindetection.Intensity": 60}


class Wall:
    """Real time as a test sets it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def service(store: Store, wall: Wall, **settings: Any) -> Cabins:
    config = ServerConfig(token="t", **{"tick_seconds": 1.0, **settings})
    return Cabins(config, store=store, wall=wall)


def frames(start: float, seconds: float, ear: float) -> list[FrameObservation]:
    face = FaceObservation((0.35, 0.2, 0.65, 0.6), ear, ear, 0.05, 0.0, 0.0, 0.0, 0.0, -5.0)
    return [FrameObservation(start + i / 10, 640, 480, (face,)) for i in range(int(seconds * 10))]


Script = Callable[[Cabins, Wall], Awaitable[None]]


async def english(cabins: Cabins, wall: Wall) -> None:
    await cabins.say("c", "when it rains, close the windows", "driver", None)
    await cabins.say("c", "open all the windows", "driver", None)
    await cabins.say("c", "remind me to call mom in 10 minutes", "driver", None)
    await cabins.say("c", "set a timer for 25 minutes", "passenger", None)
    await cabins.advance("c", 120)
    await cabins.remember("c", "driver", {"temperature": 19.5, "music": "jazz"})
    await cabins.feed("c", MOVING)
    await cabins.see("c", frames(0.0, 4.0, 0.3) + frames(4.0, 3.0, 0.05), publish_vision)
    wall.now += 5  # the clock follows: five ticks
    await cabins.say("c", "set the temperature to 23", "driver", None)
    await cabins.set_scale("c", 2)
    wall.now += 60  # a longer pause: one jump
    await cabins.say("c", "navigate to the airport", "driver", None)


async def chinese(cabins: Cabins, wall: Wall) -> None:
    await cabins.say("c", "下雨的时候关上车窗", "driver", None)
    await cabins.say("c", "把车窗都打开", "driver", None)
    await cabins.say("c", "十分钟后提醒我给妈妈打电话", "driver", None)
    await cabins.say("c", "帮我计时二十五分钟", "passenger", None)
    await cabins.advance("c", 120)
    await cabins.remember("c", "driver", {"temperature": 19.5, "music": "周杰伦"})
    await cabins.feed("c", MOVING)
    await cabins.see("c", frames(0.0, 4.0, 0.3) + frames(4.0, 3.0, 0.05), publish_vision)
    wall.now += 5
    await cabins.say("c", "温度调到23度", "driver", None)
    await cabins.set_scale("c", 2)
    wall.now += 60
    await cabins.say("c", "导航去机场", "driver", None)


async def portrait(cabins: Cabins, cabin_id: str) -> dict[str, Any]:
    """Everything a restored cabin must have kept, read the way clients and the engine do."""
    async with cabins.reading(cabin_id) as cabin:
        return portrait_of(cabin) | {"state": await cabin.assistant.snapshot()}


def portrait_of(cabin: Cabin) -> dict[str, Any]:
    assistant = cabin.assistant
    profiles = assistant.services.profiles
    return {
        "now": cabin.now,
        "scale": cabin.clock_scale,
        "upto": cabin.upto,
        "turns": cabin.turns,
        "pending": cabin.pending,
        "question": assistant.question,
        "transcript": list(cabin.transcript),
        "history": [(e.utterance, e.outcome) for e in assistant.history],
        "due": sorted(e.due for e in assistant.clock._queue if not e.cancelled),
        "profiles": None if profiles is None else dict(profiles.by_seat),
        "tail": cabin.tail,
    }


async def restored(script: Script) -> tuple[Cabins, Cabins, Wall]:
    """The cabin driven by ``script``, and a second service rebuilding it from a copy of the
    store (so that each can go on on its own)."""
    store, wall = MemoryStore(), Wall()
    first = service(store, wall)
    await first.open("c", lang="en")
    await script(first, wall)
    return first, service(copy.deepcopy(store), wall), wall


@pytest.mark.parametrize("script", [english, chinese], ids=["en", "zh"])
def test_a_restored_cabin_is_the_cabin_it_was(script: Script) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], int]:
        first, second, _ = await restored(script)
        return await portrait(first, "c"), await portrait(second, "c"), second.diverged

    original, copy, diverged = asyncio.run(scenario())
    assert copy == original
    assert diverged == 0
    assert original["pending"] is not None  # the airport asks which one
    assert len(original["state"]["Cockpit.Rules"]) == 1
    assert len(original["due"]) >= 2  # the reminder and the timer


@pytest.mark.parametrize("script", [english, chinese], ids=["en", "zh"])
def test_a_restored_cabin_goes_on_as_the_original(script: Script) -> None:
    async def go_on(cabins: Cabins) -> list[Any]:
        rain = await cabins.feed("c", RAIN)  # the rule closes the windows
        later = await cabins.advance("c", 30 * 60)  # the reminder and the timer fire
        answered = await cabins.answer("c", True)
        return [r.to_dict() | {"latency_ms": 0} for r in (rain, later, answered)]

    async def scenario() -> tuple[list[Any], list[Any]]:
        first, second, _ = await restored(script)
        return await go_on(first), await go_on(second)

    original, copy = asyncio.run(scenario())
    for turn in original + copy:
        turn["trace"] = None  # how long each stage took differs; what happened does not
    assert copy == original
    closed = [c for c in original[0]["changes"] if c["path"].endswith("Window.Position")]
    assert closed and all(c["new"] == 0 for c in closed)
    assert original[1]["reply"]


def test_a_refused_input_is_not_logged() -> None:
    async def scenario() -> tuple[int, int, bool]:
        store = MemoryStore()
        cabins = service(store, Wall(), tick_seconds=None)
        await cabins.open("c")
        await cabins.say("c", "open the sunroof", "driver", None)
        before = len(store.entries("c"))
        with pytest.raises(InputError):
            await cabins.say("c", "open the trunk", "roof", None)
        with pytest.raises(InputError):
            await cabins.feed("c", {"Vehicle.Cabin.Sunroof.Switch": "OPEN"})
        with pytest.raises(InputError):
            await cabins.answer("c", True)
        kept = cabins.copy("c") is not None
        return before, len(store.entries("c")), kept

    before, after, kept = asyncio.run(scenario())
    assert after == before == 1
    assert kept  # a refusal changed nothing, so the copy stays


def test_a_watched_clock_ticks_into_one_entry_per_run() -> None:
    async def scenario() -> tuple[list[Entry], float, float]:
        store, wall = MemoryStore(), Wall()
        cabins = service(store, wall)
        running, stopped = await cabins.open("run"), await cabins.open("stop")
        await cabins.set_scale("run", 60)
        await cabins.set_scale("stop", 0)
        for name in ("run", "stop"):
            await cabins.watch(name)
        for _ in range(7):
            wall.now += 1
            await cabins.clockwork.tick()
        return store.entries("run"), running.now, stopped.now

    log, running, stopped = asyncio.run(scenario())
    assert [(e.op, e.n) for e in log] == [("scale", 1), ("tick", 7)]
    assert running == 1_790_000_000 + 7 * 60
    assert stopped == 1_790_000_000


def test_a_sleeping_cabin_catches_up_in_one_jump() -> None:
    async def scenario() -> tuple[list[Entry], float]:
        store, wall = MemoryStore(), Wall()
        cabins = service(store, wall)
        await cabins.open("c")
        await cabins.say("c", "set a timer for 5 minutes", "driver", None)
        wall.now += 3 * 3600  # nobody watched for three hours
        async with cabins.reading("c") as cabin:
            now = cabin.now
        return store.entries("c"), now

    log, now = asyncio.run(scenario())
    assert [e.op for e in log] == ["say", "jump"]
    assert log[1].args == {"seconds": 3 * 3600.0, "real": 3 * 3600.0}
    assert now == 1_790_000_000 + 3 * 3600


def test_idle_cabins_expire_and_watched_ones_stay() -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        store, wall = MemoryStore(), Wall()
        cabins = service(store, wall, idle_expiry=600.0, tick_seconds=None)
        for name in ("idle", "busy", "watched"):
            await cabins.open(name)
        await cabins.watch("watched")
        wall.now += 500
        await cabins.say("busy", "open the sunroof", "driver", None)
        await cabins.clockwork.sweep()
        first = sorted(s.id for s in await store.summaries())
        wall.now += 200
        await cabins.clockwork.sweep()
        return first, sorted(s.id for s in await store.summaries())

    first, second = asyncio.run(scenario())
    assert first == ["busy", "idle", "watched"]
    assert second == ["busy", "watched"]


def test_copies_beyond_the_memory_limit_are_rebuilt_on_demand() -> None:
    async def scenario() -> tuple[list[Any], int]:
        cabins = service(MemoryStore(), Wall(), tick_seconds=None, max_resident=2)
        names = [f"c{n}" for n in range(5)]
        for n, name in enumerate(names):
            await cabins.open(name)
            await cabins.say(name, f"set the temperature to {18 + n}", "driver", None)
        temperatures = []
        for name in names:
            async with cabins.reading(name) as cabin:
                path = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
                temperatures.append(await cabin.assistant.read(path))
        return temperatures, len(cabins)

    temperatures, resident = asyncio.run(scenario())
    assert temperatures == [18, 19, 20, 21, 22]
    assert resident == 2


def test_a_tick_that_repeats_the_last_one_grows_its_run() -> None:
    tick = Entry("tick", {"seconds": 1.0, "real": 1.0})
    say = Entry("say", {"text": "hi", "seat": "driver", "gaze": None})
    written = lay(Tail(2, 3, 9), tick.grown(2), [tick, tick, say, tick])
    assert written.grown == tick.grown(4)
    assert [(e.op, e.n) for e in written.added] == [("say", 1), ("tick", 1)]
    assert written.tail == Tail(4, 1, 13)
