"""Does reading numbers stay linear in the length of the utterance? Time the on-device engine's
whole parse (``LocalBrain.understand``) and its lexicon scan alone on inputs made of numbers, at
lengths up to the utterance cap, in both languages.

Each kind of input repeats one piece up to the length: one Chinese numeral ("三" × n), the
numerals in order (一二三…), a Chinese command with a decimal ("调到二十一点五度"), English number
words ("twenty one point five"), a digit run, and digits with a spoken decimal ("21点5").
The last column divides the time per character at the longest length by that at the shortest:
about 1 when the cost is linear, growing with the length when it is not.

A parse that raises shows as nan. Usage: python benchmarks/numerals.py [--rounds 20] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from codriver.assistant.inputs import MAX_UTTERANCE_CHARS
from codriver.assistant.plan import TurnContext, Utterance
from codriver.assistant.session import Assistant
from codriver.text import detect_lang
from codriver.understanding import LocalBrain
from codriver.understanding.lexicon import load_lexicon, lower

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


def median_ms(work: Callable[[], object], rounds: int) -> float:
    """The median time of ``work`` in ms; nan when it raises (as older checkouts did)."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        try:
            work()
        except Exception:  # an older engine's crash is a result of this benchmark
            return math.nan
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(rounds: int) -> dict[str, dict[int, dict[str, float]]]:
    brain = LocalBrain()
    assistant = Assistant(brain=brain)
    context = TurnContext(
        state=asyncio.run(assistant.executor.state()), history=(), tools=assistant.tools
    )
    lexicon = load_lexicon()
    table: dict[str, dict[int, dict[str, float]]] = {}
    for kind, piece in PIECES.items():
        table[kind] = {}
        for length in LENGTHS:
            text = text_of(piece, length)
            lowered = lower(text)
            utterance = Utterance(text, detect_lang(text), "driver", None)
            parse = median_ms(lambda u=utterance: brain.understand(u, context), rounds)
            scan = median_ms(lambda t=lowered: lexicon.scan(t), rounds)
            table[kind][length] = {"parse_ms": parse, "scan_ms": scan}
    return table


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
    print("\nparse ms (median); the lexicon scan alone, ms:")
    for kind, row in table.items():
        print(f"  {kind:22} " + "  ".join(f"{row[n]['scan_ms']:7.2f}" for n in LENGTHS))
    if args.json is not None:
        args.json.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
