"""The service's cabins: opening and closing them, and every operation on one as a turn — hold
the cabin, bring this process's copy up to date, apply the input, store it, then answer and
send its events. Copies are kept in memory up to a limit and rebuilt from the store on demand."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, cast

from codriver.assistant import Assistant, TurnResult
from codriver.errors import CatalogError, InputError
from codriver.server.cabin import Cabin, Outbox
from codriver.server.clockwork import Clockwork, time_entries
from codriver.server.config import ServerConfig
from codriver.server.events import Event, EventStream, JsonObject, Subscriber
from codriver.server.problems import UnknownCabin
from codriver.server.route import route_summary
from codriver.server.store.base import Commit, Hold, Store, lay
from codriver.server.store.log import INPUTS, Entry, Json, Opening, Summary
from codriver.server.store.memory import MemoryStore
from codriver.server.store.replay import VisionPublish, apply, catch_up, check_of
from codriver.text import Lang
from codriver.vehicle.catalog import Value

if TYPE_CHECKING:
    from codriver.services.profiles import Profile
    from codriver.vision.events import VisionEvent
    from codriver.vision.observation import FrameObservation

LANGUAGE = "Vehicle.Cabin.Infotainment.HMI.CurrentLanguage"
_LOCALES: dict[Lang, str] = {"en": "en-US", "zh": "zh-CN"}
log = logging.getLogger("uvicorn.error")


@dataclass(eq=False)
class Slot:
    """A cabin id this process deals with: its lock, its listeners, its copy if it has one."""

    id: str
    stream: EventStream
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    cabin: Cabin | None = None


@dataclass(eq=False)
class Turn:
    """One hold on a cabin: the entries it logs and what runs once they are stored."""

    cabin: Cabin
    wall: float
    logged: list[Entry] = field(default_factory=list)
    then: list[Callable[[int], None]] = field(default_factory=list)

    async def run(self, entry: Entry, publish: VisionPublish | None = None) -> object:
        """Apply an input and log it (not when it is refused: InputError changes nothing)."""
        done = await apply(self.cabin, entry, publish)
        timed = entry.op in ("tick", "jump")
        self.logged.append(entry if timed else replace(entry, check=check_of(done)))
        return done


class Cabins:
    """Every cabin of the service, each on its own assistant, car and clock: nothing is shared."""

    def __init__(
        self,
        config: ServerConfig,
        make_assistant: Callable[[], Assistant] = Assistant,
        store: Store | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.store: Store = store if store is not None else MemoryStore()
        self.wall = wall
        self.diverged = 0
        self._make = make_assistant
        self._slots: OrderedDict[str, Slot] = OrderedDict()
        self.clockwork = Clockwork(self)

    def build_with(self, make_assistant: Callable[[], Assistant]) -> None:
        """Build the cabins opened from now on with ``make_assistant`` (apps mounted, say)."""
        self._make = make_assistant

    def __iter__(self) -> Iterator[Cabin]:
        """The cabins this process holds in memory."""
        return iter([s.cabin for s in list(self._slots.values()) if s.cabin is not None])

    def __len__(self) -> int:
        return sum(1 for s in self._slots.values() if s.cabin is not None)

    async def start(self) -> None:
        await self.store.start(self)
        self.clockwork.start()

    async def count(self) -> int:
        return await self.store.count()

    # -- opening and closing ---------------------------------------------------------------

    async def open(
        self,
        cabin_id: str | None = None,
        name: str = "",
        given: Mapping[str, Value] | None = None,
        lang: Lang | None = None,
    ) -> Cabin:
        """A new cabin in the car's default state, then ``given``; bad values raise InputError."""
        scale = 1.0 if self.config.tick_seconds is not None else 0.0
        opening = Opening(
            cabin_id or secrets.token_hex(4), name, dict(given or {}), lang, scale, self.wall()
        )
        cabin = await self.build(opening)  # refuses bad values before anything is stored
        slot = self._slots.get(opening.id) or Slot(opening.id, EventStream(self.config.queue_size))
        async with slot.lock:
            await self.store.create(opening, summary(cabin), self.config.max_cabins)
            slot.cabin = cabin
            self._slots[opening.id] = slot
        self._evict()
        return cabin

    async def build(self, opening: Opening) -> Cabin:
        """A cabin as it was opened, before any entry of its log."""
        assistant = self._make()
        preset = dict(opening.given)
        if opening.lang is not None:
            preset.setdefault(LANGUAGE, _LOCALES[opening.lang])
        await assistant.preset(preset)
        cabin = Cabin(opening.id, assistant, opening.name, opening.scale)
        cabin.upto = opening.created
        return cabin

    async def close(self, cabin_id: str, reason: str = "closed") -> None:
        """Close a cabin after its turn in progress, if any; its subscribers get ``closed``."""
        slot = self._slot(cabin_id)
        async with slot.lock:
            if not await self.store.delete(cabin_id, reason):
                self._forget(slot)
                raise UnknownCabin(f"no cabin {cabin_id!r}")
            self.closed(cabin_id, reason)

    # -- turns -----------------------------------------------------------------------------

    async def say(self, cabin_id: str, text: str, seat: str, gaze: str | None) -> TurnResult:
        entry = Entry("say", {"text": text, "seat": seat, "gaze": gaze})
        return cast(TurnResult, await self.do(cabin_id, entry))

    async def answer(self, cabin_id: str, accept: bool) -> TurnResult:
        return cast(TurnResult, await self.do(cabin_id, Entry("answer", {"accept": accept})))

    async def feed(self, cabin_id: str, values: Mapping[str, Value]) -> TurnResult:
        entry = Entry("feed", {"values": cast(dict[str, Json], dict(values))})
        return cast(TurnResult, await self.do(cabin_id, entry))

    async def advance(self, cabin_id: str, seconds: float) -> TurnResult:
        return cast(TurnResult, await self.do(cabin_id, Entry("advance", {"seconds": seconds})))

    async def set_scale(self, cabin_id: str, scale: float) -> Cabin:
        async with self.turn(cabin_id) as turn:
            await turn.run(Entry("scale", {"scale": scale, "upto": turn.wall}))
            return turn.cabin

    async def remember(
        self, cabin_id: str, seat: str, values: Mapping[str, Json]
    ) -> Profile | None:
        entry = Entry("profile", {"seat": seat, "values": dict(values)})
        return cast("Profile | None", await self.do(cabin_id, entry))

    async def see(
        self, cabin_id: str, frames: Sequence[FrameObservation], publish: VisionPublish
    ) -> list[VisionEvent]:
        from codriver.server.store.frames import frames_to_json

        entry = Entry("see", {"frames": frames_to_json(frames)})
        return cast("list[VisionEvent]", await self.do(cabin_id, entry, publish))

    async def do(self, cabin_id: str, entry: Entry, publish: VisionPublish | None = None) -> object:
        """One input on a cabin, stored before it is answered."""
        async with self.turn(cabin_id) as turn:
            return await turn.run(entry, publish)

    @asynccontextmanager
    async def reading(self, cabin_id: str) -> AsyncIterator[Cabin]:
        """The cabin up to date (its clock too), to read from while nothing else runs on it."""
        async with self.turn(cabin_id) as turn:
            yield turn.cabin

    @asynccontextmanager
    async def turn(self, cabin_id: str) -> AsyncIterator[Turn]:
        """Hold a cabin, bring its copy up to date and its clock up to now; store what the turn
        logged (an input refused with InputError is not, the clock's catching up still is)."""
        slot = self._slot(cabin_id)
        async with slot.lock:
            try:
                hold = await self.store.hold(
                    cabin_id, None if slot.cabin is None else slot.cabin.tail
                )
            except UnknownCabin:
                self._forget(slot)
                raise
            stored = False
            try:
                turn = Turn(await self._ready(slot, hold), self.wall())
                turn.cabin.outbox = Outbox() if hold.watched or slot.stream.listening else None
                for entry in time_entries(turn.cabin, turn.wall, self.config.tick_seconds):
                    await turn.run(entry)
                refused: InputError | CatalogError | None = None
                try:
                    yield turn
                except (InputError, CatalogError) as exc:  # refused: nothing changed
                    refused = exc
                await self._store(slot, hold, turn)
                stored = True
                if refused is not None:
                    raise refused
            finally:
                if not stored:  # the copy may hold what the log does not: rebuild it next time
                    slot.cabin = None
                    await self.store.release(hold)
        self._evict()

    async def _ready(self, slot: Slot, hold: Hold) -> Cabin:
        if hold.opening is not None:
            slot.cabin = await self.build(hold.opening)
        cabin = slot.cabin
        if cabin is None:  # pragma: no cover - a store without the copy's opening
            raise UnknownCabin(f"no cabin {slot.id!r}")
        cabin.outbox = None
        self.diverged += await catch_up(cabin, hold.entries, hold.start)
        return cabin

    async def _store(self, slot: Slot, hold: Hold, turn: Turn) -> None:
        cabin = turn.cabin
        outbox, cabin.outbox = cabin.outbox, None
        if not turn.logged:
            await self.store.release(hold)
        else:
            written = lay(cabin.tail, cabin.last, turn.logged)
            active = turn.wall if any(e.op in INPUTS for e in turn.logged) else None
            events = tuple(outbox.events) if outbox is not None else ()
            commit = Commit(
                slot.id,
                cabin.tail.version,
                written.tail.version,
                written.grown,
                written.added,
                summary(cabin),
                active,
                events,
            )
            await self.store.commit(hold, commit)
            cabin.tail, cabin.last = written.tail, written.last
        for then in turn.then:
            then(cabin.tail.version)

    # -- streams ---------------------------------------------------------------------------

    async def watch(self, cabin_id: str) -> tuple[str, Subscriber, EventStream]:
        """A new listener: the ``hello`` that draws the cabin, then every event after it."""
        slot = self._slot(cabin_id)
        await self.store.watch(cabin_id)
        joined: list[Subscriber] = []
        try:
            async with self.turn(cabin_id) as turn:
                first = json.dumps(await hello(turn.cabin, slot.stream), ensure_ascii=False)
                turn.then.append(lambda version: joined.append(slot.stream.subscribe(version)))
        except BaseException:
            if not slot.stream.listening:
                await self.store.unwatch(cabin_id)
            raise
        return first, joined[0], slot.stream

    async def unwatch(self, cabin_id: str, stream: EventStream, subscriber: Subscriber) -> None:
        stream.unsubscribe(subscriber)
        if not stream.listening:
            await self.store.unwatch(cabin_id)

    def deliver(self, cabin_id: str, version: int, events: Sequence[Event]) -> None:
        """Events of a stored turn (of this worker or another) for this process's listeners."""
        slot = self._slots.get(cabin_id)
        if slot is not None:
            slot.stream.publish_all(version, events)

    def closed(self, cabin_id: str, reason: str) -> None:
        """The cabin was deleted (here or on another worker): end its streams, drop the copy."""
        slot = self._slots.pop(cabin_id, None)
        if slot is not None:
            at = slot.cabin.now if slot.cabin is not None else 0.0
            slot.stream.close(reason, at)
            slot.cabin = None

    def stream(self, cabin_id: str) -> EventStream | None:
        slot = self._slots.get(cabin_id)
        return None if slot is None else slot.stream

    def copy(self, cabin_id: str) -> Cabin | None:
        """This process's copy of a cabin, if it holds one (not necessarily up to date)."""
        slot = self._slots.get(cabin_id)
        return None if slot is None else slot.cabin

    def watched(self) -> list[str]:
        """Cabins with listeners in this process."""
        return [s.id for s in list(self._slots.values()) if s.stream.listening]

    # -- listing ---------------------------------------------------------------------------

    async def listing(self) -> list[JsonObject]:
        """Every stored cabin as listed: the live copy where this process has one."""
        shown: list[JsonObject] = []
        for kept in await self.store.summaries():
            slot = self._slots.get(kept.id)
            if slot is not None and slot.cabin is not None and not self.store.shared:
                shown.append(info(slot.cabin, slot.stream))
            else:  # on a shared store this process's copy may be behind the summary
                listeners = slot.stream.listeners if slot is not None else 0
                shown.append(_listed(kept) | {"listeners": listeners})
        return shown

    # -- memory ----------------------------------------------------------------------------

    def _slot(self, cabin_id: str) -> Slot:
        slot = self._slots.get(cabin_id)
        if slot is None:
            slot = self._slots[cabin_id] = Slot(cabin_id, EventStream(self.config.queue_size))
        self._slots.move_to_end(cabin_id)
        return slot

    def _forget(self, slot: Slot) -> None:
        if not slot.stream.listening and not slot.lock.locked() and slot.cabin is None:
            self._slots.pop(slot.id, None)

    def _evict(self) -> None:
        """Let the least recently used copies go beyond ``max_resident`` (never one in use)."""
        over = len(self) - self.config.max_resident
        for slot in list(self._slots.values()):
            if over <= 0:
                break
            if slot.cabin is not None and not slot.lock.locked() and not slot.stream.listening:
                slot.cabin = None
                self._forget(slot)
                over -= 1

    async def shutdown(self) -> None:
        """Stop the clocks, wait for every turn in progress, then end every event stream."""
        await self.clockwork.stop()
        for slot in list(self._slots.values()):
            async with slot.lock:
                slot.stream.close("shutdown", slot.cabin.now if slot.cabin is not None else 0.0)
        await self.store.close()


