"""A fuzz harness for the assistant (issue 14, "How it is checked"): seeded sessions of garbled,
adversarial and third-party input, with the world changing between turns, played on real
assistants on the simulated car, every turn judged against the invariants in
:mod:`codriver.testing.fuzz_checks`.

::

    report = run(FuzzOptions(turns=50_000, seed=1, workers=2))
    report.violations        # {invariant: count}; 0 everywhere is the goal

Sessions are independent and reproducible from ``(seed, index)``, so the work spreads over
processes; each kind of violation found is shrunk to a minimal reproducer (the fewest steps and the
smallest starting state that still break it) in the shape of a drive scenario.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codriver.testing.fuzz_drive import shared
from codriver.testing.fuzz_gen import Corpus, generate, session_length
from codriver.testing.fuzz_run import Found, Tally, last_violations, play_chunk, replay, shrink
from codriver.testing.fuzz_steps import Start, Step, start_to_json, step_to_json

CHUNK_SESSIONS = 8


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """One run: how many turns, from which seed, on how many processes; which scenario files
    give the utterances to garble; how many kinds of each violation to shrink, and for how long."""

    turns: int = 10_000
    seed: int = 1
    workers: int = 1
    scenarios: tuple[Path, ...] = ()
    examples: int = 3
    shrink_s: float = 20.0
    progress: Callable[[int, int], None] | None = None


@dataclass
class Report:
    """What a run found and how fast it went."""

    options: FuzzOptions
    tally: Tally
    seconds: float
    reproducers: list[dict[str, Any]] = field(default_factory=list)

    @property
    def violations(self) -> dict[str, int]:
        return dict(self.tally.counts.most_common())

    @property
    def ok(self) -> bool:
        return not self.tally.counts

    def to_dict(self) -> dict[str, Any]:
        t = self.tally
        by_invariant: dict[str, Any] = {}
        for invariant, count in t.counts.most_common():
            prefix = f"{invariant}|"
            groups = {s: n for s, n in t.signatures.most_common() if s.startswith(prefix)}
            by_invariant[invariant] = {
                "count": count,
                "groups": groups,
                "reproducers": [r for r in self.reproducers if r["invariant"] == invariant],
            }
        return {
            "turns": t.turns,
            "sessions": t.sessions,
            "seed": self.options.seed,
            "workers": self.options.workers,
            "seconds": round(self.seconds, 1),
            "turns_per_s": round(t.turns / self.seconds, 1) if self.seconds else None,
            "turns_per_cpu_s": round(t.turns / t.cpu_s, 1) if t.cpu_s else None,
            "input_errors": t.input_errors,
            "slow_turns_not_confirmed_on_replay": t.unconfirmed_slow,
            "latency_ms_buckets": {_bucket(b): n for b, n in sorted(t.latency.items(), key=_order)},
            "slowest_turn_ms": round(t.slowest_ms, 1),
            "slowest_turn": t.slowest,
            "violations": sum(t.counts.values()),
            "by_invariant": by_invariant,
        }


def _bucket(upper: int) -> str:
    return f"< {upper}" if upper else ">= 1000"


def _order(item: tuple[int, int]) -> int:
    return item[0] or 10**9


# -- running ----------------------------------------------------------------------------------

_CORPORA: dict[tuple[Path, ...], Corpus] = {}


def _corpus(paths: Sequence[Path]) -> Corpus:
    """The corpus of ``paths``, loaded once per process (workers forked after the first load
    inherit it)."""
    key = tuple(paths)
    if key not in _CORPORA:
        _CORPORA[key] = Corpus.load(key) if key else Corpus.builtin()
    return _CORPORA[key]


def _worker(job: tuple[int, Sequence[int], tuple[Path, ...]]) -> Tally:
    seed, indices, paths = job
    return play_chunk(seed, indices, _corpus(paths))


def sessions_for(seed: int, turns: int, first: int = 0) -> int:
    """The index after the last of the sessions from ``first`` on that make up at least
    ``turns`` turns."""
    total, index = 0, first
    while total < turns:
        total += session_length(seed, index)
        index += 1
    return index


def run(options: FuzzOptions) -> Report:
    """Play the sessions, tally the violations and shrink examples of each kind."""
    started = time.perf_counter()
    _corpus(options.scenarios)
    shared()
    tally, first = Tally(), 0
    while tally.turns < options.turns:  # a crash ends its session early: top up with more
        last = sessions_for(options.seed, options.turns - tally.turns, first)
        jobs = [
            (options.seed, range(i, min(i + CHUNK_SESSIONS, last)), options.scenarios)
            for i in range(first, last, CHUNK_SESSIONS)
        ]
        for part in _map(_worker, jobs, options.workers):
            tally.add(part)
            if options.progress is not None:
                options.progress(tally.turns, options.turns)
        first = last
    seconds = time.perf_counter() - started
    report = Report(options, tally, seconds)
    chosen = _choose(tally, options.examples)
    cases = [(options.seed, options.scenarios, options.shrink_s, found) for found in chosen]
    report.reproducers = sorted(
        _map(_reproducer, cases, options.workers), key=lambda r: r["signature"]
    )
    return report


def _map(func: Callable[[Any], Any], jobs: Sequence[Any], workers: int) -> Iterator[Any]:
    if workers <= 1 or len(jobs) <= 1:
        yield from map(func, jobs)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap_unordered(func, jobs)


def _choose(tally: Tally, per_invariant: int) -> list[Found]:
    """The first example of the most frequent kinds (signatures) of each invariant."""
    chosen: list[Found] = []
    for invariant in tally.counts:
        kinds = [s for s, _ in tally.signatures.most_common() if s.startswith(f"{invariant}|")]
        chosen.extend(tally.examples[s][0] for s in kinds[:per_invariant] if tally.examples[s])
    return sorted(chosen, key=lambda f: (f.session, f.step))


def _reproducer(job: tuple[int, tuple[Path, ...], float, Found]) -> dict[str, Any]:
    seed, scenarios, budget_s, found = job
    session = generate(seed, found.session, _corpus(scenarios), shared().tools)
    steps = session.steps[: found.step + 1]
    signature = found.violation.signature
    start, kept, reproduced = asyncio.run(shrink(session.start, steps, signature, budget_s))
    return reproducer(start, kept, found, reproduced)


def reproducer(
    start: Start, steps: Sequence[Step], found: Found, reproduced: bool
) -> dict[str, Any]:
    """A violation as data: the case to replay, and what each of its turns did."""
    turns = asyncio.run(replay(start, steps)) if reproduced else []
    final = asyncio.run(last_violations(start, steps)) if reproduced else []
    detail = next((v.detail for v in final if v.signature == found.violation.signature), "")
    return {
        "invariant": found.violation.invariant,
        "signature": found.violation.signature,
        "detail": detail or found.violation.detail,
        "found_at": {"session": found.session, "step": found.step},
        "reproduced": reproduced,
        "start": start_to_json(start),
        "steps": [step_to_json(s) for s in steps],
        "transcript": [
            {
                "outcome": t.outcome,
                "reply": t.reply[:300],
                "changed": [f"{p}: {t.before.get(p)!r} → {v!r}" for p, v in _changed(t)],
                "reported": [f"{c.path}: {c.old!r} → {c.new!r}" for c in t.reported][:8],
            }
            for t in turns
        ],
    }


def _changed(turn: Any) -> list[tuple[str, Any]]:
    return [(p, v) for p, v in turn.after.items() if turn.before.get(p) != v][:8]


def summary(data: dict[str, Any]) -> str:
    """A report (:meth:`Report.to_dict`) in a few lines per invariant, with each reproducer."""
    lines = [
        f"{data['turns']:,} turns in {data['sessions']:,} sessions, {data['seconds']} s "
        f"({data['turns_per_s']} turns/s, {data['turns_per_cpu_s']} per processor-second, "
        f"{data['workers']} workers, seed {data['seed']}); {data['input_errors']:,} refused as "
        f"input; slowest turn {data['slowest_turn_ms']} ms: {data['slowest_turn'][:120]}",
        f"violations: {data['violations']:,}",
    ]
    for invariant, found in data["by_invariant"].items():
        lines.append(f"\n{invariant}: {found['count']:,}")
        for signature, count in list(found["groups"].items())[:8]:
            lines.append(f"  {count:>7,}  {signature}")
        for case in found["reproducers"]:
            lines.append(f"  reproducer ({case['signature']}): {case['detail'][:300]}")
            lines.append(f"    start {json.dumps(case['start'], ensure_ascii=False)}")
            lines.extend(f"    {json.dumps(s, ensure_ascii=False)[:200]}" for s in case["steps"])
    return "\n".join(lines)
