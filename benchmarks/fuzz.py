"""Fuzz the assistant against the invariants of issue 14 and report what breaks.

Plays seeded sessions (garbled scenario utterances, risky requests said every way, questions,
follow-ups, gaze, random Unicode, inputs at the length cap, the world changing, time passing, and
LLM, remote and plugin sources) on real assistants on the simulated car, and judges every turn.
Prints turns/s and the violations grouped by invariant, each kind with a minimal reproducer;
exits 1 when any invariant was broken.

Usage: python benchmarks/fuzz.py --turns 50000 --seed 1 --workers 2 [--json OUT]
       python benchmarks/fuzz.py --replay OUT   (replay the reproducers in a report)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="processes")
    parser.add_argument("--json", type=Path, help="write the full report as JSON")
    parser.add_argument("--scenarios", type=Path, nargs="*", default=[ROOT / "tests" / "scenarios"])
    parser.add_argument("--examples", type=int, default=3, help="kinds shrunk per invariant")
    parser.add_argument("--shrink-s", type=float, default=20.0, help="time to shrink one case")
    parser.add_argument("--replay", type=Path, help="replay the reproducers of a JSON report")
    args = parser.parse_args()
    if args.replay:
        return replay(args.replay)

    from codriver.testing.fuzz import FuzzOptions, run, summary

    last = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 10:
            last[0] = time.monotonic()
            print(f"  {done:,} / {total:,} turns", file=sys.stderr, flush=True)

    options = FuzzOptions(
        turns=args.turns,
        seed=args.seed,
        workers=args.workers,
        scenarios=tuple(args.scenarios),
        examples=args.examples,
        shrink_s=args.shrink_s,
        progress=progress,
    )
    report = run(options)
    data = report.to_dict()
    data["command"] = " ".join(["python benchmarks/fuzz.py", *sys.argv[1:]])
    if args.json:
        args.json.write_text(json.dumps(data, indent=1, ensure_ascii=True) + "\n")
    print(summary(data))
    return 0 if report.ok else 1


def replay(path: Path) -> int:
    """Replay every reproducer in a report; 1 when any still breaks its invariant (in any
    group: the groups may have been named differently when the report was written)."""
    from codriver.testing.fuzz_run import last_violations
    from codriver.testing.fuzz_steps import start_from_json, step_from_json

    data = json.loads(path.read_text())
    broken = 0
    for invariant, found in data["by_invariant"].items():
        for case in found["reproducers"]:
            start = start_from_json(case["start"])
            steps = [step_from_json(s) for s in case["steps"]]
            now = [
                v for v in asyncio.run(last_violations(start, steps)) if v.invariant == invariant
            ]
            broken += bool(now)
            print(f"{'BROKEN' if now else 'fixed '}  {case['signature']}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
