"""Generate the homophone table the engine uses to catch speech-recognition slips in Chinese.

For every common character (GB2312 level 1, the 3,755 most frequent), its usual toneless pinyin
reading (every reading for the lexicon's own characters), from pypinyin (MIT); only readings that
sound like (exactly, or by fuzzy pinyin: zh/z, ch/c, sh/s, n/l, in/ing, en/eng, an/ang) a reading
of some character of the Chinese lexicon are kept, since only those can turn a slip back into a
known phrase. Writes src/codriver/understanding/data/zh/homophones.json as
{pinyin: "characters"}.

Usage: python scripts/gen_homophones.py [--check]   (needs the [dev] extra: pypinyin)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pypinyin import Style, pinyin

from codriver.voice.correct import fuzzy

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "codriver" / "understanding" / "data" / "zh"
OUT = DATA / "homophones.json"


def common_characters() -> list[str]:
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def readings(char: str, every: bool = True) -> list[str]:
    """Toneless readings: all of them, or only the most common one."""
    found = pinyin(char, style=Style.NORMAL, heteronym=every)[0]
    return sorted(set(found)) if every else found[:1]


def lexicon_characters() -> set[str]:
    text = (DATA / "lexicon.yaml").read_text(encoding="utf-8")
    return {ch for ch in text if "\u4e00" <= ch <= "\u9fff"}


def build() -> dict[str, str]:
    known = lexicon_characters()
    wanted = {fuzzy(r) for ch in known for r in readings(ch)}
    table: dict[str, list[str]] = {}
    for char in common_characters() + sorted(known):
        # a heard character only by its usual reading, a lexicon character by all of its own;
        # kept when it sounds (fuzzily: zh/z, n/l, in/ing …) like a lexicon character
        for reading in readings(char, every=char in known):
            if fuzzy(reading) in wanted and char not in table.setdefault(reading, []):
                table[reading].append(char)
    return {reading: "".join(chars) for reading, chars in sorted(table.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    table = build()
    text = json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if args.check:
        # up to date when it holds every reading of every lexicon character (it may hold more)
        current = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
        missing = [
            f"{ch} ({reading})"
            for reading, chars in table.items()
            for ch in chars
            if ch not in current.get(reading, "")
        ]
        if missing:
            print(
                f"{OUT} lacks {', '.join(missing[:10])}: run scripts/gen_homophones.py",
                file=sys.stderr,
            )
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(':')} readings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
