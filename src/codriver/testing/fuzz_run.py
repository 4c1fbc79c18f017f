"""Playing fuzz sessions and judging every turn; replaying a case and shrinking it to a minimal
reproducer (fewest steps, smallest starting state that still break the same invariant the same
way)."""

from __future__ import annotations

import asyncio
import json
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from codriver.testing.fuzz_checks import SLOW_S, Context, Violation, judge
from codriver.testing.fuzz_drive import Drive, Turn, shared
from codriver.testing.fuzz_gen import Corpus, generate
from codriver.testing.fuzz_steps import Session, Start, Step, step_to_json

HANG_S = 20.0
"""A turn still running after this long is given up as hung (and counts as a slow turn)."""
EXAMPLES_PER_SIGNATURE = 2
_BUCKETS_MS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


class _Hung(BaseException):
    """Raised into a turn that ran past :data:`HANG_S` (a BaseException: no ``except
    Exception`` in the code under test may swallow it)."""


@dataclass(frozen=True, slots=True)
class Found:
    """A violation at step ``step`` (0-based) of session ``session``."""

    violation: Violation
    session: int
    step: int


@dataclass
class Tally:
    """What a run (or a part of one) found and measured."""

    turns: int = 0
    sessions: int = 0
    input_errors: int = 0
    unconfirmed_slow: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    signatures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Found]] = field(default_factory=dict)
    latency: Counter[int] = field(default_factory=Counter)
    """Turns per latency bucket (the bucket's upper bound in ms; 0 for over a second)."""
    slowest_ms: float = 0.0
    slowest: str = ""
    """The slowest turn's step, as data."""
    cpu_s: float = 0.0
    """Processor time spent, summed over the processes."""

    def add(self, other: Tally) -> None:
        self.turns += other.turns
        self.sessions += other.sessions
        self.input_errors += other.input_errors
        self.unconfirmed_slow += other.unconfirmed_slow
        self.counts.update(other.counts)
        self.signatures.update(other.signatures)
        self.latency.update(other.latency)
        self.cpu_s += other.cpu_s
        if other.slowest_ms > self.slowest_ms:
            self.slowest_ms, self.slowest = other.slowest_ms, other.slowest
        for signature, found in other.examples.items():
            kept = self.examples.setdefault(signature, [])
            kept.extend(found[: EXAMPLES_PER_SIGNATURE - len(kept)])

    def record(self, found: Found) -> None:
        self.counts[found.violation.invariant] += 1
        self.signatures[found.violation.signature] += 1
        kept = self.examples.setdefault(found.violation.signature, [])
        if len(kept) < EXAMPLES_PER_SIGNATURE:
            kept.append(found)

    def time(self, seconds: float, step: Step) -> None:
        ms = seconds * 1000
        if ms > self.slowest_ms:
            self.slowest_ms, self.slowest = ms, json.dumps(step_to_json(step))[:300]
        self.latency[next((b for b in _BUCKETS_MS if ms < b), 0)] += 1


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt a turn that runs past ``seconds`` (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def hung(signum: int, frame: object) -> None:
        raise _Hung

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


async def play_session(session: Session, tally: Tally) -> None:
    """Play ``session`` and judge every turn into ``tally``; a crash or hang ends the session."""
    drive = await Drive.begin(session.start)
    ctx = Context(shared().profile.catalog)
    tally.sessions += 1
    for number, step in enumerate(session.steps):
        try:
            with _deadline(HANG_S):
                turn = await drive.play(step)
        except _Hung:
            v = Violation("slow-turn", "slow-turn|hung", f"still running after {HANG_S:.0f} s")
            tally.turns += 1
            tally.record(Found(v, session.index, number))
            return
        tally.turns += 1
        tally.time(turn.seconds, step)
        tally.input_errors += turn.outcome == "input-error"
        for violation in judge(turn, ctx):
            if violation.invariant == "slow-turn" and not await _slow_again(session, number):
                tally.unconfirmed_slow += 1
                continue
            tally.record(Found(violation, session.index, number))
        if turn.outcome == "crash":
            return


async def _slow_again(session: Session, number: int) -> bool:
    """Whether step ``number`` is slow again when the session is replayed up to it alone (a
    busy machine can stall any one turn; a slow input is slow every time)."""
    turns = await replay(session.start, session.steps[: number + 1])
    return bool(turns) and turns[-1].seconds > SLOW_S


def play_chunk(seed: int, indices: Sequence[int], corpus: Corpus) -> Tally:
    """Generate and play sessions ``indices`` of the run seeded ``seed``."""
    tally = Tally()
    tools = shared().tools
    cpu = time.process_time()

    async def go() -> None:
        for index in indices:
            await play_session(generate(seed, index, corpus, tools), tally)

    asyncio.run(go())
    tally.cpu_s = time.process_time() - cpu
    return tally


# -- replaying and shrinking ------------------------------------------------------------------


async def replay(start: Start, steps: Sequence[Step]) -> list[Turn]:
    """Play ``steps`` on a fresh assistant (a crash ends the replay)."""
    drive = await Drive.begin(start)
    for step in steps:
        with _deadline(HANG_S):
            turn = await drive.play(step)
        if turn.outcome == "crash":
            break
    return drive.turns


async def last_violations(start: Start, steps: Sequence[Step]) -> list[Violation]:
    """The violations of the last step when ``steps`` are replayed from ``start``."""
    ctx = Context(shared().profile.catalog)
    found: list[Violation] = []
    try:
        turns = await replay(start, steps)
    except _Hung:
        return [Violation("slow-turn", "slow-turn|hung", f"still running after {HANG_S:.0f} s")]
    for number, turn in enumerate(turns):
        found = judge(turn, ctx)
        if number < len(steps) - 1 and turn.outcome == "crash":
            return []
    return found if len(turns) == len(steps) else []


async def shrink(
    start: Start, steps: Sequence[Step], signature: str, budget_s: float = 30.0
) -> tuple[Start, tuple[Step, ...], bool]:
    """The fewest steps (and the smallest start) that still end in ``signature``; whether the
    case reproduced at all."""
    deadline = time.monotonic() + budget_s

    async def holds(s: Start, st: Sequence[Step]) -> bool:
        return any(v.signature == signature for v in await last_violations(s, st))

    if not await holds(start, steps):
        return start, tuple(steps), False
    last, kept = steps[-1], list(steps[:-1])
    size = max(1, len(kept) // 2)
    while size >= 1 and time.monotonic() < deadline:
        i, removed = 0, False
        while i < len(kept) and time.monotonic() < deadline:
            trial = kept[:i] + kept[i + size :]
            if await holds(start, [*trial, last]):
                kept, removed = trial, True
            else:
                i += size
        if not removed:
            size //= 2
    for item in [*start.given, *start.unknown]:
        smaller = replace(
            start,
            given=tuple(g for g in start.given if g != item),
            unknown=tuple(u for u in start.unknown if u != item),
        )
        if time.monotonic() < deadline and await holds(smaller, [*kept, last]):
            start = smaller
    return start, (*kept, last), True
