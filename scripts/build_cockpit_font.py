"""Build the CJK font that ships with the cockpit, so Chinese shows the same on a machine without a
CJK font: Noto Sans CJK SC (SIL OFL 1.1, from Debian's ``fonts-noto-cjk``) subset to the
characters the cockpit can show, as WOFF2, with its licence and a note of where it came from.

The characters: GB2312 level 1 (the 3 755 most common hanzi, rows 16–55, from Python's own codec),
every character of the cockpit's Chinese strings (``strings.json``) and every hanzi in codriver's
language and service data (what replies, places and titles can say), CJK punctuation and full-width
forms. Run it again after adding words the font lacks; ``tests/server/test_cockpit_font.py``
fails until then.

    apt-get install fonts-noto-cjk && pip install "fonttools[woff]"
    python scripts/build_cockpit_font.py
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "codriver" / "server" / "static"
OUT = STATIC / "fonts"
DATA = ROOT / "src" / "codriver"
SOURCES = {
    "regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FAMILY = "Noto Sans CJK SC"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PUNCTUATION = [
    *range(0x3000, 0x3040),  # CJK symbols and punctuation: 、。《》「」【】〜
    *range(0xFF01, 0xFF5F),  # full-width forms: ，！？：；（）
    *range(0xFFE0, 0xFFE7),  # full-width signs: ￥
    0x00B7,
    0x2014,
    0x2018,
    0x2019,
    0x201C,
    0x201D,
    0x2026,  # · — ‘ ’ “ ” …
]


def gb2312_level1() -> set[str]:
    """The 3 755 characters of GB2312 level 1 (rows 16–55), decoded by Python's codec."""
    found: set[str] = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # row 55 ends early
                found.add(bytes((row, cell)).decode("gb2312"))
    return found


def cockpit_strings() -> set[str]:
    """Every non-ASCII character of the cockpit's Chinese strings."""
    zh = json.loads((STATIC / "strings.json").read_text(encoding="utf-8"))["zh"]
    text = json.dumps(zh, ensure_ascii=False)
    return {c for c in text if ord(c) > 0x2000}


def data_hanzi() -> set[str]:
    """Every hanzi in codriver's YAML and JSON data: replies, lexicons, places, media titles."""
    found: set[str] = set()
    for path in sorted(DATA.rglob("*")):
        if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
            found |= set(HAN.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return found


def characters() -> set[str]:
    return gb2312_level1() | cockpit_strings() | data_hanzi() | {chr(c) for c in PUNCTUATION}


def font_number(path: Path) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return number
    sys.exit(f"{path} has no {FAMILY}")


def subset(source: Path, chars: set[str], target: Path) -> None:
    from fontTools import subset as ft

    options = ft.Options()
    options.flavor = "woff2"
    options.font_number = font_number(source)
    options.hinting = False  # CFF hints matter little on screens and cost a fifth of the size
    options.desubroutinize = True  # WOFF2 compresses the plain charstrings better
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keeps the copyright and licence fields
    options.layout_features = ["kern", "palt", "vert", "locl"]
    font = ft.load_font(str(source), options)
    subsetter = ft.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    ft.save_font(font, str(target), options)


def licence(font_copyright: str) -> str:
    """The OFL text from Debian's copyright file, after the font's own copyright line."""
    text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    stanza = text.split("License: SIL-1.1\n", 2)[-1].split("\nLicense: ", 1)[0]
    lines = [line[1:] for line in stanza.splitlines() if line.startswith(" ")]
    body = "\n".join("" if line == "." else line for line in lines).strip()
    return f"{font_copyright}\n\n{body}\n"


def debian_version() -> str:
    query = ["dpkg-query", "-W", "-f=${Version}", "fonts-noto-cjk"]
    return subprocess.run(query, capture_output=True, text=True, check=False).stdout or "unknown"


def note(version: str, chars: set[str], sizes: dict[str, int]) -> str:
    han = sum(1 for c in chars if HAN.match(c))
    files = "\n".join(f"- `codriver-cjk-{w}.woff2`: {n / 1024:.0f} KiB" for w, n in sizes.items())
    return f"""# The cockpit's CJK font

- **Font**: {FAMILY} ({version}), Regular and Bold, by Adobe and Google: the Noto CJK fonts.
- **From**: Debian's `fonts-noto-cjk` package, version {debian_version()}
  (`/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc`); upstream: the noto-cjk project.
- **Licence**: SIL Open Font License 1.1, in `OFL.txt` beside this note. These files are a
  Modified Version (a subset in WOFF2); they keep the font's names, copyright and licence fields.
- **Built by** `python scripts/build_cockpit_font.py` (fontTools): {len(chars)} characters, {han}
  of them hanzi: GB2312 level 1, every character of the cockpit's Chinese strings, every hanzi in
  codriver's language and service data, CJK punctuation and full-width forms. No hinting.

{files}
"""


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    for path in (*SOURCES.values(), DEBIAN_COPYRIGHT):
        if not path.exists():
            sys.exit(f"{path} is missing: apt-get install fonts-noto-cjk")
    from fontTools.ttLib import TTCollection

    chars = characters()
    OUT.mkdir(exist_ok=True)
    sizes: dict[str, int] = {}
    for weight, source in SOURCES.items():
        target = OUT / f"codriver-cjk-{weight}.woff2"
        subset(source, chars, target)
        sizes[weight] = target.stat().st_size
        print(f"{target.relative_to(ROOT)}: {sizes[weight] / 1024:.0f} KiB")
    original = TTCollection(str(SOURCES["regular"]), lazy=True).fonts[
        font_number(SOURCES["regular"])
    ]
    names = original["name"]
    (OUT / "OFL.txt").write_text(licence(names.getDebugName(0)), encoding="utf-8")
    (OUT / "SOURCE.md").write_text(note(names.getDebugName(5), chars, sizes), encoding="utf-8")


if __name__ == "__main__":
    main()
