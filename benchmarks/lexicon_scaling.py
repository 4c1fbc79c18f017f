"""Does matching cost grow with the number of phrases? Scan the same utterances with the shipped
lexicon and with the lexicon padded by 10x and 100x synthetic phrases, in one run.

Usage: python benchmarks/lexicon_scaling.py
"""

from __future__ import annotations

import statistics
import time

from codriver.understanding.lexicon import (
    LANGS,
    Lexicon,
    Tag,
    lower,
)
from codriver.understanding.lexicon_files import phrase_entries, read_phrases, readings_table

UTTERANCES = [
    "打开座椅加热，氛围灯调成蓝色，然后空调开到二十三度",
    "open my window halfway and play some jazz",
    "dim the ambient lights to 20 percent, play some jazz, passenger side to 24",
    "进隧道了，关窗，开内循环，打开大灯，音乐小声点",
    "um turn on the the seat heater",
]


def lexicon(padding: int) -> Lexicon:
    entries: list[tuple[str, Tag]] = []
    for lang in LANGS:
        entries.extend(phrase_entries(read_phrases(lang), lang))
    base = len(entries)
    for i in range(base * padding):
        entries.append((f"zz{i} device phrase {i % 97}", Tag("device", f"pad{i}")))
        entries.append((f"填充{i}号设备", Tag("device", f"padzh{i}")))
    return Lexicon(entries, [], readings_table())


def time_scan(lex: Lexicon, rounds: int = 300) -> float:
    texts = [lower(u) for u in UTTERANCES]
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            lex.scan(text)
        samples.append((time.perf_counter() - start) / len(texts) * 1e6)
    return statistics.median(samples)


def main() -> None:
    print("| phrases | scan µs per utterance (median) | ratio to shipped |")
    print("|---|---|---|")
    baseline = None
    for padding in (0, 10, 100):
        lex = lexicon(padding)
        phrases = sum(1 for _ in _count(lex))
        micros = time_scan(lex)
        baseline = baseline or micros
        print(f"| {phrases} | {micros:.1f} | {micros / baseline:.2f} |")


def _count(lex: Lexicon):  # type: ignore[no-untyped-def]
    stack = [lex._trie]
    while stack:
        node = stack.pop()
        for key, child in node.items():
            if key == "":
                yield from child
            elif isinstance(child, dict):
                stack.append(child)


if __name__ == "__main__":
    main()
