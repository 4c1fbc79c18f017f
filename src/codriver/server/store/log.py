"""What a cabin is made of, durably: its opening and the ordered log of inputs applied to it.

The on-device assistant on a simulated clock is deterministic, so a cabin is restored by
replaying its log into a fresh assistant (see :mod:`codriver.server.store.replay`). An entry is
one input as the service accepted it; a run of identical clock ticks is one entry with a count,
so a clock ticking for an hour adds one entry, not 3 600.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, cast

from codriver.assistant import TurnResult
from codriver.text import Lang
from codriver.vehicle.catalog import Value

Op = Literal["say", "answer", "feed", "advance", "tick", "jump", "scale", "see", "profile"]
"""say: an occupant spoke; answer: yes or no to what the assistant asked; feed: sensor
readings; advance: a fast-forward asked for; tick: the real-time clock moved one step; jump: the
clock caught up a longer pause at once; scale: the clock's speed changed; see: the cabin camera's
frame observations; profile: preferences remembered for a seat."""

Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]
INPUTS: frozenset[Op] = frozenset({"say", "answer", "feed", "advance", "scale", "see", "profile"})
"""Entries a client caused (they keep a cabin from expiring); ticks and jumps are time alone."""


@dataclass(frozen=True, slots=True)
class Opening:
    """How a cabin began: replaying its log starts from here."""

    id: str
    name: str
    given: Mapping[str, Value] = field(default_factory=dict)
    lang: Lang | None = None
    scale: float = 1.0
    created: float = 0.0
    """Real (Unix) time it was opened: its clock has followed real time from then."""

    def to_json(self) -> str:
        body = {
            "id": self.id,
            "name": self.name,
            "given": dict(self.given),
            "lang": self.lang,
            "scale": self.scale,
            "created": self.created,
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def from_json(text: str | bytes) -> Opening:
        raw = json.loads(text)
        return Opening(
            id=str(raw["id"]),
            name=str(raw["name"]),
            given=dict(raw["given"]),
            lang=cast(Lang | None, raw["lang"]),
            scale=float(raw["scale"]),
            created=float(raw["created"]),
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """One input applied to a cabin, or ``n`` identical clock ticks in a row."""

    op: Op
    args: Mapping[str, Json]
    check: str = ""
    """A digest of what the input did (see :func:`digest`): replay compares it, so a copy that
    would come out different (other code, a non-deterministic part) is noticed, not trusted."""
    n: int = 1

    def to_json(self) -> str:
        body: dict[str, Json] = {"op": self.op, "args": dict(self.args)}
        if self.check:
            body["check"] = self.check
        if self.n != 1:
            body["n"] = self.n
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def from_json(text: str | bytes) -> Entry:
        raw = json.loads(text)
        return Entry(cast(Op, raw["op"]), raw["args"], raw.get("check", ""), int(raw.get("n", 1)))

    def joins(self, later: Entry) -> bool:
        """Whether ``later`` extends this entry's run (the same tick again)."""
        return self.op == "tick" and later.op == "tick" and self.args == later.args

    def grown(self, by: int) -> Entry:
        return replace(self, n=self.n + by)


@dataclass(frozen=True, slots=True)
class Tail:
    """How far a copy of a cabin has read its log: ``entries`` entries, of which the last had
    ``last_n`` ops (it may since have grown), ``version`` ops in all."""

    entries: int = 0
    last_n: int = 0
    version: int = 0


@dataclass(frozen=True, slots=True)
class Summary:
    """What a list of cabins shows without loading them."""

    id: str
    name: str
    turns: int
    now: float
    scale: float

    def to_json(self) -> str:
        return json.dumps(
            {"name": self.name, "turns": self.turns, "now": self.now, "scale": self.scale},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @staticmethod
    def from_json(cabin_id: str, text: str | bytes) -> Summary:
        raw = json.loads(text)
        return Summary(cabin_id, raw["name"], raw["turns"], raw["now"], raw["scale"])


def digest(result: TurnResult) -> str:
    """What a turn did, in 12 hex digits: its outcome, reply and every signal's new value."""
    done = [result.outcome, result.reply, [[c.path, c.new] for c in result.changes]]
    text = json.dumps(done, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