def summary(cabin: Cabin) -> Summary:
    return Summary(cabin.id, cabin.name, cabin.turns, cabin.now, cabin.clock_scale)


async def hello(cabin: Cabin, stream: EventStream) -> JsonObject:
    """What a new subscriber needs to draw the cabin: its state, clock, route, open question and
    transcript; call it while holding the cabin so no event falls between it and the stream."""
    state = await cabin.assistant.snapshot()
    return {
        "seq": stream.seq,
        "type": "hello",
        "at": cabin.now,
        "cabin": info(cabin, stream),
        "state": state,
        "clock": {"now": cabin.now, "scale": cabin.clock_scale},
        "route": await route_summary(cabin.assistant),
        "pending": None if cabin.pending is None else cabin.pending.to_dict(),
        "transcript": list(cabin.transcript),
    }


def info(cabin: Cabin, stream: EventStream | None = None) -> JsonObject:
    """A cabin as listed."""
    return {
        "id": cabin.id,
        "name": cabin.name,
        "turns": cabin.turns,
        "now": cabin.now,
        "clock_scale": cabin.clock_scale,
        "listeners": stream.listeners if stream is not None else 0,
    }


def _listed(kept: Summary) -> JsonObject:
    return {
        "id": kept.id,
        "name": kept.name,
        "turns": kept.turns,
        "now": kept.now,
        "clock_scale": kept.scale,
        "listeners": 0,
    }
