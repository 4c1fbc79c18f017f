"""What every generator in scripts/ does last: with ``--check``, fail when the committed file is
not what it would write; else write it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def write_or_check(out: Path, render: Callable[[], str], script: str, what: str) -> int:
    """The exit code of a generator ``script`` that renders ``out``; ``what`` counts its rows
    (say, "words") in the message after writing."""
    parser = argparse.ArgumentParser(description=f"regenerate {out.name}")
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    text = render()
    if parser.parse_args().check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            print(f"{out} is out of date: run python scripts/{script}", file=sys.stderr)
            return 1
        return 0
    out.write_text(text, encoding="utf-8")
    rows = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    print(f"wrote {out} ({rows} {what})")
    return 0
