"""Does reading numbers stay linear in the length of the utterance? Time the on-device engine's
whole parse (``LocalBrain.understand``) and its lexicon scan alone on inputs made of numbers, at
lengths up to the utterance cap, in both languages.

Each kind of input repeats one piece up to the length: one Chinese numeral ("三" × n), the
numerals in order (一二三…), a Chinese command with a decimal ("调到二十一点五度"), English number
words ("twenty one point five"), a digit run, and digits with a spoken decimal ("21点5").
Times are processor time, the best of the rounds, the inputs taken in turn within each round. The
last column divides the time per character at the longest length by that at the shortest: about
1 when the cost is linear, growing with the length when it is not. A parse that raises (as older
checkouts did on 309 numerals) shows as nan.

Usage: python benchmarks/numerals.py [--rounds 20] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from collections.abc import Callable
from pathlib import Path

from codriver.assistant.inputs import MAX_UTTERANCE_CHARS
from codriver.assistant.plan import TurnContext, Utterance
from codriver.assistant.session import Assistant
from codriver.text import detect_lang
from codriver.understanding import LocalBrain
from codriver.understanding.lexicon import lower
from codriver.understanding.lexicon_files import load_lexicon

PIECES = {
    "zh-one-numeral": "三",
    "zh-numerals": "一二三四五六七八九十百千万",
    "zh-decimal": "调到二十一点五度",
    "en-words": "twenty one point five ",
    "digits": "9",
    "digits-spoken-point": "21点5",
}
LENGTHS = (50, 100, 200, 300, 400, MAX_UTTERANCE_CHARS)


def text_of(piece: str, length: int) -> str:
    return (piece * (length // len(piece) + 1))[:length].strip()


def cpu_ms(work: Callable[[], object]) -> float:
    """The processor time ``work`` takes, in ms; nan when it raises, as older checkouts did."""
    started = time.process_time()
    try:
        work()
    except Exception:  # an older engine's crash is a result of this benchmark
        return math.nan
    return (time.process_time() - started) * 1000


def measure(rounds: int) -> dict[str, dict[int, dict[str, float]]]:
    """The best of ``rounds`` for each input, the inputs taken in turn within each round, so
    that other work on the machine does not fall on one length alone."""
    brain = LocalBrain()
    assistant = Assistant(brain=brain)
    context = TurnContext(
        state=asyncio.run(assistant.executor.state()), history=(), tools=assistant.tools
    )
    lexicon = load_lexicon()
    table = {k: {n: {"parse_ms": math.inf, "scan_ms": math.inf} for n in LENGTHS} for k in PIECES}
    for _ in range(rounds):
        for kind, piece in PIECES.items():
            for length in LENGTHS:
                text = text_of(piece, length)
                lowered = lower(text)
                utterance = Utterance(text, detect_lang(text), "driver", None)
                cell = table[kind][length]
                parse = cpu_ms(lambda u=utterance: brain.understand(u, context))
                keep_best(cell, "parse_ms", parse)
                keep_best(cell, "scan_ms", cpu_ms(lambda t=lowered: lexicon.scan(t)))
    return table


def keep_best(cell: dict[str, float], key: str, ms: float) -> None:
    """The lowest time so far; nan for good once a run raised."""
    cell[key] = math.nan if math.isnan(ms) or math.isnan(cell[key]) else min(cell[key], ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    table = measure(args.rounds)
    heads = " | ".join(f"{n} chars" for n in LENGTHS)
    print(f"| input | {heads} | per-char ratio {LENGTHS[-1]}/{LENGTHS[0]} |")
    print("|---" * (len(LENGTHS) + 2) + "|")
    for kind, row in table.items():
        cells = " | ".join(f"{row[n]['parse_ms']:.2f}" for n in LENGTHS)
        first, last = row[LENGTHS[0]]["parse_ms"], row[LENGTHS[-1]]["parse_ms"]
        ratio = (last / LENGTHS[-1]) / (first / LENGTHS[0])
        print(f"| {kind} | {cells} | {ratio:.2f} |")
    print("\nthe lexicon scan alone, ms:")
    for kind, row in table.items():
        print(f"  {kind:22} " + "  ".join(f"{row[n]['scan_ms']:7.2f}" for n in LENGTHS))
    if args.json is not None:
        args.json.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
