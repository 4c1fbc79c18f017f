"""Applying log entries to a cabin: the same code runs a client's input the first time and
replays it when a cabin is restored, so the two cannot drift apart."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from codriver.assistant import TurnResult
from codriver.server.store.log import Entry, Tail, digest
from codriver.vehicle.catalog import Value

if TYPE_CHECKING:
    from codriver.server.cabin import Cabin, Publisher
    from codriver.vision.events import VisionEvent

log = logging.getLogger("uvicorn.error")
YIELD_EVERY = 16
VisionPublish = Callable[["Publisher", float, "VisionEvent"], None]


async def apply(cabin: Cabin, entry: Entry, publish: VisionPublish | None = None) -> object:
    """Carry out one input (one op of a run of ticks); what it did, for the caller."""
    a: Mapping[str, Any] = entry.args
    match entry.op:
        case "say":
            return await cabin.say(a["text"], a["seat"], a["gaze"])
        case "answer":
            return await cabin.answer(bool(a["accept"]))
        case "feed":
            return await cabin.feed(cast(dict[str, Value], a["values"]))
        case "advance":
            return await cabin.advance(float(a["seconds"]))
        case "tick" | "jump":
            return await cabin.follow(float(a["seconds"]), float(a["real"]))
        case "scale":
            cabin.set_scale(float(a["scale"]), float(a["upto"]))
            return None
        case "see":
            from codriver.server.store.frames import frames_from_json

            frames = frames_from_json(a["frames"])
            return await cabin.see(frames, publish or _unseen)
        case "profile":
            return cabin.remember(str(a["seat"]), a["values"])
    raise ValueError(f"unknown op {entry.op!r}")  # pragma: no cover - Op is closed


def check_of(done: object) -> str:
    """The digest an entry keeps of what it did (a turn's outcome, else its whole value)."""
    if isinstance(done, TurnResult):
        return digest(done)
    return hashlib.blake2b(repr(_plain(done)).encode(), digest_size=6).hexdigest()


def _plain(value: object) -> object:
    """A value without how long things took (turns inside vision events carry timings)."""
    if isinstance(value, TurnResult):
        return digest(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return [type(value).__name__, *(_plain(getattr(value, f.name)) for f in fields)]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


async def catch_up(cabin: Cabin, entries: Sequence[Entry], start: Tail) -> int:
    """Apply the entries a copy has not seen (the first may be its last entry, grown since);
    returns how many came out other than they did when first applied."""
    if not entries:
        return 0
    diverged = 0
    version = start.version
    for i, entry in enumerate(entries):
        times = entry.n - (start.last_n if i == 0 and start.entries else 0)
        done: object = None
        for _ in range(times):
            done = await apply(cabin, entry)
            version += 1
            if version % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # a long replay lets the other cabins' turns through
        if entry.check and times and check_of(done) != entry.check:
            diverged += 1
            log.warning("cabin %s: entry %d came out differently on replay", cabin.id, version)
    read = start.entries - 1 if start.entries else 0
    cabin.tail = Tail(read + len(entries), entries[-1].n, version)
    cabin.last = entries[-1]
    return diverged


def _unseen(out: Publisher, at: float, event: VisionEvent) -> None:
    """Replay publishes nothing."""
